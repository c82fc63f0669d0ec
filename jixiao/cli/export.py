"""``jixiao export``: the official layout (xlsx, PDF) or the review report (HTML, Markdown)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..report import list_layouts
from . import AUTO, STDIN, app, guarded, out, read_input, written
from .core import FormArg, FormatOpt, ProfileOpt

Writer = Callable[..., Path]  # write(form, card, findings, path, layout) of every report module


class Target(StrEnum):
    """Export formats."""

    xlsx = "xlsx"
    pdf = "pdf"
    html = "html"
    md = "md"


#: The report module of each format, imported only when used (reportlab and openpyxl cost start-up time).
WRITER_MODULES: dict[Target, str] = {
    Target.xlsx: "xlsx",
    Target.pdf: "pdf",
    Target.html: "html",
    Target.md: "markdown",
}


def writer(target: Target) -> Writer:
    """The ``write`` function of ``target``'s report module."""
    write: Writer = importlib.import_module(f"jixiao.report.{WRITER_MODULES[target]}").write
    return write


def default_output(source: Path, target: Target) -> Path:
    """``form.txt`` → ``form.xlsx``; never the input itself (``form.xlsx`` → ``form.export.xlsx``)."""
    candidate = source.with_suffix(f".{target.value}")
    if candidate.resolve() == source.resolve():
        return source.with_suffix(f".export.{target.value}")
    return candidate


def run_export(
    source: Path, target: Target, output: Path | None, profile: str, layout: str | None, fmt: str = "auto",
    waivers: Path | None = None,
) -> Path:
    """Read, score, audit and write one form (waived findings marked as waived); returns the written path."""
    from ..audit import evaluate
    from ..audit.waivers import apply_waivers, read_waivers
    from ..io.notes import doubted_paths
    from ..report.layout import layout_for
    from ..rules import resolve_profile

    if output is None and str(source) == STDIN:
        raise InputError("从标准输入读取时，请用 --output 指定输出文件", "--output")
    given = read_waivers(waivers) if waivers is not None else []
    form, notes = read_input(source, fmt)
    chosen = layout_for(form, layout)
    card, findings = evaluate(form, resolve_profile(profile, form), doubted_paths(notes))
    findings = apply_waivers(findings, form, given, None if str(source) == STDIN else Path(source).name)
    write = writer(target)
    return written(output or default_output(source, target), lambda path: write(form, card, findings, path, chosen))


@app.command()
def export(
    form: FormArg,
    to: Annotated[Target, typer.Option("--to", "-t", help="导出格式：xlsx|pdf|html|md")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认与表单同名）")] = None,
    profile: ProfileOpt = AUTO,
    layout: Annotated[
        str | None, typer.Option("--layout", "-l", help=f"版式：{'|'.join(list_layouts())} 或 .toml 文件")
    ] = None,
    format: FormatOpt = "auto",
    waivers: Annotated[Path | None, typer.Option("--waivers", help="审核豁免文件：已豁免的意见标为“已豁免”")] = None,
) -> None:
    """导出官方版式（xlsx、PDF，含复核得分列）或复核报告（HTML、Markdown）。"""
    written = guarded(lambda: run_export(form, to, output, profile, layout, format, waivers))
    out.print(f"已导出：{written}", markup=False)
