"""The official layout as a print-ready Excel workbook (openpyxl).

A4 portrait, fitted to the page width, the indicator header repeated on every printed page,
column widths, borders, 宋体, wrapped text and estimated row heights (Excel does not grow merged
rows by itself). With a scorecard, a 复核得分 column holds the computed scores with their
explanation as a comment, and every row whose declared score differs is highlighted; audit
findings go to a second sheet 复核意见.

Spreadsheet safety: every text value is written as a string cell with the quote prefix, so
``=HYPERLINK(...)``, ``+1``, ``-1``, ``@SUM`` in a reason stay text, never a formula.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError
from ..model import Form
from .grid import Cell, Sheet, Style, build_sheet, text_width
from .layout import Layout, layout_for
from .spreadsheet import EXCEL_MAX_TEXT, FORMULA_TRIGGERS

if TYPE_CHECKING:
    from ..audit import Finding
    from ..scoring import Scorecard

SHEET_TITLE = "自评表"
FINDINGS_TITLE = "复核意见"
#: Characters XML 1.0 (and so xlsx) cannot hold; shown as their control pictures instead.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FLAG_FILL = PatternFill("solid", fgColor="FFC7CE")  # light red: declared ≠ computed
REVIEW_FILL = PatternFill("solid", fgColor="EAF1FB")  # the review column is not part of the official form
POINTS_PER_LINE = Decimal("1.45")  # line height as a multiple of the font size
#: 复核意见 columns and widths (Excel character units): 90 in all, the printable width of A4 portrait
#: at 10.5 pt with Excel's default margins, so the sheet prints at full size.
FINDINGS_COLUMNS: tuple[tuple[str, Decimal], ...] = tuple(
    (name, Decimal(width)) for name, width in (("代码", 6), ("级别", 6), ("位置", 24), ("说明", 54))
)
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def line_count(text: str, width: Decimal) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide."""
    usable = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def printable(text: str) -> str:
    """``text`` with XML-illegal control characters made visible (␇) instead of crashing the writer."""
    return _ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def cell_at(ws: Worksheet, row: int, column: int) -> XlCell:
    """The writable cell at (row, column), 1-based (never the hidden part of a merged range)."""
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, XlCell), f"cell {row},{column} is inside a merged range"
    return cell


