"""The command line in Chinese (中文界面): typer's help panels, usage lines and click's error messages.

Typer (with its vendored click) writes its own texts in English. This module gives the ``jixiao`` app command
classes that print a Chinese usage line and help option, Chinese type names instead of ``<int>``/``<bool>``,
and one Chinese error line with the usage and a help hint instead of click's English panel. The texts are data
in ``zh.toml``; the error patterns there are matched against click's messages, whatever did not match is shown
as click wrote it rather than lost.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import typer
from rich.text import Text
from typer._click import Context, HelpFormatter
from typer._click.exceptions import BadParameter, ClickException, MissingParameter, NoSuchOption, UsageError
from typer.core import TyperCommand, TyperGroup

#: The exit code of a command interrupted by Ctrl-C (as a shell reports SIGINT: 128 + 2).
EXIT_INTERRUPTED = 130


class _Interruption:
    """Whether this process has said that it was interrupted: typer turns a Ctrl-C anywhere in its main
    (parsing the arguments, building the commands) into a silent exit 130, which then still needs the line."""

    said = False


def say_interrupted(message: str | None = None) -> None:
    """Say, once, that Ctrl-C stopped the command: ``message`` or the usual line."""
    if not _Interruption.said:
        _Interruption.said = True
        print(message or texts()["usage"]["interrupted"], file=sys.stderr)


@cache
def texts() -> dict[str, Any]:
    """The catalogue (``zh.toml``)."""
    return tomllib.loads(resources.files(__package__).joinpath("zh.toml").read_text(encoding="utf-8"))


def install() -> None:
    """Typer's fixed help texts (panel titles, ``[default: …]``) in Chinese, and help texts that wrap.

    The texts are module attributes of ``typer.rich_utils``, read when help is printed. Help texts fold
    instead of ending in "…": a Chinese sentence has no spaces, so rich would take it for one long word
    and cut it.
    """
    import typer.rich_utils

    for name, text in texts()["panels"].items():
        setattr(typer.rich_utils, name, text)
    if not getattr(typer.rich_utils, "jixiao_folds", False):
        for name in ("_make_rich_text", "_get_parameter_help"):
            setattr(typer.rich_utils, name, _folding(getattr(typer.rich_utils, name)))
        typer.rich_utils._print_options_panel = _stacked_when_narrow(typer.rich_utils._print_options_panel)
        typer.rich_utils.jixiao_folds = True  # type: ignore[attr-defined]


def _folding(make: Callable[..., Any]) -> Callable[..., Any]:
    """``make`` whose texts (also those inside a ``Columns``) fold at the cell's edge instead of being cut."""

    def folded(*args: Any, **kwargs: Any) -> Any:
        made = make(*args, **kwargs)
        for part in getattr(made, "renderables", [made]):
            if isinstance(part, Text):
                part.overflow = "fold"
        return made

    return folded


#: Below this many columns an option's help goes on the lines under its name, the whole width: beside the
#: name, type and short form it had a dozen columns, two or three Chinese characters a line.
NARROW_HELP = 60


def _stacked_when_narrow(panel: Callable[..., None]) -> Callable[..., None]:
    """typer's options panel, or on a narrow terminal each parameter as its names and type on one line and
    its help (with default and 必填) indented below."""
    import typer.rich_utils
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table

    def stacked(*, name: str, params: list[Any], ctx: Context, markup_mode: Any, console: Any) -> None:
        if console.width >= NARROW_HELP or not params:
            panel(name=name, params=params, ctx=ctx, markup_mode=markup_mode, console=console)
            return
        table = Table(show_header=False, box=None, expand=True, padding=0)
        for param in params:
            names = [*param.opts, *param.secondary_opts] if param.param_type_name == "option" else [param.metavar]
            kind = param.display_type_rich(ctx=ctx) if param.param_type_name == "argument" else param.metavar
            head = Text(" ".join(n for n in names if n), style="bold cyan")
            if kind:
                head.append(f"  {kind}", style="yellow")
            if param.required:
                head.append(" *", style="red")
            table.add_row(head)
            table.add_row(Padding(typer.rich_utils._get_parameter_help(param=param, ctx=ctx, markup_mode=markup_mode),
                                  (0, 0, 0, 2)))
        console.print(Panel(table, border_style="dim", title=name, title_align="left"))

    return stacked


