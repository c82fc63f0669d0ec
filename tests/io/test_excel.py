"""Excel import (.xlsx with openpyxl, .xls with xlrd): every layout of a form reads the same."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.audit import DOUBT_PREFIX, evaluate
from jixiao.errors import InputError
from jixiao.io import jsonio, read, read_all
from jixiao.io.excel import Sheet, value_text, xlsx_sheets
from jixiao.io.grid import Cell, number_text
from jixiao.io.gridtext import form_from_rows
from jixiao.io.notes import doubted_paths
from jixiao.model import Contact, Form, Location
from jixiao.rules import load_profile

Truth = Callable[[str], str]
AsTruth = Callable[[Form], str]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "qiannan-2022.json"


@pytest.mark.parametrize("name", ["seed.xlsx", "seed-shifted.xlsx", "seed.xls"])
def test_seed_workbooks_read_exactly_as_the_transcription(name: str, seed_json: str) -> None:
    form, notes = read(FIXTURES / name)
    assert jsonio.dumps(form) == seed_json
    assert notes == []


#: Cells of a workbook are read exactly: a form that breaks its own arithmetic (016: 9+13+15+10+10+27+9 = 93,
#: 总分 94) gets no import doubt, the auditor blames the unit (A04, not 导入存疑).
SUM_BROKEN: list[tuple[str, str]] = []
#: 008 is cut at 满意度 (分值 80+10) before its 总分: the grid is whole (its footer follows), so the missing 总分 is
#: said; the 分值 short of 100 are the workbook's own cells (the auditor's A-checks), no import doubt.
ROWS_SHORT = [("I21", "total_declared")]


@pytest.mark.parametrize(
    ("name", "truth", "said"),
    [
        ("project-012.xlsx", "012", []),
        ("project-012.xls", "012", []),
        ("project-016.xlsx", "016", SUM_BROKEN),  # shifted, values with inner spaces
        ("project-008.xlsx", "008", ROWS_SHORT),  # numbers typed as text, blank rows between blocks
    ],
)
def test_project_layouts_read_as_their_ground_truth(
    name: str, truth: str, said: list[tuple[str, str]], truth_json: Truth, as_truth: AsTruth
) -> None:
    form, notes = read(FIXTURES / name)
    assert as_truth(form) == truth_json(truth)
    assert [(n.code, n.path) for n in notes] == said


def test_a_workbooks_own_arithmetic_error_is_the_units_not_an_import_doubt() -> None:
    """016's 得分 add up to 93 under a 总分 of 94: A04 blames the unit, not labelled 导入存疑."""
    form, notes = read(FIXTURES / "project-016.xlsx")
    findings = evaluate(form, load_profile("national"), doubted_paths(notes))[1]
    [a04] = [f for f in findings if f.code == "A04"]
    assert not a04.doubt and not a04.message.startswith(DOUBT_PREFIX)


def test_split_target_columns_are_joined(truth_json: Truth, as_truth: AsTruth) -> None:
    form, _ = read(FIXTURES / "split-005.xlsx")
    assert as_truth(form) == truth_json("005")
    assert form.indicators[0].target == "≧735人次"
    assert form.indicators[4].target == "有效"  # 指标性质 定性 is a class, not part of the value


def test_two_sheets_read_the_first_and_name_the_other(seed_json: str) -> None:
    form, notes = read(FIXTURES / "two-forms.xlsx")
    assert jsonio.dumps(form) == seed_json
    assert [n.code for n in notes] == ["I11"]
    assert "中江水利" in notes[0].message


@pytest.mark.parametrize("sheet", ["中江水利", "2"])
def test_sheet_option_picks_a_sheet(sheet: str, truth_json: Truth, as_truth: AsTruth) -> None:
    form, notes = read(FIXTURES / "two-forms.xlsx", sheet=sheet)
    assert as_truth(form) == truth_json("012")
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


