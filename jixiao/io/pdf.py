"""PDF with a text layer (pdfplumber, MIT): the official table on one or several pages.

Ruled tables come from pdfplumber's line-based table finder (cells covered by a merge are
``None``); the text outside the tables (title, 单位/填报日期 line, footnotes) is read as lines.
Both are merged in reading order, page after page, and handed to :mod:`.grid` as rows; a header
repeated at the top of each page is recognised there and does not duplicate indicators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Form, Location
from .grid import Cell, column_name, form_from_rows
from .notes import ImportNote

MAX_PAGES = 30  # a form is 1-5 pages; more means this is a report, not a form

SCANNED = "扫描件，没有文字层，请提供原始 Excel/Word 或 OCR 后的文本"


def page_rows(page: Any, number: int, place: str) -> list[list[Cell]]:
    """The rows of one page in reading order: table rows and the text lines around the tables."""
    placed: list[tuple[float, str, list[str | None]]] = []
    outside = page
    for table in page.find_tables():
        outside = outside.outside_bbox(table.bbox)
        for row, values in zip(table.rows, table.extract(), strict=True):
            placed.append((row.bbox[1], "table", list(values)))
    for line in outside.extract_text_lines(strip=True, return_chars=False):
        placed.append((line["top"], "text", [line["text"]]))
    placed.sort(key=lambda item: item[0])
    rows = []
    for index, (_, kind, values) in enumerate(placed, 1):
        if kind == "table":
            rows.append(
                [Cell(v, Location(file=place, page=number, row=index, column=column_name(c))) for c, v in enumerate(values)]
            )
        else:
            rows.append([Cell(values[0], Location(file=place, page=number, line=index))])
    return rows


def read(path: Path) -> tuple[Form, list[ImportNote]]:
    """The form in a text-layer PDF; a scanned PDF (no text at all) is an InputError."""
    import pdfplumber

    place = str(path)
    notes: list[ImportNote] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                notes.append(ImportNote("I10", f"PDF 共 {len(pages)} 页，只读取了前 {MAX_PAGES} 页", Location(file=place)))
            rows: list[list[Cell]] = []
            has_text = False
            for number, page in enumerate(pages[:MAX_PAGES], 1):
                has_text = has_text or bool(page.chars)
                rows.extend(page_rows(page, number, place))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged or encrypted files
        message = "PDF 有密码保护，无法读取" if "password" in repr(exc).lower() else f"无法读取 PDF：{type(exc).__name__}"
        raise InputError(message, place) from None
    if not has_text:
        raise InputError(SCANNED, place)
    form, found = form_from_rows(rows, Location(file=place))
    return form, notes + found
