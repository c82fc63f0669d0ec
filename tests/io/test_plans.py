"""Column plans beyond the national form: one cell per line, and the scoring rubric with level weights."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jixiao.io.accuracy import development_truths
from jixiao.io.damage import damaged
from jixiao.io.text import _lines as text_lines
from jixiao.io.text import parse_text
from jixiao.io.textplans import Sums, plan_notes, plans, read_planned
from jixiao.io.textrepair import repair
from jixiao.io.textrows import headless_start
from jixiao.io.textscan import cell_per_line, tokenize
from jixiao.model import Indicator, Location

from ..conftest import DATA

RUBRIC = [
    "项目支出绩效评价表",
    "一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分",
    "项目决策", "20", "项目目标", "4", "目标内容", "4", "4",
    "决策过程", "16", "决策依据", "3", "3", "决策程序", "5", "4",
    "项目管理", "80", "资金管理", "80", "资金使用", "80", "70",
    "总分", "100", "91",
]


def _cells(cells: list[str], separator: str) -> str:
    return separator.join(cells) + "\n"


def test_a_rubric_reads_its_level_cells_as_they_start() -> None:
    """``[一级 分值] [二级 分值] 三级 分值 得分``: level cells appear only where a level starts."""
    form, _ = parse_text(_cells(RUBRIC, "\n\n"), "rubric.txt")
    rows = [(i.level1, i.level2, i.name, i.weight, i.score_declared) for i in form.indicators]
    assert rows == [
        ("项目决策", "项目目标", "目标内容", Decimal(4), Decimal(4)),
        ("项目决策", "决策过程", "决策依据", Decimal(3), Decimal(3)),
        ("项目决策", "决策过程", "决策程序", Decimal(5), Decimal(4)),
        ("项目管理", "资金管理", "资金使用", Decimal(80), Decimal(70)),
    ]


def test_a_level_weight_that_is_not_the_sum_of_its_rows_is_doubted() -> None:
    """决策过程 prints 16 but its rows weigh 3 + 5: those weights are doubted (I20), the others are not."""
    _, notes = parse_text(_cells(RUBRIC, "\n"), "rubric.txt")
    doubted = {note.path for note in notes if note.code == "I20"}
    # 项目决策 (20) = 4 + 3 + 5 is wrong too, so its three rows are doubted; 资金管理 80 = 80 is not
    assert doubted == {"indicators[0].weight", "indicators[1].weight", "indicators[2].weight"}
    assert any("16" in note.message for note in notes if note.path == "indicators[1].weight")


def test_a_bordered_rubric_reads_each_cell_by_its_place_blank_cells_too() -> None:
    """``| 数量指标 | 45.0 | 足额保障率 | 22.5 |  |``: a row whose 得分 (or 分值) is blank keeps its other cells in
    their columns, and the first row's blank level cells (read with the header's) still count."""
    rows = [["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分", "偏差原因分析及改进措施"],
            ["", "", "数量指标", "45", "足额保障率", "22.5", "", ""],
            ["", "", "", "", "科目调整次数", "", "20", ""],
            ["效益指标", "55", "经济效益指标", "55", "结余率", "55", "50", ""]]
    text = "\n".join(["项目支出绩效自评表", *(" | ".join(r) for r in rows), "总分 | 100 | 70"])
    form, _ = parse_text(text, "rubric.txt")
    assert [(i.level1, i.level2, i.name, i.weight, i.score_declared) for i in form.indicators] == [
        (None, "数量指标", "足额保障率", Decimal("22.5"), None),
        (None, "数量指标", "科目调整次数", None, Decimal(20)),
        ("效益指标", "经济效益指标", "结余率", Decimal(55), Decimal(50)),
    ]


def test_one_cell_per_line_is_told_from_words_and_glued_runs() -> None:
    lines = list(enumerate(RUBRIC, start=1))
    assert cell_per_line(lines)
    assert not cell_per_line([(1, " ".join(RUBRIC))])
    assert not cell_per_line([(n, "".join(RUBRIC[n:]) * 2) for n in range(25)])  # long glued runs


HEADER = "一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分"


def test_blank_cells_that_vanished_are_put_back_by_kind_and_arithmetic() -> None:
    """Space-separated rows lose their blank cells; the values still land in their columns."""
    text = "\n".join(
        [
            "项目支出绩效自评表（2023年度）",
            HEADER,
            "产出指标 数量指标 ★补助种植面积 10 10",  # a parent row: 分值 and 得分 only
            "红薯种植面积 5.5亩 5.5亩",  # its sub-row: target and actual only
            "质量指标 作物成活率(%) 95",  # target only
            "总分 100 100",
        ]
    )
    form, _ = parse_text(text, "partial.txt")
    rows = [(i.name, i.weight, i.target, i.actual, i.score_declared) for i in form.indicators]
    assert rows == [
        ("★补助种植面积", Decimal(10), None, None, Decimal(10)),
        ("红薯种植面积", None, "5.5亩", "5.5亩", None),
        ("作物成活率(%)", None, "95", None, None),
    ]
    assert all(location.confidence is not None for location in form.provenance.values())


def _indicators(*lines: str) -> list[Indicator]:
    return parse_text("\n".join(lines), "table.txt")[0].indicators


def test_a_row_of_cells_does_not_take_the_next_rows_name_as_its_reason() -> None:
    """``| 名称 | ≥266米 | ≥266米 | 10 | 10`` without its empty reason cell: the next line is the next row."""
    indicators = _indicators(
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施",
        "产出指标 | 数量指标 | 安装坡面水标尺 | ≥266米 | ≥266米 | 10 | 10",
        "水标尺宽度 | ≥50厘米 | ≥50厘米 | 10 | 10",
        "总分 | 100 | 100",
    )
    assert [(i.name, i.target, i.reason) for i in indicators] == [
        ("安装坡面水标尺", "≥266米", None),
        ("水标尺宽度", "≥50厘米", None),
    ]


def test_operator_and_unit_columns_join_the_values_they_qualify() -> None:
    """``正向 | 大于等于 | 1 | 1 | 次``: the operator joins the target, the unit after both values joins both."""
    head = "三级指标 | 指标性质 | 指标方向 | 年度指标值 | 实际完成值 | 计量单位 | 分值 | 得分 | 偏差原因分析及改进措施 |"
    indicators = _indicators(
        "一级指标 | 二级指标 | " + head,
        "产出指标 | 数量指标 | 租车次数(次) | 正向 | 大于等于 | 1 | 1 | 次 | 8 | 8 | |",
        "| | 宣传品个数(个) | 反向 | 小于等于 | 2 | 1 | 个 | 7 | 7 | |",
        "总分 | 100 | 95 |",
    )
    assert [(i.target, i.actual, i.weight) for i in indicators] == [
        ("大于等于1次", "1次", Decimal(8)),
        ("小于等于2个", "1个", Decimal(7)),
    ]


def test_a_unit_column_right_after_the_value_qualifies_only_the_target() -> None:
    """Sichuan: 指标性质 | 指标值 | 度量单位 | 完成值 — the unit belongs to the target alone."""
    indicators = _indicators(
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 |",
        "产出指标 | 数量指标 | 受助人次 | ≥ | 735 | 人次 | 735 | 10 | 10 |",
        "| | 资助覆盖面 | 定量 | 100 | % | 100 | 10 | 10 |",
        "总分 | 100 | 100 |",
    )
    assert [(i.target, i.actual) for i in indicators] == [("≥735人次", "735"), ("100%", "100")]


def _doubts(text: str) -> set[str]:
    return {note.path or "" for note in parse_text(text, "doubt.txt")[1] if note.code == "I20"}


def test_a_block_whose_rows_do_not_add_up_to_its_printed_weight_is_doubted() -> None:
    rows = [
        "项目支出绩效自评表（2022年度）",  # the whole form: its sums over all rows can be judged
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "产出指标(50分) | 数量指标 | 培训人数 | ≥20人 | 20人 | 30 | 30 |",
        "| | 培训场次 | ≥10场 | 10场 | {second} | {second} |",
        "效益指标(50分) | 社会效益指标 | 就业人数 | ≥5人 | 5人 | 50 | 50 |",
        "总分 | 100 | 100 |",
    ]
    assert _doubts("\n".join(rows).format(second=20)) == set()
    # 32 of 50: a row lost or a 分值 misread — the whole list (a row lost leaves no row to note), the 总分
    assert _doubts("\n".join(rows).format(second=2)) == {"indicators", "total_declared"}
    # 60 of 50: a 分值 misread — the 分值 of the block, of the whole table (110 of 100), the 总分
    assert _doubts("\n".join(rows).format(second=30)) == {
        "indicators[0].weight", "indicators[1].weight", "indicators[2].weight", "total_declared"}


def test_a_table_whose_rows_cannot_be_read_and_a_misaligned_name_are_doubted() -> None:
    header = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分"
    assert _doubts(f"项目支出绩效自评表\n{header}\n产出指标\n数量指标\n总分 100 100") == {"indicators"}
    first = "产出指标 数量指标 培训人数 ≥20人 20人 30 30"
    for misaligned in ("及时 及时 20 20 完成率 =100% 100% 10 10", "结算条款完成率 费用结算及时性 运营合同完成 =100% 100% 10 10"):
        rows = {p for p in _doubts(f"{header}\n{first}\n{misaligned}\n总分 100 100") if p.startswith("indicators[")}
        assert rows == {"indicators[1]"}


def test_rows_glued_into_one_word_per_line_are_read_as_glued_rows() -> None:
    """``财政供养人员控制率100%92%22``: a row per line, its cells glued — not one cell per line."""
    lines = [
        "部门整体支出绩效自评表",
        "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施",
        *[f"第{n}项业务完成率100%{90 + n}%22" for n in range(1, 20)],
        "总分10097.6",
    ]
    form, _ = parse_text("\n".join(lines), "glued-rows.txt")
    assert not cell_per_line(list(enumerate(lines, start=1)))
    assert [(i.name, i.target, i.actual, i.weight) for i in form.indicators[:2]] == [
        ("第1项业务完成率", "100%", "91%", Decimal(2)),
        ("第2项业务完成率", "100%", "92%", Decimal(2)),
    ]


@pytest.mark.parametrize("name", ["质量指标合格率", "年度指", "结余率(计算方法为:结余数", "以最新资源面市 达标 达标", "32座", "达标",
                                  "原种合格率8采购的原种合格率"])
def test_a_name_that_shows_its_row_misread_is_doubted(name: str) -> None:
    """A level label, a cut header word, an unclosed bracket, the row's own target and actual, or a value
    read as the name: the row's cells are shifted or cut, so the row is doubted as a whole."""
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |"
    rows = ["产出指标 | 数量指标 | 培训人数 | ≥20人 | 20人 | 50 | 50 |", f"| | {name} | 10场 | 10场 | 50 | 50 |"]
    assert {p for p in _doubts("\n".join([header, *rows, "总分 | 100 | 100 |"])) if p.startswith("indicators[")} == {
        "indicators[1]"}


