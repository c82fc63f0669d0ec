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
from .grid import (
    INDICATOR_ROLES,
    Cell,
    column_name,
    is_indicator_header,
    match_roles,
)
from .gridtext import form_from_rows, forms_from_rows
from .notes import ImportNote
from .sniff import DEFAULT_LIMITS

MAX_PAGES = DEFAULT_LIMITS.max_pdf_pages

SCANNED = "扫描件，没有文字层，请提供原始 Excel/Word 或 OCR 后的文本"


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


#: A run of grid positions with no detected cell whose label was printed on the next page:
#: (x centre of its column, the row's values, column index).
Pending = list[tuple[float, list[str | None], int]]


def recover_orphans(page: Any, table: Any, values: list[list[str | None]]) -> list[tuple[int, int]]:
    """Put back the text of merged cells cut by a page break; return the runs still without text.

    A merged cell (一级指标 over many rows) that continues on another page has no closed border
    on this page, so pdfplumber finds no cell for it and drops its text. Words inside the table
    but in no detected cell go to the first row of their column's run of missing cells. A run at
    the bottom of the page with no words had its label printed on the next page.
    """
    cells = table.cells
    columns = [c.bbox for c in table.columns]
    rows = [r.bbox for r in table.rows]
    found: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for word in page.within_bbox(table.bbox).extract_words():
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        if any(_inside(cell, x, y) for cell in cells):
            continue
        column = next((j for j, box in enumerate(columns) if box[0] <= x <= box[2]), None)
        row = next((i for i, box in enumerate(rows) if box[1] <= y <= box[3]), None)
        if column is None or row is None or values[row][column] is not None:
            continue
        found.setdefault((_run_start(values, row, column), column), []).append(
            (word["top"], word["x0"], word["text"])
        )
    for (row, column), words in found.items():
        values[row][column] = "".join(text for _, _, text in sorted(words))
    last = len(values) - 1
    return [
        (start, column)
        for column, box in enumerate(columns)
        if last >= 0
        and values[last][column] is None
        and not any(
            _inside(cell, (box[0] + box[2]) / 2, (rows[last][1] + rows[last][3]) / 2) for cell in cells
        )
        and values[start := _run_start(values, last, column)][column] is None
    ]


def _run_start(values: list[list[str | None]], row: int, column: int) -> int:
    while row > 0 and values[row - 1][column] is None:
        row -= 1
    return row


def _is_header(values: list[str | None]) -> bool:
    return is_indicator_header(match_roles([Cell(v, Location()) for v in values], INDICATOR_ROLES))


def resolve_pending(pending: Pending, table: Any, values: list[list[str | None]]) -> None:
    """Give the label found at the top of this page's table to the run left open on the last page."""
    for x, row, column in pending:
        here = next(
            (j for j, c in enumerate(table.columns) if abs((c.bbox[0] + c.bbox[2]) / 2 - x) < 3), None
        )
        if here is None:
            continue
        labels = (r[here] for r in values if r[here] is not None and not _is_header(r))
        row[column] = next(labels, None)


def page_rows(page: Any, pending: Pending) -> list[tuple[str, list[str | None]]]:
    """The rows of one page in reading order: table rows and the text lines around the tables.

    ``pending`` (runs left open by the previous page) is resolved from the first table and
    replaced by this page's open runs.
    """
    placed: list[tuple[float, str, list[str | None]]] = []
    outside = page
    for table in page.find_tables():
        outside = outside.outside_bbox(table.bbox)
        grid = [list(values) for values in table.extract()]
        open_runs = recover_orphans(page, table, grid)
        resolve_pending(pending, table, grid)
        pending.clear()
        for row, column in open_runs:
            box = table.columns[column].bbox
            pending.append(((box[0] + box[2]) / 2, grid[row], column))
        placed.extend((row.bbox[1], "table", values) for row, values in zip(table.rows, grid, strict=True))
    for line in outside.extract_text_lines(strip=True, return_chars=False):
        if 0 <= line["top"] <= page.height:  # text of cells drawn across the page edge lies outside it
            placed.append((line["top"], "text", [line["text"]]))
    placed.sort(key=lambda item: item[0])
    return [(kind, values) for _, kind, values in placed]


def to_cells(pages: list[list[tuple[str, list[str | None]]]], place: str) -> list[list[Cell]]:
    rows = []
    for number, page in enumerate(pages, 1):
        for index, (kind, values) in enumerate(page, 1):
            if kind == "table":
                rows.append(
                    [
                        Cell(v, Location(file=place, page=number, row=index, column=column_name(c)))
                        for c, v in enumerate(values)
                    ]
                )
            else:
                rows.append([Cell(values[0], Location(file=place, page=number, line=index))])
    return rows


def load_rows(path: Path) -> tuple[list[list[Cell]], list[ImportNote]]:
    """All pages as rows; a scanned PDF (no text at all) or a damaged one is an InputError."""
    import pdfplumber

    place = str(path)
    notes: list[ImportNote] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                notes.append(
                    ImportNote(
                        "I10", f"PDF 共 {len(pages)} 页，只读取了前 {MAX_PAGES} 页", Location(file=place)
                    )
                )
            pending: Pending = []
            read_pages = [page_rows(page, pending) for page in pages[:MAX_PAGES]]
            has_text = any(page.chars for page in pages[:MAX_PAGES])
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged or encrypted files
        message = (
            "PDF 有密码保护，无法读取"
            if "password" in repr(exc).lower()
            else f"无法读取 PDF：{type(exc).__name__}"
        )
        raise InputError(message, place) from None
    if not has_text:
        raise InputError(SCANNED, place)
    return to_cells(read_pages, place), notes


def read(path: Path) -> tuple[Form, list[ImportNote]]:
    """The (first) form in a text-layer PDF."""
    rows, notes = load_rows(path)
    form, found = form_from_rows(rows, Location(file=str(path)), exact=False)
    return form, notes + found


def read_all(path: Path) -> list[tuple[Form, list[ImportNote]]]:
    """Every form in the PDF, in page order (for batch imports)."""
    rows, notes = load_rows(path)
    return [(form, notes + found) for form, found in forms_from_rows(rows, Location(file=str(path)), exact=False)]
