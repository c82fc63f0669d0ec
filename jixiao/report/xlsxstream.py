"""Streaming xlsx of the batch tables (批量结果工作簿): no cell objects, no whole sheet in memory.

An xlsx is a zip of XML parts. The rows of each chunk become sheet XML column-wise in Arrow's C++
(:func:`sheet_rows_xml`) and are deflated where they are made — on the batch workers — into a
:class:`Fragment`: raw deflate ending on a byte boundary (``Z_SYNC_FLUSH``), its CRC-32 and length.
Fragments concatenate into one deflate stream (as pigz does) and their CRC-32s combine without the data
(``crc32_combine``), so the parent process of a batch only appends bytes to a file per sheet and
writes the zip around them at the end (:class:`StreamingWorkbook`).

Cells: text is an inline string (``t="inlineStr"``), so it is never a formula, whatever it starts with
(:data:`~jixiao.report.spreadsheet.FORMULA_TRIGGERS`); characters XML cannot hold become U+FFFD; a text
longer than an Excel cell holds is cut with a note saying so (CSV and Parquet keep it whole); a
decimal is a number written with its exact digits when a double holds it (≤ 15 significant digits),
otherwise exact text.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from zlib_ng import zlib_ng as zlib  # zlib's API: deflate at a fourth of the CPU, CRC-32 at a seventh

from ..scoring import decimal_text
from .spreadsheet import EXCEL_MAX_TEXT

#: Deflate level of the sheets: level 1 is a fifth of the CPU of the default 6 for a file ~30 % larger.
DEFLATE_LEVEL = 1
#: Excel's rows per sheet minus the header: a longer table continues on ``name (2)``.
EXCEL_MAX_ROWS = 1_048_575
#: Significant digits a double holds exactly: longer decimals are written as text, never rounded.
DOUBLE_DIGITS = 15

_INLINE_OPEN = '<c t="inlineStr"><is><t>'
_INLINE_PRESERVED = '<c t="inlineStr"><is><t xml:space="preserve">'  # leading or trailing blanks kept
_INLINE_CLOSE = "</t></is></c>"
_EMPTY_CELL = "<c/>"
#: The end of a text cut to fit an Excel cell; the tables in CSV and Parquet keep it whole.
TRUNCATED = "…（超出 Excel 单元格字符上限，全文见 CSV 或 Parquet）"
#: Characters XML 1.0 cannot hold (control characters but tab and newlines, U+FFFE, U+FFFF), in RE2 syntax.
_XML_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_XML_SPECIAL = r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # \r would read back as \n


def arrow(value: object) -> pa.Scalar:
    """A constant of the compute calls as an Arrow scalar, made once: a Python value given to a compute
    function is converted again on every call (type inference and, each time, a failed ``import dateutil``),
    which costs several times what the function itself does on a chunk's column."""
    return pa.scalar(value)


_TRUE, _FALSE, _EMPTY = arrow(True), arrow(False), arrow("")
_A_INLINE_OPEN, _A_INLINE_PRESERVED, _A_INLINE_CLOSE = arrow(_INLINE_OPEN), arrow(_INLINE_PRESERVED), arrow(_INLINE_CLOSE)
_A_NUMBER_OPEN, _A_NUMBER_CLOSE, _A_EMPTY_CELL = arrow("<c><v>"), arrow("</v></c>"), arrow(_EMPTY_CELL)
_A_TRUE_CELL, _A_FALSE_CELL = arrow('<c t="b"><v>1</v></c>'), arrow('<c t="b"><v>0</v></c>')
_A_ROW_OPEN, _A_ROW_CLOSE = arrow("<row>"), arrow("</row>")
_A_ZERO = arrow("0")
_A_EXCEL_MAX_TEXT, _A_DOUBLE_DIGITS = arrow(EXCEL_MAX_TEXT), arrow(DOUBLE_DIGITS)


@cache
def _zero_text(scale: int) -> pa.Scalar:
    """How Arrow writes a decimal zero of ``scale`` places: 0E-10."""
    return arrow(f"0E-{scale}")