def set_value(cell: XlCell, value: str | Decimal | None) -> None:
    """Write a value: numbers as numbers, every text as a string cell — never a formula."""
    if isinstance(value, str):
        if len(value) > EXCEL_MAX_TEXT:
            place = f"{cell.parent.title}!{cell.coordinate}（{value[:20]}…）"
            raise InputError(f"文本长度 {len(value)} 超过 Excel 单元格上限 {EXCEL_MAX_TEXT} 字符", place)
        cell.value = printable(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value


def _font(layout: Layout, style: Style) -> Font:
    size = {"title": layout.title_size, "subtitle": layout.font_size + 1, "footnote": layout.font_size - 1}
    bold = style in ("title", "header", "label", "vertical")
    return Font(name=layout.font, size=float(size.get(style, layout.font_size)), bold=bold, charset=134)


def _alignment(style: Style, is_number: bool) -> Alignment:
    if style == "vertical":
        return Alignment(horizontal="center", vertical="center", textRotation=255, wrap_text=True)
    if style in ("text", "footnote", "line"):
        return Alignment(horizontal="left", vertical="center", wrap_text=True)
    return Alignment(horizontal="right" if is_number else "center", vertical="center", wrap_text=True)


def _cell_width(sheet: Sheet, cell: Cell) -> Decimal:
    return sum(sheet.widths[cell.col : cell.col + cell.cols], Decimal(0))


def text_height(lines: int, size: Decimal) -> float:
    """Row height (points) that shows ``lines`` wrapped lines at font ``size``."""
    return float(lines * size * POINTS_PER_LINE + 4)


def row_heights(sheet: Sheet) -> dict[int, float]:
    """Estimated height (points) of every row that needs more than one line."""
    layout = sheet.layout
    heights: dict[int, float] = {}
    for cell in sheet.cells:
        if not isinstance(cell.value, str) or cell.rows != 1 or cell.style == "vertical":
            continue
        size = layout.title_size if cell.style == "title" else layout.font_size
        height = text_height(line_count(cell.value, _cell_width(sheet, cell)), size)
        heights[cell.row] = max(heights.get(cell.row, 0.0), height)
    return heights


def _write_cell(ws: Worksheet, sheet: Sheet, cell: Cell, flagged_rows: set[int]) -> None:
    top, left = cell.row + 1, cell.col + 1
    bottom, right = top + cell.rows - 1, left + cell.cols - 1
    target = cell_at(ws, top, left)
    set_value(target, cell.value)
    if cell.note:
        target.comment = Comment(printable(cell.note), "jixiao 复核", width=320, height=160)
    if bottom > top or right > left:
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    is_review = cell.col >= len(sheet.layout.widths)
    for row in range(top, bottom + 1):
        for col in range(left, right + 1):
            xl = ws.cell(row=row, column=col)
            xl.font = _font(sheet.layout, cell.style)
            xl.alignment = _alignment(cell.style, isinstance(cell.value, Decimal))
            if cell.boxed:
                xl.border = BOX
            if cell.row in flagged_rows and cell.rows == 1 and cell.col >= 3:
                xl.fill = FLAG_FILL
            elif is_review and cell.style != "header":
                xl.fill = REVIEW_FILL


def _fit_to_a4_width(ws: Worksheet) -> None:
    """A4 portrait, scaled to the page width, as many pages long as it takes."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _page_setup(ws: Worksheet, sheet: Sheet) -> None:
    _fit_to_a4_width(ws)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    header = sheet.indicator_header + 1
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{get_column_letter(sheet.columns)}{sheet.rows}"
    ws.oddFooter = HeaderFooterItem(center=_HeaderFooterPart(text="第 &P 页，共 &N 页"))


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    """Render a laid-out :class:`Sheet` into an openpyxl worksheet."""
    flagged_rows = {c.row for c in sheet.cells if c.flagged}
    for cell in sheet.cells:
        _write_cell(ws, sheet, cell, flagged_rows)
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = float(width)
    for row, height in row_heights(sheet).items():
        ws.row_dimensions[row + 1].height = height
    _page_setup(ws, sheet)


def write_findings(ws: Worksheet, findings: Sequence[Finding], layout: Layout) -> None:
    """The 复核意见 sheet: one finding per row, A4 portrait wide, rows as tall as their wrapped text."""
    for col, (header, width) in enumerate(FINDINGS_COLUMNS, start=1):
        set_value(cell_at(ws, 1, col), header)
        ws.cell(row=1, column=col).font = Font(name=layout.font, bold=True, charset=134)
        ws.column_dimensions[get_column_letter(col)].width = float(width)
    for row, finding in enumerate(findings, start=2):
        values = (
            finding.code,
            SEVERITY_LABELS.get(finding.severity, finding.severity),
            finding.location,
            finding.message,
        )
        for col, value in enumerate(values, start=1):
            cell = cell_at(ws, row, col)
            set_value(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name=layout.font, charset=134)
        lines = max(line_count(v, w) for v, (_, w) in zip(values, FINDINGS_COLUMNS, strict=True))
        ws.row_dimensions[row].height = text_height(lines, layout.font_size)
    ws.print_title_rows = "1:1"
    _fit_to_a4_width(ws)


def build_workbook(
    form: Form,
    card: Scorecard | None = None,
    findings: Sequence[Finding] = (),
    layout: str | Layout | None = None,
) -> Workbook:
    """The workbook for ``form`` in ``layout`` (name, Layout, or the form kind's default)."""
    chosen = layout if isinstance(layout, Layout) else layout_for(form, layout)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_TITLE
    write_sheet(ws, build_sheet(form, chosen, card))
    if findings:
        write_findings(wb.create_sheet(FINDINGS_TITLE), findings, chosen)
    return wb


def write(
    form: Form,
    card: Scorecard | None,
    findings: Sequence[Finding],
    path: str | Path,
    layout: str | Layout | None = None,
) -> Path:
    """Write ``form`` as an official-layout ``.xlsx`` at ``path``; returns the path."""
    path = Path(path)
    packed = io.BytesIO()  # zipped in memory, written in one go: a full disk then fails once, cleanly
    build_workbook(form, card, findings, layout).save(packed)  # (a ZipFile on a failing file fails again
    path.write_bytes(packed.getvalue())  # when collected, printing a traceback past any handler)
    return path
