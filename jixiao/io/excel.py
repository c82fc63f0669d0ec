"""Excel workbooks: ``.xlsx`` (openpyxl) and legacy ``.xls`` (xlrd), one form per sheet.

openpyxl runs in ``read_only`` mode, which streams rows and stops at :data:`MAX_ROWS`; read-only
worksheets do not expose merged ranges, so they are read from the sheet's XML: we need them to repeat
a vertically merged value (一级指标, 二级指标) into the rows it covers and to tell a covered cell
(``None``) from a blank one (``""``). :mod:`.sniff` refused large files, large parts and zip bombs
before openpyxl opened anything.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Form, Location
from .grid import Cell, column_name, has_form, number_text
from .gridtext import form_from_rows, forms_from_rows
from .notes import ImportNote

MAX_ROWS = 2000  # an official form has < 100 rows
MAX_COLUMNS = 60

Grid = list[list[str | None]]
Merge = tuple[int, int, int, int]  # first row, last row, first column, last column (0-based)


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]
    truncated: bool


def value_text(value: Any, number_format: str = "General") -> str:
    """A cell value as the text shown in the spreadsheet (exact decimals, percent as written)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        text = number_text(float(value))
        if "%" in number_format and text:
            decimals = re.search(r"\.(0+)%", number_format)
            percent = Decimal(text) * 100
            return f"{percent:.{len(decimals.group(1)) if decimals else 0}f}%"
        return text
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def fill_merges(grid: Grid, merges: list[Merge]) -> None:
    """Repeat a vertically merged value down its first column; other covered cells stay None."""
    for first_row, last_row, first_column, last_column in merges:
        if first_row >= len(grid):
            continue
        top = grid[first_row][first_column] if first_column < len(grid[first_row]) else None
        for row in range(first_row, min(last_row, len(grid) - 1) + 1):
            for column in range(first_column, min(last_column, len(grid[row]) - 1) + 1):
                grid[row][column] = None
            if first_column < len(grid[row]):
                grid[row][first_column] = top


def to_sheet(name: str, grid: Grid, place: str, truncated: bool) -> Sheet:
    rows = [
        [
            Cell(text, Location(file=place, sheet=name, row=r + 1, column=column_name(c)))
            for c, text in enumerate(values)
        ]
        for r, values in enumerate(grid)
    ]
    return Sheet(name, rows, truncated)


#: A merged range in a sheet's XML: ``<mergeCell ref="A3:A9"/>`` (with or without a namespace prefix).
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _xlsx_merges(book: Any, ws: Any) -> list[Merge]:
    """The merged ranges of a read-only worksheet, from its XML part (bounded in size by :mod:`.sniff`)."""
    from openpyxl.utils.cell import range_boundaries

    # read-only worksheets do not parse <mergeCells>; the part is read once more, as bytes
    with book._archive.open(ws._worksheet_path) as part:
        xml = part.read()
    merges = []
    for ref in _MERGE_CELL.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        if None not in (min_col, min_row, max_col, max_row):  # a whole-row/column ref (A:A) merges nothing
            merges.append((min_row - 1, max_row - 1, min_col - 1, max_col - 1))  # type: ignore[operator]
    return merges


def xlsx_sheets(path: Path) -> list[Sheet]:
    """Every sheet's first :data:`MAX_ROWS` rows, streamed (openpyxl ``read_only``).

    Full mode would build every cell of every sheet before the first is read (812 MB for four 15 MB
    sheets); read-only mode parses rows as they are asked for and stops at the row limit. The declared
    dimensions are ignored (a file may lie about them): the grid is as wide as its longest row.
    """
    import openpyxl

    # a file object, not the path: openpyxl refuses paths whose extension is not .xlsx, and the
    # content (checked by sniff) is what counts
    with warnings.catch_warnings(), path.open("rb") as handle:
        warnings.simplefilter("ignore")  # openpyxl warns about styles/extensions it ignores
        book = openpyxl.load_workbook(handle, data_only=True, read_only=True)
        sheets = []
        for ws in book.worksheets:
            if not hasattr(ws, "reset_dimensions"):
                continue  # a chart sheet: no cells
            ws.reset_dimensions()
            rows = [
                [value_text(c.value, c.number_format) if hasattr(c, "number_format") else "" for c in row]
                for row in itertools.islice(ws.iter_rows(), MAX_ROWS + 1)
            ]
            truncated = len(rows) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in rows)
            width = min(max((len(row) for row in rows), default=0), MAX_COLUMNS)
            grid: Grid = [
                [*row[:width], *([""] * (width - len(row)))] for row in rows[:MAX_ROWS]
            ]
            fill_merges(grid, _xlsx_merges(book, ws))
            sheets.append(to_sheet(ws.title, grid, str(path), truncated))
        book.close()
    return sheets