def plain_decimal_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Decimals as text without padding zeros or exponent: 98.6000000000 → 98.6, 0E-10 → 0."""
    text = pc.cast(column, pa.string())
    if pa.types.is_decimal(column.type) and column.type.scale > 0:  # zero is written 0E-10
        text = pc.if_else(pc.equal(text, _zero_text(column.type.scale)), _A_ZERO, text)
    if pc.any(pc.match_substring(text, "E")).as_py():  # Arrow writes |x| < 1e-7 in scientific notation
        return pa.array([None if v is None else decimal_text(v) for v in column.to_pylist()], pa.string())
    if pa.types.is_decimal(column.type) and column.type.scale > 0:  # every value has a point: 98.60 → 98.6, 100.0 → 100
        text = pc.utf8_rtrim(pc.utf8_rtrim(text, "0"), ".")
    return text


def xml_text(column: pa.Array) -> pa.Array:
    """Text as XML character data: markup escaped, characters XML cannot hold replaced by U+FFFD.
    Only the values that need it are rewritten (most need nothing)."""
    special = pc.fill_null(pc.match_substring_regex(column, _XML_SPECIAL), _FALSE)
    if not pc.any(special).as_py():
        return column
    rewritten = column.filter(special)
    for raw, escaped in _XML_ESCAPES:
        rewritten = pc.replace_substring(rewritten, raw, escaped)
    rewritten = pc.replace_substring_regex(rewritten, _XML_ILLEGAL, "\ufffd")
    return pc.replace_with_mask(column, special, rewritten)


def excel_text(column: pa.Array) -> pa.Array:
    """Text that fits an Excel cell: a longer one is cut and ends with :data:`TRUNCATED`."""
    long = pc.fill_null(pc.greater(pc.binary_length(column), _A_EXCEL_MAX_TEXT), _FALSE)  # UTF-16 units ≤ UTF-8 bytes
    if not pc.any(long).as_py():
        return column
    return pc.replace_with_mask(column, long, pa.array([fit_cell(v) for v in column.filter(long).to_pylist()],
                                                       pa.string()))


def fit_cell(text: str) -> str:
    """One text cut to Excel's limit, counted as Excel counts (UTF-16 units); a split pair is dropped."""
    units = text.encode("utf-16-le")
    if len(units) // 2 <= EXCEL_MAX_TEXT:
        return text
    return units[: (EXCEL_MAX_TEXT - len(TRUNCATED)) * 2].decode("utf-16-le", errors="ignore") + TRUNCATED


def _inline(text: pa.Array) -> pa.Array:
    cells = pc.binary_join_element_wise(_A_INLINE_OPEN, text, _A_INLINE_CLOSE, _EMPTY)
    padded = pc.fill_null(pc.not_equal(pc.utf8_length(pc.utf8_trim_whitespace(text)), pc.utf8_length(text)), _FALSE)
    if not pc.any(padded).as_py():
        return cells
    return pc.if_else(padded, pc.binary_join_element_wise(_A_INLINE_PRESERVED, text, _A_INLINE_CLOSE, _EMPTY), cells)


