"""The grid readers (xlsx, PDF, Word) are as honest as the text reader: a row lost is said, with its place.

Development truths and the seed are laid out by the exporter (the official layout), rows or cells are
taken out of the laid-out sheet, and the sheet is written as a real file (xlsx and PDF by the exporters'
writers, Word by python-docx) and read back by the importer.  A workbook's or Word table's cells are the
unit's own: a row missing from them is the unit's arithmetic (the auditor's); a PDF's extraction can lose
cells, so a whole PDF grid (its 总分 row printed) has its sums judged.  The cells of a row that gave no
indicator are said by the coverage check, naming the row; an untouched sheet reads back exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.audit import evaluate
from jixiao.io import jsonio, read
from jixiao.io.accuracy import development_truths
from jixiao.io.blocks import scores_total, weights_total
from jixiao.io.coverage import atoms
from jixiao.io.notes import MISSING_ROWS, ImportNote, doubted, doubted_paths
from jixiao.model import Form, Location
from jixiao.report import pdf, xlsx
from jixiao.report.grid import Cell as GridCell
from jixiao.report.grid import Sheet, as_text, build_sheet
from jixiao.report.layout import layout_for
from jixiao.rules import load_profile

from ..conftest import DATA, EXAMPLES

SEED = jsonio.read(EXAMPLES / "qiannan-2022.json")


def _form(truth: dict[str, Any]) -> Form:
    """A development truth as a Form (its commentary keys dropped), laid out as the exporter lays it out."""
    data = {key: value for key, value in truth.items() if key not in ("notes", "unit_normalized")}
    data["kind"] = data.get("kind") if data.get("kind") in ("department", "project") else "project"
    return jsonio.form_from_data(data)


TRUTHS = [("seed", SEED), *((name, _form(truth)) for name, truth in development_truths(DATA)[1:])]
FOUR_CELLS = 4  # a row whose target, actual, 分值 and 得分 are all printed: a row's worth of values


def _write_xlsx(sheet: Sheet, path: Path) -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    xlsx.write_sheet(book.active, sheet)
    book.save(path)


def _write_pdf(sheet: Sheet, path: Path) -> None:
    pdf.write_sheet(sheet, path, "自评表")


def _write_docx(sheet: Sheet, path: Path) -> None:
    """The sheet as one Word table, merged cells merged (how forms are typed in Word)."""
    document = docx.Document()
    table = document.add_table(rows=sheet.rows, cols=sheet.columns)
    for cell in sheet.cells:
        corner = table.cell(cell.row, cell.col)
        if cell.rows > 1 or cell.cols > 1:
            corner = corner.merge(table.cell(cell.row + cell.rows - 1, cell.col + cell.cols - 1))
        corner.text = as_text(cell.value)
    document.save(str(path))


WRITERS: dict[str, Callable[[Sheet, Path], None]] = {"xlsx": _write_xlsx, "pdf": _write_pdf, "docx": _write_docx}


def _sheet(form: Form) -> Sheet:
    return build_sheet(form, layout_for(form, None))


def _row_of(sheet: Sheet, form: Form, index: int) -> int:
    """The sheet row holding indicator ``index`` (its name cell; the indicator table follows the header)."""
    name = form.indicators[index].name
    return next(c.row for c in sheet.cells if c.row > sheet.indicator_header and c.value == name)


def _without_row(sheet: Sheet, row: int) -> Sheet:
    """The sheet with ``row`` deleted: cells below move up, a merged cell over it is one row shorter."""
    cells = []
    for cell in sheet.cells:
        if cell.row <= row < cell.row + cell.rows and cell.rows > 1:
            cells.append(dataclasses.replace(cell, rows=cell.rows - 1))
        elif cell.row > row:
            cells.append(dataclasses.replace(cell, row=cell.row - 1))
        elif cell.row != row:
            cells.append(cell)
    return dataclasses.replace(sheet, cells=cells, rows=sheet.rows - 1)


def _blanked(sheet: Sheet, row: int, value: object) -> Sheet:
    """The sheet with the cell holding ``value`` on ``row`` left blank."""
    cells = [dataclasses.replace(c, value=None) if c.row == row and c.value == value else c for c in sheet.cells]
    return dataclasses.replace(sheet, cells=cells)


def _read(sheet: Sheet, suffix: str, tmp_path: Path) -> tuple[Form, list[ImportNote]]:
    path = tmp_path / f"form.{suffix}"
    WRITERS[suffix](sheet, path)
    return read(path)


def _cells(form: Form, index: int) -> int:
    row = form.indicators[index]
    return sum(len(atoms(str(v))) for v in (row.target, row.actual, row.weight, row.score_declared) if v is not None)


def _sums_hold(form: Form) -> bool:
    """The form's own sums hold (so a row taken out breaks one of them)."""
    weights = [i.weight for i in form.indicators]
    scores = [i.score_declared for i in form.indicators]
    return weights_total(weights, form.funds.weight) > 0 or scores_total(
        scores, form.funds.score_declared, form.total_declared) > 0


