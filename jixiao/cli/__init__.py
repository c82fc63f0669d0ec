"""The ``jixiao`` command line: a thin layer over the core (typer + rich).

Each command family lives in its own module and registers on :data:`app`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypeVar

import typer
from rich.console import Console

from ..errors import InputError

app = typer.Typer(
    name="jixiao",
    help="预算绩效自评表：读取、评分、复核、导出与管理。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")

#: Exit codes shared by every command.
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


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


def guarded(func: Callable[[], T]) -> T:
    """Call ``func``; unusable input exits 2 with its message."""
    with input_errors():
        return func()
    raise AssertionError("unreachable")  # pragma: no cover


@app.callback()
def _root() -> None:
    """预算绩效自评表：读取、评分、复核、导出与管理。"""


def main() -> None:
    """Console-script entry point."""
    app()


# Command modules register themselves on `app` when imported.
from . import batch, core, export, io  # noqa: E402,F401