def _number(text: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(_A_NUMBER_OPEN, text, _A_NUMBER_CLOSE, _EMPTY)


def _decimal_cells(column: pa.Array) -> pa.Array:
    text = plain_decimal_text(column)
    fits = pc.fill_null(pc.less_equal(pc.utf8_length(text), _A_DOUBLE_DIGITS), _TRUE)  # ≤ 15 characters: ≤ 15 digits
    if pc.all(fits).as_py():
        return _number(text)
    digits = pc.utf8_ltrim(pc.replace_substring_regex(text, r"[-.]", ""), "0")
    fits = pc.fill_null(pc.less_equal(pc.utf8_length(digits), _A_DOUBLE_DIGITS), _TRUE)
    return pc.if_else(fits, _number(text), _inline(text))


def _cells(column: pa.Array) -> pa.Array:
    """One column as ``<c>`` elements, an empty cell for a null (rows carry no cell references)."""
    kind = column.type
    if pa.types.is_decimal(kind):
        cells = _decimal_cells(column)
    elif pa.types.is_boolean(kind):
        cells = pc.if_else(column, _A_TRUE_CELL, _A_FALSE_CELL)
    elif pa.types.is_integer(kind):
        cells = _number(pc.cast(column, pa.string()))
    else:
        cells = _inline(xml_text(excel_text(column)))
    return pc.fill_null(cells, _A_EMPTY_CELL)


def per_value(convert: Callable[[pa.Array], pa.Array], column: pa.Array) -> pa.Array:
    """``convert(column)`` computed once per distinct value (a null stays null): a table's texts and amounts
    repeat from row to row (the file, its unit, a check's message), and hashing them costs a fraction of the
    escaping and formatting passes it spares."""
    encoded = pc.dictionary_encode(column)
    return pc.take(convert(encoded.dictionary), encoded.indices)


def _cells_by_value(column: pa.Array) -> pa.Array:
    if pa.types.is_boolean(column.type):  # two values: nothing to spare
        return _cells(column)
    return pc.fill_null(per_value(_cells, column), _A_EMPTY_CELL)


def sheet_rows_xml(batch: pa.RecordBatch) -> bytes:
    """The rows of a record batch as ``<row>`` elements of sheet XML, built column-wise in Arrow."""
    if not batch.num_rows:
        return b""
    cells = list(batch.columns)
    by_type: dict[pa.DataType, list[int]] = {}
    for i, column in enumerate(cells):
        by_type.setdefault(column.type, []).append(i)
    for indices in by_type.values():  # one pass per type over its columns end to end: each call has a fixed cost
        joined = _cells_by_value(pa.concat_arrays([cells[i] for i in indices]))
        for k, i in enumerate(indices):
            cells[i] = joined.slice(k * batch.num_rows, batch.num_rows)
    rows = pc.binary_join_element_wise(_A_ROW_OPEN, *cells, _A_ROW_CLOSE, _EMPTY)
    _, offsets, data = rows.buffers()  # the rows end to end are the array's data buffer: no Python join
    start, end = struct.unpack_from("<i", offsets, 4 * rows.offset)[0], struct.unpack_from(
        "<i", offsets, 4 * (rows.offset + len(rows)))[0]
    return bytes(data.slice(start, end - start).to_pybytes())


def header_xml(names: Iterable[str]) -> bytes:
    """The header row of a sheet: the column names as text."""
    cells = "".join(f"{_INLINE_OPEN}{name}{_INLINE_CLOSE}" for name in names)
    return f"<row>{cells}</row>".encode()


@dataclass(frozen=True, slots=True)
class Fragment:
    """Part of a sheet: raw deflate ending on a byte boundary, the CRC-32 and length of its XML, its rows."""

    data: bytes
    crc: int
    size: int
    rows: int


def deflate(xml: bytes, rows: int = 0) -> Fragment:
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return Fragment(packer.compress(xml) + packer.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(xml), len(xml), rows)


crc32_combine = zlib.crc32_combine  # CRC-32 of A + B from CRC-32(A), CRC-32(B) and len(B)


def join_fragments(fragments: list[Fragment]) -> Fragment:
    """Consecutive fragments as one."""
    crc = 0
    for fragment in fragments:
        crc = crc32_combine(crc, fragment.crc, fragment.size)
    return Fragment(b"".join(f.data for f in fragments), crc, sum(f.size for f in fragments),
                    sum(f.rows for f in fragments))


def rows_fragment(batch: pa.RecordBatch) -> Fragment:
    """A record batch as a sheet fragment (what a batch worker sends for each table of a chunk)."""
    return deflate(sheet_rows_xml(batch), batch.num_rows)


# --- the workbook ------------------------------------------------------------------------------------

_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = b"</sheetData></worksheet>"
_FINAL_BLOCK = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15).flush()  # an empty last deflate block
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(slots=True)
class SheetPart:
    """One sheet being written: its deflate fragments go to a file, its CRC-32 and sizes are kept."""

    title: str
    path: Path
    handle: IO[bytes]
    crc: int = 0
    size: int = 0
    packed: int = 0
    rows: int = 0

    def add(self, fragment: Fragment) -> None:
        self.handle.write(fragment.data)
        self.crc = crc32_combine(self.crc, fragment.crc, fragment.size)
        self.size += fragment.size
        self.packed += len(fragment.data)
        self.rows += fragment.rows


class SheetSeries:
    """One table as sheets ``name``, ``name (2)`` …, each holding at most ``max_rows`` rows under its header."""

    def __init__(self, book: StreamingWorkbook, name: str, columns: list[str], max_rows: int = EXCEL_MAX_ROWS):
        self.book, self.name, self.columns, self.max_rows = book, name, columns, max_rows
        self.sheet: SheetPart | None = None
        self.parts = 0

    def start_sheet(self) -> SheetPart:
        self.parts += 1
        self.sheet = self.book.add_sheet(self.name if self.parts == 1 else f"{self.name} ({self.parts})")
        self.sheet.add(deflate(header_xml(self.columns)))
        return self.sheet

    def append(self, batch: pa.RecordBatch, fragment: Fragment | None = None) -> None:
        """Rows of the table, with their fragment if a worker made it; split here at a sheet's end."""
        sheet = self.sheet or self.start_sheet()
        if sheet.rows + batch.num_rows <= self.max_rows:
            sheet.add(fragment or rows_fragment(batch))
            return
        room = self.max_rows - sheet.rows
        if room:
            sheet.add(rows_fragment(batch.slice(0, room)))
        self.start_sheet()
        self.append(batch.slice(room))