def _counted(form: Form) -> list[int]:
    """The rows whose loss the form's arithmetic shows: without them a holding sum breaks (all 分值 against 100,
    all 得分 against the 总分), or their 一级 block keeps rows whose 分值 fall short of what the block prints."""
    def shown(index: int) -> bool:
        rest = [i for n, i in enumerate(form.indicators) if n != index]
        lost = form.indicators[index]
        block = [i.weight for i in rest if i.level1 == lost.level1]
        return (weights_total([i.weight for i in rest], form.funds.weight) < 0
                or scores_total([i.score_declared for i in rest], form.funds.score_declared, form.total_declared) < 0
                or bool(lost.level1 and block and None not in block and (lost.weight or 0) > 0))
    return [n for n in range(len(form.indicators)) if shown(n)]


def _breaks_a_total(form: Form, index: int) -> bool:
    """Without row ``index`` the form's 分值 no longer add up to 100 or its 得分 to its 总分 (what the auditor checks;
    a 一级 block's printed 分值 is the importer's alone)."""
    rest = [i for n, i in enumerate(form.indicators) if n != index]
    return (weights_total([i.weight for i in rest], form.funds.weight) < 0
            or scores_total([i.score_declared for i in rest], form.funds.score_declared, form.total_declared) < 0)


def _place(location: Location) -> str:
    return Location(sheet=location.sheet, page=location.page, row=location.row, line=location.line).describe()


SUMMED = [(name, form) for name, form in TRUTHS if form.total_declared is not None and _sums_hold(form)]


def test_enough_truths_whose_sums_hold() -> None:
    assert len(SUMMED) >= 8


def _unspaced(form: Form) -> list[dict[str, Any]]:
    """The indicators' fields with every white space removed (a PDF line wrapped at a space loses it)."""
    def plain(value: Any) -> Any:
        return "".join(value.split()) if isinstance(value, str) else value
    return [{key: plain(value) for key, value in row.model_dump().items()} for row in form.indicators]


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_the_seed_laid_out_reads_back_exactly_and_without_notes(suffix: str, tmp_path: Path) -> None:
    form, notes = _read(_sheet(SEED), suffix, tmp_path)
    if suffix == "pdf":  # where a PDF line wraps at a space the space is lost (tests/report/test_roundtrip.py)
        assert _unspaced(form) == _unspaced(SEED)
    else:
        assert jsonio.dumps(form) == jsonio.dumps(SEED)
    assert notes == []


def _said(notes: list[ImportNote]) -> list[tuple[str, str | None]]:
    return [(note.code, note.path) for note in notes]


def _sum_findings_blame_the_unit(form: Form, notes: list[ImportNote]) -> bool:
    """The form's broken sums are found by the auditor (A-checks) and none is labelled 导入存疑."""
    findings = evaluate(form, load_profile("national"), doubted_paths(notes))[1]
    sums = [f for f in findings if f.code.startswith("A") and f.path in ("indicators", "total_declared")]
    return bool(sums) and not any(f.doubt for f in sums)