@pytest.mark.parametrize(("value", "suspect"), [("IO0%", True), ("3oO份", True), ("^266米", True), ("$290%", True),
                                                ("ISO9001认证", False), ("100%", False), ("5G基站", False)])
def test_ocr_look_alikes_in_a_value_doubt_its_row(value: str, suspect: bool) -> None:
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |"
    rows = ["产出指标 | 数量指标 | 培训人数 | ≥20人 | 20人 | 50 | 50 |", f"| | 认证情况 | {value} | {value} | 50 | 50 |"]
    doubted = "indicators[1]" in _doubts("\n".join([header, *rows, "总分 | 100 | 100 |"]))
    assert doubted == suspect


@pytest.mark.parametrize("name", ["孕产妇7天访视数", "0-6岁儿童健康管理数", "每年财政补助1000万元", "指标12:孕产妇访视"])
def test_numbers_that_belong_in_a_name_leave_it_undoubted(name: str) -> None:
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |"
    rows = ["产出指标 | 数量指标 | 培训人数 | ≥20人 | 20人 | 50 | 50 |", f"| | {name} | 10场 | 10场 | 50 | 50 |"]
    assert not {p for p in _doubts("\n".join([header, *rows, "总分 | 100 | 100 |"])) if p.startswith("indicators[")}


@pytest.mark.parametrize("shape", ["pipes+header_lost", "one_line+header_lost", "rows_on_lines+header_lost"])
def test_a_doubted_row_names_a_plan_that_reads_it_otherwise(shape: str) -> None:
    """A header-less table's row doubted because some plan reads it otherwise: the note names that plan, not the
    runner-up when the runner-up reads the row as the winner does (development truth 035 has such rows)."""
    truth = dict(development_truths(DATA))["035"]
    text = damaged(truth, shape, sum(map(ord, "035")))
    tokens = tokenize(repair(text_lines(text, shape), shape).lines)
    planned = read_planned(tokens, Sums())
    assert planned is not None and planned.unsure
    by_name = {plan.templates[0]: plan for plan in plans() if plan.templates}
    for note in plan_notes(planned, lambda line: Location(file=shape, line=line)):
        if note.code != "I20" or not note.path or not note.path.startswith("indicators["):
            continue
        n = int(note.path[len("indicators["):-1])
        named = by_name[re.findall(r"表样「([^」]+)」", note.message)[-1]]
        mine, theirs = planned.table.rows[n], named.read(tokens, headless_start(tokens) or 0).rows[n]
        assert (mine.name, mine.values) != (theirs.name, theirs.values), note.message