def test_chongqing_columns_fund_parts_and_date_cells(tmp_path: Path) -> None:
    """调整指标值/得分系数 columns are read past; 其中 rows keep their labels; a date cell is a date."""
    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["项目支出绩效自评表（2023年度）"],
        ["填报日期", dt.datetime(2024, 3, 15)],
        ["项目名称", "农村公路养护"],
        ["项目资金（万元）", None, "年初预算数", "调整后预算数", "执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 120, 118.5, 110.25, 10, "93.04%", 9.3],
        [None, "其中：本年财政拨款", 100, 100, 95, None, None, None],
        [None, "上年结转资金", 20, 18.5, 15.25],
        [
            *("一级指标", "二级指标", "三级指标", "年度指标值", "调整指标值"),
            *("实际完成值", "分值", "得分系数", "得分"),
        ],
        ["产出指标（40分）", "数量指标", "养护里程", "≥50公里", "≥45公里", "48公里", 20, 0.96, 19.2],
        [None, "质量指标", "优良路率", "≥80%", None, "85%", "20", 1, "20"],
        ["总分", None, None, None, None, None, None, None, 48.5],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A9:A10")
    path = tmp_path / "chongqing.xlsx"
    book.save(path)
    form, notes = read(path)
    # the form names no unit; its two rows carry 40 of the 90 points, as the workbook's cells say (for the auditor)
    assert [(n.code, n.path) for n in notes] == [("I21", "unit")]
    assert (form.kind, form.year, form.project) == ("project", 2023, "农村公路养护")
    assert form.filled_on == "2024年3月15日"
    assert [(r.label, r.initial, r.budget, r.executed) for r in form.funds.rows] == [
        ("年度资金总额", 120, Decimal("118.5"), Decimal("110.25")),
        ("其中：本年财政拨款", 100, 100, 95),
        ("上年结转资金", 20, Decimal("18.5"), Decimal("15.25")),
    ]
    funds = form.funds
    assert (funds.weight, funds.rate_declared, funds.score_declared) == (10, "93.04%", Decimal("9.3"))
    assert [(i.level1, i.target, i.actual, i.weight, i.score_declared) for i in form.indicators] == [
        ("产出指标", "≥50公里", "48公里", 20, Decimal("19.2")),
        ("产出指标", "≥80%", "85%", 20, 20),
    ]
    assert form.total_declared == Decimal("48.5")


@cache
def seed_sheet() -> Sheet:
    return xlsx_sheets(FIXTURES / "seed.xlsx")[0]


@settings(max_examples=20, deadline=None)
@given(
    blank_columns=st.lists(st.integers(0, 12), max_size=4),
    blank_rows=st.lists(st.integers(0, 80), max_size=8),
)
def test_blocks_are_found_wherever_they_are(
    blank_columns: list[int], blank_rows: list[int], seed_json: str
) -> None:
    """Blank columns and rows inserted anywhere do not change the form: nothing is read by address."""
    sheet = seed_sheet()
    blank = Cell("", Location(file="moved.xlsx"))
    rows = [list(row) for row in sheet.rows]
    for column in sorted(blank_columns, reverse=True):
        for row in rows:
            row.insert(min(column, len(row)), blank)
    width = max(len(row) for row in rows)
    for position in sorted(blank_rows, reverse=True):
        rows.insert(min(position, len(rows)), [blank] * width)
    form, notes = form_from_rows(rows, Location(file="moved.xlsx"))
    assert jsonio.dumps(form) == seed_json
    assert notes == []


@pytest.mark.parametrize("keep_tail", [True, False])
def test_a_second_form_on_the_same_sheet_is_not_mixed_in(keep_tail: bool) -> None:
    first = seed_sheet().rows
    if not keep_tail:  # no 总分/结论/footnotes: the next title follows the last indicator row
        last = max(
            i
            for i, row in enumerate(first)
            if any(c.text == "省委州委对我部完成工作任务的满意度" for c in row)
        )
        first = first[: last + 1]
    second = xlsx_sheets(FIXTURES / "project-012.xlsx")[0].rows
    form, notes = form_from_rows([*first, *second], Location(file="stacked.xlsx"))
    expected = jsonio.read(EXAMPLE)
    if not keep_tail:
        expected = expected.model_copy(update={"total_declared": None, "contact": Contact()})
    assert jsonio.dumps(form) == jsonio.dumps(expected)
    # the next form's title ends the first: a first form without its 总分 row is whole, and lacks it
    assert [(n.code, n.path) for n in notes] == ([] if keep_tail else [("I21", "total_declared")]) + [("I13", None)]


def test_a_serial_number_column_is_read_as_no_field(seed_json: str) -> None:
    """A 序号 column (1, 2, 3 … a row) before the 三级指标 holds no field: the form reads as without it."""
    rows = [list(row) for row in seed_sheet().rows]
    head = next(n for n, row in enumerate(rows) if any(c.text == "三级指标" for c in row))
    at = next(n for n, c in enumerate(rows[head]) if c.text == "三级指标")
    where = Location(file="serial.xlsx")
    number = 0
    for n, row in enumerate(rows):
        text = ""
        if n == head:
            text = "序号"
        elif n > head and at < len(row) and row[at].text and not any(c.text == "总分" for c in row):
            number += 1
            text = str(number)
        row.insert(min(at, len(row)), Cell(text, where))
    assert number >= 20
    form, notes = form_from_rows(rows, where)
    assert jsonio.dumps(form) == seed_json
    assert notes == []