@settings(max_examples=25)
@given(data=st.data())
def test_a_row_deleted_from_a_workbook_is_the_units_arithmetic(data: st.DataObject, tmp_path_factory: Any) -> None:
    """A workbook's cells are read exactly: a row missing from it (no cell of it left for the coverage) is what the
    unit sent, so its broken sums are the auditor's findings, not an import doubt."""
    name, form = data.draw(st.sampled_from(SUMMED))
    summed = [n for n in _counted(form) if _breaks_a_total(form, n)]
    assume(summed)
    index = data.draw(st.sampled_from(summed))
    sheet = _sheet(form)
    _, before = _read(sheet, "xlsx", tmp_path_factory.mktemp("w"))
    back, notes = _read(_without_row(sheet, _row_of(sheet, form, index)), "xlsx", tmp_path_factory.mktemp("x"))
    assert len(back.indicators) == len(form.indicators) - 1, name
    assert _said(notes) == _said(before), (name, index, [n.describe() for n in notes])
    assert _sum_findings_blame_the_unit(back, notes), name


@settings(max_examples=25)
@given(data=st.data())
def test_a_row_whose_name_cell_is_lost_is_named_by_its_place(data: st.DataObject, tmp_path_factory: Any) -> None:
    name, form = data.draw(st.sampled_from(TRUTHS))
    full = [n for n in range(len(form.indicators)) if _cells(form, n) >= FOUR_CELLS]
    assume(full)
    index = data.draw(st.sampled_from(full))
    sheet = _sheet(form)
    row = _row_of(sheet, form, index)
    whole, _ = _read(sheet, "xlsx", tmp_path_factory.mktemp("w"))
    where = whole.provenance[f"indicators[{index}]"]
    _, notes = _read(_blanked(sheet, row, form.indicators[index].name), "xlsx", tmp_path_factory.mktemp("x"))
    said = [n for n in notes if n.code == "I25" and n.path == MISSING_ROWS]
    assert said and _place(where) in said[0].message, (name, index, [n.describe() for n in notes])


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
@pytest.mark.parametrize("name", [name for name, _ in SUMMED[:4]])
def test_pdf_and_word_say_a_lost_name_and_a_pdf_a_deleted_row(name: str, suffix: str, tmp_path: Path) -> None:
    """A PDF's extraction can lose cells: a row missing from it doubts the list, naming the 一级 block whose 分值 fall
    short.  A Word table is read exactly, as a workbook is: a row missing from it is the unit's arithmetic."""
    form = dict(SUMMED)[name]
    index = next(n for n in _counted(form) if _cells(form, n) >= FOUR_CELLS and _breaks_a_total(form, n))
    sheet = _sheet(form)
    row = _row_of(sheet, form, index)
    short, notes = _read(_without_row(sheet, row), suffix, tmp_path)
    if suffix == "pdf":
        assert doubted(notes, MISSING_ROWS), [n.describe() for n in notes]
        lost = form.indicators[index]
        block = [i for i in form.indicators if i.level1 == lost.level1]
        if lost.level1 and len(block) > 1 and (lost.weight or 0) > 0 and all(i.weight is not None for i in block):
            named = [n for n in notes if f"「{lost.level1}」" in n.message and n.path == "indicators"]
            assert named and named[0].location is not None and named[0].location.page is not None
    whole, before = _read(sheet, suffix, tmp_path)
    if suffix == "docx":
        assert _said(notes) == _said(before) and _sum_findings_blame_the_unit(short, notes), [n.describe() for n in notes]
    where = whole.provenance[f"indicators[{index}]"]
    _, notes = _read(_blanked(sheet, row, form.indicators[index].name), suffix, tmp_path)
    said = [n for n in notes if n.code == "I25" and n.path == MISSING_ROWS]
    assert said and _place(where) in said[0].message, [n.describe() for n in notes]


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_grid_without_its_total_row_is_cut_off_and_its_sums_are_not_judged(suffix: str, tmp_path: Path) -> None:
    sheet = _sheet(SEED)
    last = max(_row_of(sheet, SEED, n) for n in range(len(SEED.indicators)))
    cut = dataclasses.replace(sheet, cells=[c for c in sheet.cells if c.row <= last], rows=last + 1)
    # the last row lost too: the sums are short, but the table has no end, so nothing says the grid is whole
    shorter = _without_row(cut, last)
    form, notes = _read(shorter, suffix, tmp_path)
    assert form.total_declared is None and len(form.indicators) == len(SEED.indicators) - 1
    assert not any(n.path in ("total_declared", "indicators") for n in notes), [n.describe() for n in notes]
    assert Decimal(sum(i.weight or 0 for i in form.indicators)) < 90


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_footer_under_the_table_makes_the_grid_whole(suffix: str, tmp_path: Path) -> None:
    """The 总分 and 结论 rows lost, the 联系人 line right under the table: the grid is whole, its 总分 is missing."""
    sheet = _sheet(SEED)
    last = max(_row_of(sheet, SEED, n) for n in range(len(SEED.indicators)))
    contact = next(c.row for c in sheet.cells if str(c.value or "").startswith("联系人"))
    for row in reversed(range(last + 1, contact)):
        sheet = _without_row(sheet, row)
    form, notes = _read(sheet, suffix, tmp_path)
    assert form.total_declared is None and form.contact == SEED.contact
    assert ("I21", "total_declared") in [(n.code, n.path) for n in notes], [n.describe() for n in notes]


