"""The streaming batch workbook: a valid zip and xlsx, exact values, text never a formula, sheets split."""

from __future__ import annotations

import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.report.spreadsheet import EXCEL_MAX_TEXT
from jixiao.report.xlsxstream import (
    TRUNCATED,
    SheetSeries,
    StreamingWorkbook,
    crc32_combine,
    join_fragments,
    rows_fragment,
)

SCHEMA = pa.schema([("file", pa.string()), ("n", pa.int64()), ("value", pa.decimal128(38, 10)),
                    ("met", pa.bool_()), ("text", pa.string())])


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc32_combine_is_the_crc_of_the_concatenation(a, b):
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def batch(rows: list[tuple[object, ...]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([dict(zip(SCHEMA.names, r, strict=True)) for r in rows], schema=SCHEMA)


def write(path: Path, batches: list[pa.RecordBatch], max_rows: int = 1000, via_worker: bool = True) -> None:
    book = StreamingWorkbook(path, path.parent)
    series = SheetSeries(book, "t", SCHEMA.names, max_rows=max_rows)
    for b in batches:
        series.append(b, rows_fragment(b) if via_worker else None)
    book.close()


def test_values_are_exact_and_text_is_never_a_formula(tmp_path):
    rows = [("=HYPERLINK(\"http://x\",\"点我\")", 1, Decimal("98.60"), True, "  前后空格  "),
            ("@SUM(A1:A9)", -7, Decimal("123456789012345"), False, "a & b < c > d"),
            ("铃\u0007声", None, Decimal("1234567890123456.5"), None, "一\r\n二\t三"),
            ("+1", 2**40, None, True, None)]
    path = tmp_path / "t.xlsx"
    write(path, [batch(rows[:2]), batch(rows[2:])])
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None  # every CRC-32 and size matches
    sheet = load_workbook(path)["t"]
    assert [c.value for c in sheet[1]] == SCHEMA.names
    got = [[c for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[0].value for r in got] == ["=HYPERLINK(\"http://x\",\"点我\")", "@SUM(A1:A9)", "铃\ufffd声", "+1"]
    assert all(r[0].data_type == "s" for r in got)
    assert [r[1].value for r in got] == [1, -7, None, 2**40]
    assert Decimal(repr(got[0][2].value)) == Decimal("98.6") and got[1][2].value == 123456789012345
    assert got[2][2].value == "1234567890123456.5"  # more digits than a double holds: exact text
    assert got[3][2].value is None
    assert [r[3].value for r in got] == [True, False, None, True]
    assert [r[4].value for r in got] == ["  前后空格  ", "a & b < c > d", "一\r\n二\t三", None]


def test_a_text_longer_than_an_excel_cell_is_cut_with_a_note(tmp_path):
    long = "偏差原因" * 9000  # 36,000 characters: Excel would call the workbook corrupt
    astral = "\U0001f600" * 20000  # 20,000 characters, 40,000 UTF-16 units as Excel counts them
    path = tmp_path / "t.xlsx"
    write(path, [batch([("a", 1, None, None, long), ("b", 2, None, None, astral), ("c", 3, None, None, "短")])])
    texts = [r[4].value for r in load_workbook(path)["t"].iter_rows(min_row=2)]
    assert texts[0].startswith("偏差原因偏差原因") and texts[0].endswith(TRUNCATED)
    assert len(texts[0]) == EXCEL_MAX_TEXT
    assert len(texts[1].encode("utf-16-le")) // 2 <= EXCEL_MAX_TEXT and texts[1].endswith(TRUNCATED)
    assert texts[2] == "短"


def test_a_table_longer_than_a_sheet_continues_on_the_next(tmp_path):
    rows = [(f"f{i}.json", i, Decimal(i), i % 2 == 0, "=1+1") for i in range(7)]
    for via_worker in (True, False):
        path = tmp_path / f"t{via_worker}.xlsx"
        write(path, [batch(rows[:3]), batch(rows[3:4]), batch(rows[4:])], max_rows=2, via_worker=via_worker)
        book = load_workbook(path)
        assert book.sheetnames == ["t", "t (2)", "t (3)", "t (4)"]
        files = [r[0].value for name in book.sheetnames for r in book[name].iter_rows(min_row=2)]
        assert files == [r[0] for r in rows]
        assert all(book[name]["A1"].value == "file" for name in book.sheetnames)
        assert book["t"]["E2"].value == "=1+1" and book["t"]["E2"].data_type == "s"


def test_joined_fragments_read_as_their_rows(tmp_path):
    rows = [(f"f{i}.json", i, Decimal("0.5"), True, "x") for i in range(5)]
    path = tmp_path / "t.xlsx"
    book = StreamingWorkbook(path, tmp_path)
    series = SheetSeries(book, "t", SCHEMA.names)
    parts = [batch(rows[:2]), batch(rows[2:])]
    series.append(pa.concat_batches(parts), join_fragments([rows_fragment(p) for p in parts]))
    book.close()
    assert [r[0].value for r in load_workbook(path)["t"].iter_rows(min_row=2)] == [r[0] for r in rows]


def test_an_empty_table_still_has_its_header(tmp_path):
    path = tmp_path / "t.xlsx"
    book = StreamingWorkbook(path, tmp_path)
    SheetSeries(book, "t", SCHEMA.names).start_sheet()
    book.close()
    sheet = load_workbook(path)["t"]
    assert [c.value for c in sheet[1]] == SCHEMA.names and sheet.max_row == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # no scratch file left
