"""The form's sums across rows as constraints, and the form's shape: what they doubt on real forms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from jixiao.io import read
from jixiao.io.blocks import (
    execution_rate,
    funds_points,
    level_sum,
    scores_total,
    subrows_sum,
    weights_total,
)
from jixiao.io.notes import ImportNote
from jixiao.io.text import read_text
from jixiao.model import FundRow

from ..conftest import DATA

CORPUS = DATA / "corpus"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
weights = st.lists(st.integers(1, 40).map(Decimal), min_size=1, max_size=12)


def _notes(number: str) -> list[ImportNote]:
    return read_text(CORPUS / f"{number}.txt")[1]


def _paths(notes: list[ImportNote], code: str = "I20") -> set[str]:
    return {n.path for n in notes if n.code == code and n.path}


@given(weights)
def test_a_level_block_holds_exactly_when_its_rows_add_up(rows: list[Decimal]) -> None:
    assert level_sum(rows, sum(rows)) == 1
    assert level_sum(rows, sum(rows) + 1) == -1
    assert level_sum([*rows, None], sum(rows)) == 0  # a 分值 not read: nothing to judge


@given(weights, st.sampled_from([Decimal(0), Decimal(10), Decimal(20)]))
def test_weights_add_up_to_100_with_or_without_the_execution_points(rows: list[Decimal], funds: Decimal) -> None:
    total = sum(rows)
    expected = 1 if Decimal(100) in (total + funds, total) else -1
    assert weights_total(rows, funds) == expected


def test_scores_add_up_to_the_declared_total_within_rounding() -> None:
    assert scores_total([Decimal(40), Decimal("48.6")], Decimal("9.9"), Decimal("98.5")) == 1
    assert scores_total([Decimal(40), Decimal(48)], Decimal(9), Decimal(94)) == -1
    assert scores_total([Decimal(90)], None, None) == 0


@given(st.integers(1, 10**6), st.integers(0, 100))
def test_the_rate_is_executed_over_budget(budget: int, share: int) -> None:
    executed = Decimal(budget) * share / 100
    printed = f"{(executed / budget * 100).quantize(Decimal('0.01'))}%"
    assert execution_rate(Decimal(budget), executed, printed) == 1
    assert execution_rate(Decimal(budget), executed, f"{min(share + 5, 200)}%") == -1
    assert execution_rate(Decimal(budget), executed, "未填") == 0
    assert execution_rate(Decimal(budget), executed, str((executed / budget).quantize(Decimal("0.0001")))) == 1


def test_execution_points_and_sub_rows() -> None:
    assert funds_points(Decimal(10), Decimal("9.9")) == 1
    assert funds_points(Decimal(100), None) == -1  # no room left for the indicators
    assert funds_points(Decimal("1.96"), None) == -1  # an amount read in the 分值 column
    assert funds_points(Decimal(10), Decimal(12)) == -1
    total = FundRow(label="年度资金总额", budget=Decimal(300), executed=Decimal(250))
    parts = [FundRow(label="当年财政拨款", budget=Decimal(200), executed=Decimal(150)),
             FundRow(label="其他资金", budget=Decimal(100), executed=Decimal(100))]
    assert subrows_sum(total, parts) == 1
    assert subrows_sum(total, parts[:1]) == -1


# --- on real forms of the development half -------------------------------------------------------


def test_a_rate_the_amounts_cannot_give_doubts_the_total_row() -> None:
    """006 prints 执行率 100 % while the cells read give 207.45 spent of a budget of 0: columns shifted."""
    assert {"funds.rows[0]", "funds.rate_declared"} <= _paths(_notes("006"))


def test_a_short_level_block_doubts_the_list() -> None:
    """026's 效益指标(40分) rows add up to 32: a row was lost (it was), so the whole list is in doubt."""
    notes = _notes("026")
    assert "indicators" in _paths(notes)
    assert any("效益指标" in n.message and "40" in n.message for n in notes if n.path == "indicators")


def test_an_execution_weight_of_100_is_doubted() -> None:
    """056 prints 100 where the execution 分值 is (its 得分 is 10): nothing would be left for the indicators."""
    assert "funds.weight" in _paths(_notes("056"))


def test_fields_not_read_are_said() -> None:
    """016's 实施单位 and 总分 are printed where the flattened sheet put them; not found, they are said (I21)."""
    assert {"unit", "total_declared"} <= _paths(_notes("016"), "I21")
    assert "funds" in _paths(_notes("030"), "I21")  # a rubric form whose funds columns were not found


def test_a_header_repeated_in_a_value_doubts_its_row() -> None:
    """016's first row reads the header words 得分 偏差原因分析… as its name: misaligned, doubted as a whole."""
    assert "indicators[0]" in _paths(_notes("016"))