def _type_name(param: Any) -> str:
    """The Chinese name of a parameter's value type (``<int>`` → 整数); choices keep their values."""
    shown = str(param.display_type(None))
    label = shown.strip("<>")
    names: dict[str, str] = texts()["types"]
    return names.get(label, shown)


def localise_params(params: Sequence[Any]) -> None:
    """Flags show no type, options a Chinese one, arguments a Chinese name — unless the code gave a metavar."""
    helps: dict[str, str] = texts()["option_help"]
    for param in params:
        if param.name in helps:
            param.help = helps[param.name]
        if param.metavar is not None:
            continue
        if param.param_type_name == "argument":
            param.metavar = texts()["arguments"].get(param.name, param.name)
            # an argument shows its type beside its name; typer reads it from this method, not from a text
            param.display_type_rich = lambda ctx, param=param: _type_name(param)
        elif getattr(param, "is_flag", False) and not getattr(param, "count", False):
            param.metavar = ""
        else:
            param.metavar = _type_name(param)


class _Chinese:
    """What the command and the group share: usage line, help option, parameters' types and names."""

    def get_params(self, ctx: Context) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        localise_params(params)  # also the options typer adds after construction (shell completion)
        return params

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        install()  # here, not at start-up: typer's rich_utils (and rich.markdown) load only to print help
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=texts()["usage"]["prefix"])

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = texts()["usage"]["help_option"], ""
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        """The whole first sentence in the command list (click would cut it at 45 characters)."""
        return str(super().get_short_help_str(limit=300))  # type: ignore[misc]


class ChineseCommand(_Chinese, TyperCommand):
    """A ``jixiao`` subcommand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = texts()["usage"]["options"]
        super().__init__(*args, **kwargs)


class ChineseGroup(_Chinese, TyperGroup):
    """The ``jixiao`` command: Chinese usage, help and errors for every subcommand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = texts()["usage"]["options"]
        kwargs["subcommand_metavar"] = texts()["usage"]["subcommand"]
        super().__init__(*args, **kwargs)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
            if result == EXIT_INTERRUPTED:
                say_interrupted()
        except ClickException as error:
            if not standalone_mode:
                raise
            show_error(error)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            print(texts()["usage"]["aborted"], file=sys.stderr)
            sys.exit(1)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result

    def invoke(self, ctx: Context) -> Any:
        """Ctrl-C in any command: one line on stderr and exit 130, never a traceback (typer would exit 130
        silently, and only once the command's own cleanup has run)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            say_interrupted()
            raise typer.Exit(EXIT_INTERRUPTED) from None


def _hint(error: BadParameter) -> str:
    """The parameter an error is about: ``--to / -t`` for an option, its Chinese name for an argument."""
    if error.param_hint is not None:
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    param: Any = error.param
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return str(param.metavar or param.name)
    return " / ".join(param.opts)


def message(error: ClickException) -> str:
    """Click's error in Chinese."""
    words: dict[str, str] = texts()["usage"]
    if isinstance(error, MissingParameter):
        kind = words["argument"] if (error.param_type or getattr(error.param, "param_type_name", "")) == "argument" \
            else words["option"]
        return words["missing"].format(kind=kind, name=_hint(error))
    if isinstance(error, NoSuchOption):
        text = words["no_such_option"].format(name=error.option_name)
        if error.possibilities:
            text += words["did_you_mean"].format(names="、".join(sorted(error.possibilities)))
        return text
    text = translate(error.message)
    if isinstance(error, BadParameter) and (hint := _hint(error)):
        return words["invalid_for"].format(name=hint, reason=text)
    return text


def translate(text: str) -> str:
    """Click's English message through the catalogue's patterns (the first that matches)."""
    for rule in texts()["errors"]:
        match = re.fullmatch(rule["en"], text.strip(), flags=re.DOTALL)
        if match:
            return str(rule["zh"]).format(*match.groups())
    return text


def show_error(error: ClickException) -> None:
    """Usage line, the error in one line, where to find help — on stderr, like click, but in Chinese."""
    words: dict[str, str] = texts()["usage"]
    ctx = error.ctx if isinstance(error, UsageError) else None
    if type(error).__name__ == "NoArgsIsHelpError":  # typer printed the help already
        return
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(words["try_help"].format(command=ctx.command_path, option=ctx.help_option_names[0]))
    lines.append(words["error"].format(message=message(error)))
    print("\n".join(lines), file=sys.stderr)
