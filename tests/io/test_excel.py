"""Excel import (.xlsx with openpyxl, .xls with xlrd): every layout of a form reads the same."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.errors import InputError
from jixiao.io import jsonio, read, read_all
from jixiao.io.excel import value_text
from jixiao.io.grid import number_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("name", ["seed.xlsx", "seed-shifted.xlsx", "seed.xls"])
def test_seed_workbooks_read_exactly_as_the_transcription(name: str, seed_json: str) -> None:
    form, notes = read(FIXTURES / name)
    assert jsonio.dumps(form) == seed_json
    assert notes == []


def test_project_layout_reads_as_its_ground_truth(truth_json) -> None:  # type: ignore[no-untyped-def]
    form, _ = read(FIXTURES / "project-012.xlsx")
    assert jsonio.dumps(form) == truth_json("012")


def test_split_target_columns_are_joined(truth_json) -> None:  # type: ignore[no-untyped-def]
    form, _ = read(FIXTURES / "split-005.xlsx")
    assert jsonio.dumps(form) == truth_json("005")
    assert form.indicators[0].target == "≧735人次"
    assert form.indicators[4].target == "有效"  # 指标性质 定性 is a class, not part of the value


def test_two_sheets_read_the_first_and_name_the_other(seed_json: str) -> None:
    form, notes = read(FIXTURES / "two-forms.xlsx")
    assert jsonio.dumps(form) == seed_json
    assert [n.code for n in notes] == ["I11"]
    assert "中江水利" in notes[0].message


@pytest.mark.parametrize("sheet", ["中江水利", "2"])
def test_sheet_option_picks_a_sheet(sheet: str, truth_json) -> None:  # type: ignore[no-untyped-def]
    form, notes = read(FIXTURES / "two-forms.xlsx", sheet=sheet)
    assert jsonio.dumps(form) == truth_json("012")
    assert notes == []


def test_unknown_sheet_lists_the_sheets() -> None:
    with pytest.raises(InputError) as caught:
        read(FIXTURES / "two-forms.xlsx", sheet="Sheet9")
    assert "黔南组织部" in caught.value.message and "中江水利" in caught.value.message


def test_read_all_gives_one_form_per_sheet() -> None:
    forms = [form for form, _ in read_all(FIXTURES / "two-forms.xlsx")]
    assert [f.unit for f in forms] == ["中共黔南州委组织部", "中江县水利局"]


def test_provenance_points_at_the_cell_holding_the_value() -> None:
    path = FIXTURES / "seed-shifted.xlsx"
    form, _ = read(path)
    sheet = openpyxl.load_workbook(path)["Sheet1"]
    for field, value in [
        ("indicators[9].reason", form.indicators[9].reason),
        (f"indicators[{len(form.indicators) - 1}].actual", form.indicators[-1].actual),
        ("goals.actual", form.goals.actual),
    ]:
        where = form.where(field)
        assert where is not None and where.sheet == "Sheet1"
        assert sheet[f"{where.column}{where.row}"].value == value
    budget = form.where("funds.rows[0].budget")
    assert budget is not None and sheet[f"{budget.column}{budget.row}"].value == "3989.07万元"


def test_unreadable_number_is_noted_with_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "bad-weight.xlsx"
    shutil.copy(FIXTURES / "seed.xlsx", path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "大组工网络运维费用")
    weight = sheet.cell(cell.row, cell.column + 3)
    weight.value = "两分"
    book.save(path)
    form, notes = read(path)
    assert form.indicators[0].weight is None
    assert [(n.code, n.location.row if n.location else None) for n in notes] == [("I12", cell.row)]
    assert "两分" in notes[0].message


def test_float_cells_become_the_decimals_people_typed() -> None:
    assert number_text(0.1 + 0.2) == "0.3"  # formula noise is rounded away
    assert number_text(2.0) == "2"
    assert number_text(3989.07) == "3989.07"
    assert number_text(387664.62) == "387664.62"
    assert Decimal(number_text(1 / 3)) == Decimal("0.3333333333")
    assert value_text(0.99, "0%") == "99%"
    assert value_text(1.0, "0.00%") == "100.00%"
