"""Findings 3 and 4 of the hardening probe: files that pass the zip-bomb checks yet cost the server gigabytes.

The bounds are checked on work: a limit refused before the heavy library opens the file, memory held while a
file within the limits is read (tracemalloc), never time.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.io import excel, read
from jixiao.io.sniff import DEFAULT_LIMITS, sniff

_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>'
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook(path: Path, sheets: list[bytes]) -> Path:
    """A minimal xlsx with the given worksheet XML parts (what a hostile generator writes)."""
    count = range(1, len(sheets) + 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in count)))
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f"<workbook {_NS} {_REL_NS}><sheets>"
            + "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="r{n}"/>' for n in count)
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="r{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in count
            )
            + "</Relationships>",
        )
        for n, xml in zip(count, sheets, strict=True):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    return path


def _sheet(rows: int, dimension: str = "A1:C1") -> bytes:
    """A worksheet of ``rows`` rows of three inline-string cells; the dimension it declares may lie."""
    body = io.StringIO()
    body.write(f'<worksheet {_NS}><dimension ref="{dimension}"/><sheetData>')
    for r in range(1, rows + 1):
        body.write(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>产出指标</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>数量指标{r}</t></is></c><c r="C{r}"><v>{r}</v></c></row>'
        )
    body.write('</sheetData><mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells></worksheet>')
    return body.getvalue().encode()


def test_four_large_sheets_are_refused_before_openpyxl_opens_them(tmp_path: Path) -> None:
    """Finding 3: four sheets of 15 MB XML (4.4 MB zipped) passed the checks and cost 812 MB and 26 s."""
    sheet = _sheet(88_000)
    assert len(sheet) > 14 * 1024 * 1024
    path = _workbook(tmp_path / "big.xlsx", [sheet] * 4)
    assert path.stat().st_size < DEFAULT_LIMITS.max_file_bytes
    with pytest.raises(InputError, match=r"已拒绝|上限") as refused:
        sniff(path)
    assert refused.value.place == str(path)


def test_a_sheet_within_the_limits_is_streamed_up_to_the_row_limit(tmp_path: Path) -> None:
    """A 7 MB sheet of 40,000 rows that lies about its size: read in read-only mode, cut at MAX_ROWS rows."""
    sheet = _sheet(40_000)
    assert len(sheet) < DEFAULT_LIMITS.max_member_bytes
    path = _workbook(tmp_path / "long.xlsx", [sheet])
    assert sniff(path) == "xlsx"
    tracemalloc.start()
    try:
        (only,) = excel.xlsx_sheets(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert only.truncated and len(only.rows) == excel.MAX_ROWS
    # A1:A3 is merged: the value repeats down the merge (as in full mode)
    assert [c.text for c in only.rows[1][:3]] == ["产出指标", "数量指标2", "2"]
    assert peak < 40 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB held while reading"


def _pdf_with_stream(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is ``inflated_mb`` MB of zeros, FlateDecode-compressed."""
    packer = zlib.compressobj(9)
    block = b"\0" * (1024 * 1024)
    stream = b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()


def test_a_pdf_stream_bomb_is_refused_before_pdfminer_inflates_it(tmp_path: Path) -> None:
    """Finding 4: a 1 MB PDF whose FlateDecode stream inflates to 1 GB cost 10.5 s and 2.18 GB."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_stream(1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="压缩炸弹") as refused:
            read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.place == str(path)
    assert peak < 16 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB held while refusing"


def test_a_pdf_within_the_limits_still_reads() -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    for name in ("seed.pdf", "project-012.pdf", "split-005.pdf"):
        assert sniff(fixtures / name) == "pdf"
    form, _ = read(fixtures / "seed.pdf")
    assert form.indicators
