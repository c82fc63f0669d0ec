"""``jixiao parse``: any supported file → canonical JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..errors import InputError
from . import app, err, fail, input_errors, out, read_input, written

if TYPE_CHECKING:
    from ..io import ImportNote

#: The input formats (jixiao.io.FORMATS, named here so that the command line starts without the importers;
#: a test keeps the two equal).
FORMATS = ("text", "xlsx", "xls", "pdf", "docx", "json")


def print_notes(notes: list[ImportNote]) -> None:
    """Import notes on stderr, one short line each, so stdout stays pure JSON."""
    for note in notes:
        err.print(f"[yellow]提示[/yellow] {escape(note.describe())}", markup=True)


@app.command()
def parse(
    file: Annotated[
        Path, typer.Argument(help="自评表文件：xlsx、xls、pdf、docx、txt 或 json；- 表示标准输入")
    ],
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"文件格式：auto（按内容识别）、{'、'.join(FORMATS)}")
    ] = "auto",
    sheet: Annotated[str | None, typer.Option("--sheet", help="工作表名称或序号（从 1 开始）")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入 JSON 文件（默认输出到屏幕）")
    ] = None,
    notes_file: Annotated[
        Path | None,
        typer.Option("--notes", help="把导入提示写成 JSON 列表（代码、级别、说明、字段路径、原文位置）"),
    ] = None,
) -> None:
    """读取自评表，输出标准 JSON；无法读取或存疑的内容以提示列在标准错误输出（--notes 另存为 JSON）。"""
    from ..io.jsonio import dumps
    from ..io.notes import note_data

    try:
        form, notes = read_input(file, format, sheet)
    except InputError as error:
        fail(error)
    print_notes(notes)
    text = dumps(form)
    if notes_file is not None:
        _write(notes_file, json.dumps([note_data(n) for n in notes], ensure_ascii=False, indent=2))
    if output is None:
        out.print(text, markup=False, highlight=False)
    else:
        _write(output, text)


def _write(path: Path, text: str) -> None:
    """Write a whole file or nothing (:func:`written`); a refusal exits 2 naming the path."""
    with input_errors():
        written(path, lambda partial: partial.write_text(text + "\n", encoding="utf-8"))
