"""The ``jixiao`` command line: a thin layer over the core (typer + rich).

Each command family lives in its own module and registers on :data:`app`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from typer.models import CommandFunctionType

from .. import __version__
from ..errors import InputError, os_reason

if TYPE_CHECKING:
    from ..io import ImportNote
    from ..model import Form
from .zh import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from .zh import ChineseCommand, ChineseGroup
from .zh import say_interrupted as say_interrupted


class _App(typer.Typer):
    """The ``jixiao`` app: every command speaks Chinese (:mod:`.zh`)."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", ChineseCommand)
        return super().command(*args, **kwargs)


app = _App(
    name="jixiao",
    help="预算绩效自评表：读取、评分、复核、导出与管理。",
    cls=ChineseGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")

#: Exit codes shared by every command (and EXIT_INTERRUPTED, 130: Ctrl-C).
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


#: ``--profile auto`` (jixiao.rules.AUTO, named here so that the command line starts without loading the
#: rules, the model or pydantic: ``jixiao --help`` needs none of them; a test keeps the two equal).
AUTO = "auto"

#: The path that means standard input (``jixiao score -`` reads the form from a pipe).
STDIN = "-"


def read_input(path: Path, format: str = "auto", sheet: str | None = None) -> tuple[Form, list[ImportNote]]:
    """A form from a file, or from standard input when the path is ``-`` — the same for every command."""
    from ..io import read, read_bytes

    if str(path) == STDIN:
        return read_bytes(sys.stdin.buffer.read(), "<stdin>", format, sheet)
    return read(path, format=format, sheet=sheet)


def show(table: Table) -> None:
    """Print a table whose cells wrap instead of ending in "…" (a Chinese sentence has no space to break at,
    so rich would take it for one long word and cut it), at any width, also when piped."""
    for column in table.columns:
        column.overflow = "fold"
    out.print(table)


def fail(error: InputError) -> NoReturn:
    """Report unusable input (naming the place) and exit 2, never a traceback."""
    err.print(f"[red]错误[/red] {error}", markup=True)
    raise typer.Exit(EXIT_UNUSABLE)


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn an :class:`InputError` raised inside the block into a clean exit 2."""
    try:
        yield
    except InputError as error:
        fail(error)


@contextmanager
def needs_extra(extra: str) -> Iterator[None]:
    """Imports of an optional dependency: when one is missing, name the extra to install and exit 2.

    Only a missing third-party module is caught; a missing ``jixiao`` module is a bug and stays loud.
    """
    try:
        yield
    except ModuleNotFoundError as exc:
        if (exc.name or "jixiao").partition(".")[0] == "jixiao":
            raise
        err.print(f'错误 此命令需要可选组件（缺少 {exc.name}），请安装：pip install "jixiao[{extra}]"',
                  markup=False, style="red")
        raise typer.Exit(EXIT_UNUSABLE) from None


def written(path: Path, produce: Callable[[Path], object]) -> Path:
    """An output file whole or not at all: ``produce`` writes a hidden file beside ``path``, renamed over it
    once complete. A device or pipe (``/dev/stdout``) is written directly — never replaced by a file.

    A refusal (read-only folder, full disk, a path through a file) is an :class:`InputError` naming ``path``.
    """
    direct = path.exists() and not path.is_file()
    target = path if direct else path.with_name(f".{path.name}.partial")
    try:
        produce(target)
        if not direct:
            target.replace(path)
    except OSError as exc:
        if not direct and target.is_file():
            target.unlink()
        raise InputError(f"无法写入文件（{os_reason(exc)}）", str(path)) from None
    return path


def guarded(func: Callable[[], T]) -> T:
    """Call ``func``; unusable input exits 2 with its message."""
    with input_errors():
        return func()
    raise AssertionError("unreachable")  # pragma: no cover


def _show_version(value: bool) -> None:
    if value:
        out.print(f"jixiao {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="显示版本号并退出", callback=_show_version,
                                          is_eager=True)] = False,
) -> None:
    """预算绩效自评表：读取、评分、复核、导出与管理。"""


def main() -> None:
    """Console-script entry point (Ctrl-C while typer builds the commands ends like Ctrl-C in one)."""
    try:
        app()
    except KeyboardInterrupt:
        say_interrupted()
        sys.exit(EXIT_INTERRUPTED)


# Command modules register themselves on `app` when imported.
from . import batch, core, export, io, web  # noqa: E402,F401