def xls_sheets(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    sheets = []
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        last_row, last_column = min(ws.nrows, MAX_ROWS), min(ws.ncols, MAX_COLUMNS)
        grid: Grid = [[_xls_text(book, ws.cell(r, c)) for c in range(last_column)] for r in range(last_row)]
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        fill_merges(grid, merges)
        sheets.append(to_sheet(ws.name, grid, str(path), ws.nrows > MAX_ROWS or ws.ncols > MAX_COLUMNS))
    book.release_resources()
    return sheets


def _xls_text(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return value_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        number_format = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        return value_text(cell.value, number_format)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return value_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return str(cell.value)


LOADERS: dict[str, Callable[[Path], list[Sheet]]] = {"xlsx": xlsx_sheets, "xls": xls_sheets}


def load_sheets(path: Path, fmt: str) -> list[Sheet]:
    """All sheets of a workbook as cell rows; a damaged workbook is an InputError."""
    try:
        return LOADERS[fmt](path)
    except InputError:
        raise
    except Exception as exc:  # openpyxl/xlrd raise many unrelated types on damaged files
        if "encrypted" in str(exc).lower():
            raise InputError(
                "文件有密码保护（已加密），无法读取；请取消密码后另存再导入", str(path)
            ) from None
        raise InputError(f"无法读取 Excel 文件：{type(exc).__name__}: {exc}", str(path)) from None


def _choose(sheets: list[Sheet], wanted: str, place: str) -> Sheet:
    for sheet in sheets:
        if sheet.name == wanted:
            return sheet
    if wanted.isdigit() and 1 <= int(wanted) <= len(sheets):
        return sheets[int(wanted) - 1]
    names = "、".join(s.name for s in sheets)
    raise InputError(f"没有名为“{wanted}”的工作表（现有：{names}）", place)


def _truncation(sheet: Sheet, place: str) -> list[ImportNote]:
    if not sheet.truncated:
        return []
    message = f"工作表过大，只读取了前 {MAX_ROWS} 行、{MAX_COLUMNS} 列"
    return [ImportNote("I10", message, Location(file=place, sheet=sheet.name))]


def _read_sheet(sheet: Sheet, place: str) -> tuple[Form, list[ImportNote]]:
    form, notes = form_from_rows(sheet.rows, Location(file=place, sheet=sheet.name))
    return form, _truncation(sheet, place) + notes


def read(path: Path, fmt: str = "xlsx", sheet: str | None = None) -> tuple[Form, list[ImportNote]]:
    """The form on ``sheet`` (name or 1-based number), or on the first sheet that holds one."""
    place = str(path)
    sheets = load_sheets(path, fmt)
    if sheet is not None:
        return _read_sheet(_choose(sheets, sheet, place), place)
    with_forms = [s for s in sheets if has_form(s.rows)]
    if not with_forms:
        names = "、".join(s.name for s in sheets)
        raise InputError(f"工作簿中没有找到自评表（工作表 {names} 都没有“三级指标”或资金表头）", place)
    form, notes = _read_sheet(with_forms[0], place)
    if len(with_forms) > 1:
        others = "、".join(s.name for s in with_forms[1:])
        notes.append(
            ImportNote(
                "I11",
                f"工作簿中还有 {len(with_forms) - 1} 张表单未读取（工作表 {others}），可用 --sheet 选择",
                Location(file=place),
            )
        )
    return form, notes


def read_all(path: Path, fmt: str = "xlsx") -> list[tuple[Form, list[ImportNote]]]:
    """Every form in the workbook: on every sheet, all forms stacked there (for batch imports)."""
    place = str(path)
    return [
        (form, _truncation(sheet, place) + notes)
        for sheet in load_sheets(path, fmt)
        if has_form(sheet.rows)
        for form, notes in forms_from_rows(sheet.rows, Location(file=place, sheet=sheet.name))
    ]