def _with_row(sheet: Sheet, at: int, values: dict[int, object]) -> Sheet:
    """The sheet with a row inserted at ``at`` holding ``values`` by column: cells from ``at`` on move down, a merged
    cell over ``at`` is one row longer."""
    style = next(c.style for c in sheet.cells if c.row == at - 1)
    cells = [dataclasses.replace(c, row=c.row + 1) if c.row >= at
             else dataclasses.replace(c, rows=c.rows + 1) if c.row + c.rows > at else c for c in sheet.cells]
    cells += [GridCell(at, col, value, style) for col, value in values.items()]
    return dataclasses.replace(sheet, cells=cells, rows=sheet.rows + 1)


def _column(sheet: Sheet, header: str) -> int:
    return next(c.col for c in sheet.cells if c.row == sheet.indicator_header and c.value == header)


def _with_subtotals(form: Form, label: Callable[[str], str]) -> Sheet:
    """The laid-out form with a subtotal row under each 一级 block: ``label(block)``, its 分值 and 得分 sums."""
    sheet = _sheet(form)
    level, weight, score = (_column(sheet, header) for header in ("一级指标", "分值", "得分"))
    blocks = list(dict.fromkeys(i.level1 for i in form.indicators if i.level1))
    for block in reversed(blocks):  # from the bottom, so the rows above keep their places
        members = [n for n, i in enumerate(form.indicators) if i.level1 == block]
        last = max(_row_of(sheet, form, n) for n in members)
        sums = [sum((getattr(form.indicators[n], key) or Decimal(0) for n in members), Decimal(0))
                for key in ("weight", "score_declared")]
        sheet = _with_row(sheet, last + 1, {level: label(block), weight: sums[0], score: sums[1]})
    return sheet


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("label", [lambda block: block, lambda block: "小计"], ids=["level", "xiaoji"])
@pytest.mark.parametrize("name", ["seed", "012"])
def test_subtotal_rows_stay_silent(name: str, label: Callable[[str], str], suffix: str, tmp_path: Path) -> None:
    """``产出指标 | 50 | 48.5`` or ``小计 | 50 | 48.5`` under each block: the block's own figures, no lost row."""
    form = dict(TRUTHS)[name]
    back, notes = _read(_with_subtotals(form, label), suffix, tmp_path)
    _, before = _read(_sheet(form), suffix, tmp_path)
    assert _said(notes) == _said(before), [n.describe() for n in notes]
    assert [i.name for i in back.indicators] == [i.name for i in form.indicators]


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_page_marks_and_a_continued_tables_title_stay_silent(suffix: str, tmp_path: Path) -> None:
    """``- 2 -``, ``2 / 3`` and ``表1-2（续）`` between the rows (a page break printed into the table) are no rows."""
    sheet = _sheet(SEED)
    middle, name = _row_of(sheet, SEED, len(SEED.indicators) // 2), _column(sheet, "三级指标")
    for mark in ("表1-2（续）", "2 / 3", "- 2 -"):
        sheet = _with_row(sheet, middle, {name: mark})
    back, notes = _read(sheet, suffix, tmp_path)
    assert notes == [], [n.describe() for n in notes]
    assert len(back.indicators) == len(SEED.indicators)