def test_two_forms_in_one_text_the_first_is_read_the_second_noted() -> None:
    form, notes = read_text(CORPUS / "052.txt")
    second = [n for n in notes if n.code == "I04"]
    assert len(second) == 1 and "援滇对口支援及结对帮扶经费" in second[0].message
    assert form.project != "援滇对口支援及结对帮扶经费" and form.unit != "其中:当年财政拨款"
    assert len(form.indicators) == 5 and "indicators" not in _paths(notes)  # drawn values first, read in order


def test_the_project_name_is_checked_against_the_title() -> None:
    _, notes = read_text(CORPUS / "026.txt")
    assert "project" in _paths(notes) and "马铃薯冲薯繁育示范推广项目" in next(n.message for n in notes
                                                                          if n.path == "project")
    cut, notes = read_text(CORPUS / "050.txt")  # the cell's text went on after a space, as the title shows
    assert cut.project == "昌州财行(2022)10号 国家统计局调查队专项经费" and "project" not in _paths(notes)
    untitled, notes = read_text(CORPUS / "046.txt")  # no 项目名称 label: the title names it, with a note
    assert untitled.project == "服务贸易项目" and "project" in _paths(notes)


def test_a_text_that_stops_before_its_indicator_table_is_truncated() -> None:
    """042 ends inside 年度总体目标 (an earlier table's 说明 is no end of this form)."""
    assert any(n.code == "I01" and "绩效指标表之前" in n.message for n in _notes("042"))


def test_amounts_in_yuan_are_said_and_kept() -> None:
    form, notes = read_text(CORPUS / "005.txt")
    assert [n.severity for n in notes if n.code == "I07"] == ["info"]
    total = form.funds.total
    assert total is not None and total.budget == Decimal("387664.62")  # in 元, as printed
    assert not any(n.code == "I07" for n in _notes("016"))  # 万元 goes without a note


def test_text_and_xlsx_of_one_form_raise_the_same_doubts(tmp_path: Path, seed_path: Path) -> None:
    """The seed with its 全年执行数 altered (the printed 99 % no longer holds), as text and as xlsx:
    both readers judge the same constraints and doubt the same fields."""
    text = tmp_path / "seed.txt"
    text.write_text(seed_path.read_text(encoding="utf-8").replace("3967.29万元", "3067.29万元", 1), encoding="utf-8")
    book = openpyxl.load_workbook(FIXTURES / "seed.xlsx")
    book.active["E7"] = 3067.29
    sheet = tmp_path / "seed.xlsx"
    book.save(sheet)
    doubts = [{n.path for n in read(path)[1] if n.path} for path in (text, sheet)]
    assert doubts[0] == doubts[1] == {"funds.rows[0]", "funds.rate_declared"}
    clean = [{n.path for n in read(path)[1] if n.path} for path in (seed_path, FIXTURES / "seed.xlsx")]
    assert clean == [set(), set()]


def test_a_cell_printed_before_its_label_is_taken_with_a_doubt() -> None:
    """052's flattened page prints ``上海市普陀区体育 事业管理中心 实施单位``: nothing follows the label."""
    form, notes = read_text(CORPUS / "052.txt")
    assert (form.unit, form.project) == ("上海市普陀区体育事业管理中心", "普陀体育中心与委托运营方结算费用")
    assert {"unit", "project"} <= _paths(notes)


def test_a_footnote_under_an_earlier_table_does_not_hide_the_form() -> None:
    """042 publishes a 基础数据表 with its 说明: before the 自评表: the form's labels after it are read."""
    form, _ = read_text(CORPUS / "042.txt")
    assert form.unit == "衡山县贯塘乡人民政府"


def test_money_printed_as_label_value_pairs_is_read() -> None:
    """046, the older rubric form: ``计划投资额 (万元) 570 … 实际使用情况(万元) 395.86`` instead of a funds table."""
    total = read_text(CORPUS / "046.txt")[0].funds.total
    assert total is not None and (total.budget, total.executed) == (Decimal(570), Decimal("395.86"))


def test_the_grid_reader_doubts_a_misread_row_as_text_does(tmp_path: Path) -> None:
    """OCR noise in a cell of a scanned sheet (``IO0%`` for 100%) doubts its row, as in a text."""
    book = openpyxl.load_workbook(FIXTURES / "seed.xlsx")
    book.active["E33"] = "IO0%"
    sheet = tmp_path / "ocr.xlsx"
    book.save(sheet)
    form, notes = read(sheet)
    row = next(n for n, i in enumerate(form.indicators) if i.target == "IO0%")
    assert [n.path for n in notes if n.path] == [f"indicators[{row}]"]
    assert "识别有误" in notes[0].message