class StreamingWorkbook:
    """An xlsx written sheet by sheet from deflate fragments; :meth:`close` assembles the zip."""

    def __init__(self, path: Path, scratch: Path) -> None:
        self.path, self.scratch = path, scratch
        self.sheets: list[SheetPart] = []

    def add_sheet(self, title: str) -> SheetPart:
        path = self.scratch / f".sheet{len(self.sheets) + 1}.deflate"
        sheet = SheetPart(title, path, open(path, "wb"))  # noqa: SIM115 - closed in close()
        sheet.add(deflate(_SHEET_HEAD))
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.add(deflate(_SHEET_TAIL))
            sheet.handle.write(_FINAL_BLOCK)
            sheet.packed += len(_FINAL_BLOCK)
            sheet.handle.close()
        with open(self.path, "wb") as handle:
            archive = ZipWriter(handle)
            for name, xml in self.package_parts():
                archive.add(name, deflate(xml).data + _FINAL_BLOCK, zlib.crc32(xml), len(xml))
            for i, sheet in enumerate(self.sheets, 1):
                with open(sheet.path, "rb") as data:
                    archive.add_stream(f"xl/worksheets/sheet{i}.xml", data, sheet.crc, sheet.size, sheet.packed)
                sheet.path.unlink()
            archive.finish()

    def package_parts(self) -> list[tuple[str, bytes]]:
        """The small XML parts around the sheets: content types, relationships, the workbook, its styles."""
        n = range(1, len(self.sheets) + 1)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>' for i in n)
        doc = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        content_types = (
            f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{doc}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{doc}.styles+xml"/>{types}</Types>')
        root_rels = (f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                     f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheets = "".join(f'<sheet name="{s.title}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(self.sheets, 1))
        workbook = f'{_XML_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in n)
        styles_id = len(self.sheets) + 1
        workbook_rels = (f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship Id="rId{styles_id}" '
                         f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        styles = (f'{_XML_DECL}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/>'
                  '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
                  '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                  '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
                  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
        return [("[Content_Types].xml", content_types.encode()), ("_rels/.rels", root_rels.encode()),
                ("xl/workbook.xml", workbook.encode()), ("xl/_rels/workbook.xml.rels", workbook_rels.encode()),
                ("xl/styles.xml", styles.encode())]


# --- the zip container (deflated entries whose CRC-32 and sizes are known; Zip64 where they are large) ---

_ZIP64_LIMIT = 0xFFFFFFFF
_DOS_DATE = (2026 - 1980) << 9 | 1 << 5 | 1  # entries carry a fixed date: the same tables give the same bytes


class ZipWriter:
    """Writes a zip of already-deflated entries (method 8) sequentially to a binary handle."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.entries: list[tuple[bytes, int, int, int, int]] = []  # name, crc, size, packed, offset

    def add(self, name: str, data: bytes, crc: int, size: int) -> None:
        self._header(name, crc, size, len(data))
        self.handle.write(data)

    def add_stream(self, name: str, data: IO[bytes], crc: int, size: int, packed: int) -> None:
        self._header(name, crc, size, packed)
        while block := data.read(1 << 20):
            self.handle.write(block)

    def _header(self, name: str, crc: int, size: int, packed: int) -> None:
        encoded = name.encode()
        offset = self.handle.tell()
        self.entries.append((encoded, crc, size, packed, offset))
        large = size >= _ZIP64_LIMIT or packed >= _ZIP64_LIMIT
        extra = struct.pack("<HHQQ", 1, 16, size, packed) if large else b""
        sizes = (_ZIP64_LIMIT, _ZIP64_LIMIT) if large else (packed, size)
        self.handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if large else 20, 0, 8, 0, _DOS_DATE, crc,
                                      *sizes, len(encoded), len(extra)) + encoded + extra)

    def finish(self) -> None:
        start = self.handle.tell()
        for name, crc, size, packed, offset in self.entries:
            big = [v for v in (size, packed, offset) if v >= _ZIP64_LIMIT]
            extra = struct.pack(f"<HH{len(big)}Q", 1, 8 * len(big), *big) if big else b""
            fields = [_ZIP64_LIMIT if v >= _ZIP64_LIMIT else v for v in (packed, size, offset)]
            self.handle.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45 if big else 20, 0, 8, 0,
                                          _DOS_DATE, crc, fields[0], fields[1], len(name), len(extra), 0, 0, 0,
                                          0, fields[2]) + name + extra)
        end = self.handle.tell()
        count, directory = len(self.entries), end - start
        if start >= _ZIP64_LIMIT or count >= 0xFFFF:
            self.handle.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, directory,
                                          start))
            self.handle.write(struct.pack("<IIQI", 0x07064B50, 0, end, 1))
            start = min(start, _ZIP64_LIMIT)
        self.handle.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                                      directory, start, 0))
