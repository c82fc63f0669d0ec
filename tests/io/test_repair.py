"""The repair stage on real text: the seed and the development truths, damaged, come back to their lines.

Each repair undoes one damage shape of :mod:`jixiao.io.damage` from the text alone; the property is
that the repaired text reads as well as the undamaged reference, and that undamaged real forms (the
seed, the corpus) go through untouched.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io.accuracy import FieldResult, accuracy, compare, development_truths, honest_share
from jixiao.io.damage import WEIGHT_FIRST_COLUMNS, damaged, pipes, render, wrapped
from jixiao.io.notes import ImportNote
from jixiao.io.templates import columns as template_columns
from jixiao.io.templates import load_templates
from jixiao.io.text import parse_text
from jixiao.io.textfunds import align, read_funds
from jixiao.io.textrepair import (
    STAGES,
    cells_to_rows,
    drop_page_markers,
    guessed_splits,
    headerless_rows,
    rejoin_cell_lines,
    rejoin_wrapped,
    repair,
    spaced_cells,
    undo_ocr,
    unflatten_columns,
)

from ..conftest import DATA

TRUTHS = development_truths(DATA)
SEED_TRUTH = TRUTHS[0][1]


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


def _texts(lines: list[tuple[int, str]]) -> list[str]:
    return [text for _, text in lines]


def test_the_seed_and_the_corpus_need_no_structural_repair(seed_path: Path) -> None:
    seed = _numbered(seed_path.read_text(encoding="utf-8"))
    assert repair(seed, "seed.txt").lines == seed
    for text in sorted((DATA / "corpus").glob("*.txt")):
        lines = _numbered(text.read_text(encoding="utf-8"))
        for name, stage in STAGES:
            # scanned forms do carry OCR confusions; published PDF text is drawn in content-stream order (052)
            # or has the whole form on a line (001)
            if name not in ("ocr", "names_after_values", "one_line_rows"):
                assert stage(lines, text.name).lines == lines, (name, text.name)



@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(TRUTHS) - 1), seed=st.integers(0, 2**16))
def test_wrapped_rows_are_joined_back_to_the_rows(index: int, seed: int) -> None:
    sheet = render(TRUTHS[index][1])
    text = wrapped(sheet, random.Random(seed))
    width = max(map(len, text.splitlines()))
    rows = pipes(sheet, random.Random(seed)).split("\n")
    joined = _texts(rejoin_wrapped(_numbered(text), "w.txt").lines)
    cut = sum(len(row) > width for row in rows)
    if cut >= 3 and all(len(row) % width for row in rows):  # a row a multiple of the width ends like a cut one
        assert joined == rows


def test_page_markers_inside_numbers_are_dropped() -> None:
    for seed in range(6):
        text = damaged(SEED_TRUTH, "page_markers", seed)
        done = drop_page_markers(_numbered(text), "p.txt")
        assert "\n".join(_texts(done.lines)) == damaged(SEED_TRUTH, "pipes")
        assert done.notes and all(n.code == "I06" and n.path is None for n in done.notes)


def test_a_numbered_list_is_not_a_page_marker() -> None:
    lines = _numbered("目标：\n1、完成培训120\n2、2022年底前验收")
    assert drop_page_markers(lines, "l.txt").lines == lines


def test_ocr_confusions_in_and_before_numbers_are_put_back() -> None:
    lines = _numbered("培训人数 | $1O0人 | IO1人 | IO | 9.5\n合格率 | W5% | 1OO% | 5 | 5\n项目 ISO9001 COD 认证")
    fixed = _texts(undo_ocr(lines, "o.txt").lines)
    assert fixed == ["培训人数 | ≥100人 | 101人 | 10 | 9.5", "合格率 | ≤5% | 100% | 5 | 5", "项目 ISO9001 COD 认证"]


def test_ocr_damaged_seed_reads_its_figures_again() -> None:
    for seed in range(4):
        form, notes = parse_text(damaged(SEED_TRUTH, "ocr_confused", seed), "ocr.txt")
        results = compare(form, SEED_TRUTH, notes)
        money = [r for r in results if r.path.startswith("funds")]
        assert all(r.ok for r in money), [r for r in money if not r.ok]
        assert accuracy(results) >= 0.9


def test_a_table_flattened_by_column_is_put_back_into_rows() -> None:
    text = damaged(SEED_TRUTH, "by_column")
    done = unflatten_columns(_numbered(text), "c.txt")
    assert " |  | 开展项目个数 | 13个 | 12个 | 1 | 0.5 | " in _texts(done.lines)
    form, notes = parse_text(text, "c.txt")
    assert accuracy(compare(form, SEED_TRUTH, notes)) == 1.0
    assert any(n.code == "I06" for n in notes)


@pytest.mark.parametrize("operator", ["wrapped", "page_markers", "by_column"])
def test_repaired_shapes_read_the_seed_as_the_reference_does(operator: str) -> None:
    form, notes = parse_text(damaged(SEED_TRUTH, operator, 5), f"{operator}.txt")
    assert accuracy(compare(form, SEED_TRUTH, notes)) == 1.0


def test_a_table_whose_blank_cells_vanished_is_read_a_row_per_line() -> None:
    truth = dict(TRUTHS)["058"]  # group rows with 分值/得分 only, sub-rows with targets only
    text = damaged(truth, "empty_dropped")
    assert "红薯种植面积 | 5.5亩 | 5.5亩" in text.splitlines()
    form, notes = parse_text(text, "dropped.txt")
    assert accuracy(compare(form, truth, notes)) == 1.0
    group, item = form.indicators[0], form.indicators[1]
    assert (group.target, group.weight, group.score_declared) == (None, 10, 10)
    assert (item.target, item.actual, item.weight) == ("5.5亩", "5.5亩", None)


# --- glued rows, a row per line ------------------------------------------------------------------------



def test_a_glued_line_is_one_row_whose_blank_cells_the_constraints_place() -> None:
    truth = dict(TRUTHS)["058"]
    text = damaged(truth, "glued")
    assert "\n红薯种植面积5.5亩5.5亩\n" in text and "数量指标★补助各类粮食作物种植面积1010\n" in text
    form, notes = parse_text(text, "glued.txt")
    assert accuracy(compare(form, truth, notes)) == 1.0


def test_a_glued_line_opens_with_its_level_cell_and_may_end_in_answers() -> None:
    form, notes = parse_text(damaged(SEED_TRUTH, "glued"), "glued.txt")
    by_name = {i.name: i for i in form.indicators}
    first = by_name["大组工网络运维费用"]  # ``产出指标数量大组工网络运维费用1个1个22``
    assert (first.level1, first.level2, first.target, first.weight, first.score_declared) == ("产出指标", "数量", "1个", 2, 2)
    judged = by_name["全局工作任务完成情况"]  # ``质量全局工作任务完成情况优秀已完成1010``
    assert (judged.level2, judged.target, judged.actual, judged.weight) == ("质量", "优秀", "已完成", 10)
    index = form.indicators.index(judged)
    assert any(n.path == f"indicators[{index}]" for n in notes)  # where the name stops is a guess: doubted


def test_a_value_written_twice_after_a_glued_name_is_target_and_actual() -> None:
    truth = dict(TRUTHS)["020"]
    form, _ = parse_text(damaged(truth, "glued", seed=sum(map(ord, "020"))), "glued.txt")
    by_name = {i.name: i for i in form.indicators}
    row = by_name["WIFI布点全覆盖"]  # ``WIFI布点全覆盖100%覆盖100%覆盖``
    assert (row.target, row.actual) == ("100%覆盖", "100%覆盖")


def test_a_comparison_word_before_a_glued_target_belongs_to_it() -> None:
    truth = dict(TRUTHS)["054"]
    form, _ = parse_text(damaged(truth, "glued"), "glued.txt")
    assert [i.target for i in form.indicators] == [i["target"] for i in truth["indicators"]]
    assert form.indicators[0].name == "指标1:租车次数(次)" and form.indicators[0].target == "大于等于1次"


def test_cells_separated_by_single_spaces_keep_their_columns() -> None:
    truth = dict(TRUTHS)["005"]  # ``经济效益 指标``: a level cell printed with a space inside
    text = damaged(truth, "spaces")
    assert " 质量指标 营养改善计划覆盖率 ≧100% 100% 10 10 " in text.splitlines()
    done = spaced_cells(_numbered(text), "s.txt")
    assert " | 质量指标 | 营养改善计划覆盖率 | ≧100% | 100% | 10 | 10 | " in _texts(done.lines)
    assert "效益指标 | 经济效益 指标 | 减轻贫困学生家庭经济负担 | 有效 | 有效 | 10 | 10 | " in _texts(done.lines)
    form, notes = parse_text(text, "s.txt")
    assert accuracy(compare(form, truth, notes)) == 1.0


def test_blank_cells_between_single_spaces_are_kept() -> None:
    truth = dict(TRUTHS)["020"]  # rows with no 分值, and 得分 only
    form, notes = parse_text(damaged(truth, "spaces"), "s.txt")
    assert accuracy(compare(form, truth, notes)) == 1.0


def test_a_glued_funds_row_is_cut_by_the_funds_arithmetic() -> None:
    for name in ("seed", "002", "018"):  # cents, a 100.00% rate glued on, a run with no sign at all
        truth = dict(TRUTHS)[name]
        form, notes = parse_text(damaged(truth, "glued", seed=sum(map(ord, name))), "glued.txt")
        funds = [r for r in compare(form, truth, notes) if r.path.startswith("funds")]
        assert funds and all(r.ok for r in funds), (name, [r for r in funds if not r.ok])


@pytest.mark.parametrize(("run", "expected"), [
    ("194.9194.9100%", (None, "194.9", "194.9", None, "100%", None)),  # 执行率 = B/A decides the cut
    ("309309100 %", (None, "309", "309", None, "100%", None)),
    ("570395.86", (None, "570", "395.86", None, None, None)),  # fewest cuts when nothing else tells
    ("02.382.381010010", ("0", "2.38", "2.38", "10", "100", "10")),  # a rate without %, 得分 = 分值 × 执行率
])
def test_the_funds_arithmetic_cuts_a_glued_total_row(run: str, expected: tuple[str | None, ...]) -> None:
    columns = ["initial", "budget", "executed", "weight", "rate", "score"]
    assert tuple(align([run], columns).values()) == expected


def test_glued_rows_keep_two_character_signs_and_level_cells_with_deng() -> None:
    for name, row_name, target in (("052", "场馆开放满意度", ">=90%"), ("005", "学生满意度", "≧95%")):
        truth = dict(TRUTHS)[name]  # ``…场馆开放满意度>=90%100%1010``, ``…服务对象满意度指标等学生满意度≧95%…``
        form, _ = parse_text(damaged(truth, "glued", seed=sum(map(ord, name))), "glued.txt")
        assert {i.name: i.target for i in form.indicators}.get(row_name) == target


def test_a_rate_printed_apart_from_its_percent_sign_stays_one_figure() -> None:
    found = read_funds("项目资金（万元）年初预算数全年预算数（A）全年执行数（B）分值执行率得分\n年度资金总额309309100 %\n一级指标")
    assert found is not None and found.total["budget"] == "309" and found.total["rate"] == "100%"


def test_a_leading_two_is_read_as_a_sign_only_where_the_row_says_so() -> None:
    text = "\n".join([
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施",
        "产出指标 | 数量指标 | 培训次数 | 280次 | $80次 | IO | IO | ",  # the actual's sign survived as $
        " |  | 合格率 | 295% | 98% | 5 | 5 | ",  # a rate target over 100 %
        " |  | 种植面积 | 2089人 | 2089人 | 5 | 5 | ",  # a number that starts with 2
        " |  | 到位率 | 100% | O | 5 | 0 | ",  # a zero read as the letter O, alone in its cell
        "总分 | 100 | 90",
    ])
    form, notes = parse_text(text, "ocr.txt")
    assert [(i.target, i.actual) for i in form.indicators] == [
        ("≥80次", "≥80次"), ("≥95%", "98%"), ("2089人", "2089人"), ("100%", "0")]
    assert form.indicators[0].weight == 10
    doubted = {n.path for n in notes if n.code == "I20"}
    # the sign read from a leading 2 names its field; rows whose line the OCR repair changed are doubted whole
    assert doubted == {"indicators[0]", "indicators[0].target", "indicators[1].target", "indicators[3]"}


def test_without_ocr_damage_a_leading_two_is_a_digit() -> None:
    text = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n产出指标 | 数量指标 | 合格率 | 295% | 98% | 5 | 5\n总分 | 100 | 5"
    form, notes = parse_text(text, "clean.txt")
    assert form.indicators[0].target == "295%" and not [n for n in notes if n.code in ("I06", "I20")]


@pytest.mark.parametrize("operator", ["glued", "by_column", "spaces", "empty_dropped"])
def test_shapes_are_read_by_the_header_plan_whatever_the_column_order(operator: str) -> None:
    """The 分值 before the targets (``分值 | 年度指标值 | 全年实际值 | 得分``): the same readings, by the header."""
    results = [
        r for name, truth in TRUTHS
        for r in _compared(damaged(truth, operator, sum(map(ord, name)), WEIGHT_FIRST_COLUMNS), truth)
    ]
    assert accuracy(results) >= 0.9 and honest_share(results) >= 0.97


def _compared(text: str, truth: dict[str, object]) -> list[FieldResult]:
    form, notes = parse_text(text, "plan.txt")
    return compare(form, truth, notes)


def test_a_weight_glued_before_a_signed_target_is_the_weight() -> None:
    truth = dict(TRUTHS)["054"]  # ``指标1:租车次数(次)8大于等于1次1次8``
    text = damaged(truth, "glued", columns=WEIGHT_FIRST_COLUMNS)
    assert "指标1:租车次数(次)8大于等于1次1次8" in text
    form, _ = parse_text(text, "glued.txt")
    assert (form.indicators[0].weight, form.indicators[0].target) == (8, "大于等于1次")


def test_a_dated_target_before_an_answer_is_split_off_the_name_and_doubted() -> None:
    form, notes = parse_text(damaged(SEED_TRUTH, "glued"), "glued.txt")  # ``时效完成时间2022年12月底已完成1010``
    index, row = next((n, i) for n, i in enumerate(form.indicators) if i.name == "完成时间")
    assert (row.target, row.actual, row.weight, row.score_declared) == ("2022年12月底", "已完成", 10, 10)
    assert any(n.path == f"indicators[{index}]" for n in notes)


def test_a_table_read_cell_by_cell_with_its_blank_cells_lost_is_regrouped_by_cell_kinds() -> None:
    truth = dict(TRUTHS)["010"]  # rows with 得分 only, text targets written twice, a name that looks like a value
    text = damaged(truth, "cells_dropped")
    assert "" not in text.splitlines() and "成本控制\n不超过预算\n不超过预算\n10" in text
    done = cells_to_rows(_numbered(text), "c.txt")
    assert "产出指标 | 数量指标 | 成本控制 | 不超过预算 | 不超过预算 | 10" in _texts(done.lines)
    assert "时效 | 1年 | 1年 | 1年 | 10" in _texts(done.lines)
    form, notes = parse_text(text, "c.txt")
    results = compare(form, truth, notes)
    assert honest_share(results) == 1.0 and accuracy(results) >= 0.8


def test_one_cell_per_line_with_blank_lines_keeps_its_positions() -> None:
    lines = _numbered(damaged(SEED_TRUTH, "cell_per_line"))
    assert cells_to_rows(lines, "c.txt").lines == lines


def test_a_rate_printed_as_a_fraction_is_the_rate_when_the_sums_agree() -> None:
    columns = ["initial", "budget", "executed", "weight", "rate", "score"]
    found = align(["3,359.62万", "3359.620000", "3,218.5", "10", "0.958", "9.58"], columns)
    assert (found["rate"], found["score"]) == ("0.958", "9.58")  # 3218.5 / 3359.62 = 95.8 %, 10 × 95.8 % = 9.58


def test_glued_rows_in_traditional_characters_keep_their_level_cells() -> None:
    text = damaged(SEED_TRUTH, "traditional", 3).replace(" | ", "")  # labels in Traditional + pinyin, then glued
    form, notes = parse_text(text, "glued-traditional.txt")
    first = form.indicators[0]
    assert (first.level1, first.name, first.weight) == ("产出指标", "大组工网络运维费用", 2)
    assert accuracy(compare(form, SEED_TRUTH, notes)) >= 0.9


def test_ocr_confusions_inside_a_glued_run_are_put_back() -> None:
    lines = _numbered("年度资金总额387664.62387664.62IO1OO%IO\n项目代码5IO0o021ROooo0Oo1995")
    fixed = _texts(undo_ocr(lines, "o.txt").lines)
    assert fixed == ["年度资金总额387664.62387664.6210100%10", "项目代码5IO0o021ROooo0Oo1995"]  # a code with letters stays


def test_a_page_marker_after_a_decimal_point_is_dropped_too() -> None:
    lines = _numbered("培训人数 | 12.\n2、5 | 10 | 9.5")
    assert _texts(drop_page_markers(lines, "p.txt").lines) == ["培训人数 | 12.5 | 10 | 9.5"]


def test_a_bare_level2_cell_after_a_level1_label_is_the_level_in_a_run_on_glued_text() -> None:
    text = damaged(SEED_TRUTH, "glued").replace("\n", "")  # the whole form glued into one line
    form, _ = parse_text(text, "one-line.txt")
    assert (form.indicators[0].level2, form.indicators[0].name) == ("数量", "大组工网络运维费用")


@pytest.mark.parametrize("template_id", ["sichuan-project", "with-method", "chongqing-department"])
def test_blank_cells_dropped_in_any_template_leave_the_values_in_their_columns(template_id: str) -> None:
    """Text columns (评分标准) and often blank ones (指标性质, 度量单位, 调整指标值) are the cells that vanished."""
    template = next(t for t in load_templates() if t.id == template_id)
    plan = tuple(template_columns(template))
    for operator in ("empty_dropped", "cells_dropped"):
        results = [r for name, truth in TRUTHS for r in _compared(damaged(truth, operator, sum(map(ord, name)), plan), truth)]
        assert accuracy(results) >= 0.95 and honest_share(results) >= 0.96, operator


def test_a_glued_name_ending_in_a_count_noun_keeps_it_where_a_unit_column_is_printed() -> None:
    template = next(t for t in load_templates() if t.id == "sichuan-project")  # 指标性质 | 指标值 | 度量单位
    truth = dict(TRUTHS)["003"]  # ``党性教育培训次数26次12次55``
    form, _ = parse_text(damaged(truth, "glued", sum(map(ord, "003")), tuple(template_columns(template))), "g.txt")
    row = next(i for i in form.indicators if i.name.startswith("党性"))
    assert (row.name, row.target, row.actual) == ("党性教育培训次数", "26次", "12次")


def test_a_coefficient_column_is_filled_only_where_score_is_weight_times_it() -> None:
    header = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分系数 | 得分"
    text = f"{header}\n产出指标 | 数量指标 | 培训人数 | ≥20人 | 18人 | 10 | 90% | 9\n质量指标 | 合格率 | 95% | 98% | 12.5 | 12.5\n总分 | 100 | 21.5"
    form, _ = parse_text(text, "cq.txt")  # blank cells dropped: the second row has no 系数
    assert [(i.weight, i.score_declared) for i in form.indicators] == [(10, 9), (Decimal("12.5"), Decimal("12.5"))]


def test_rows_sharing_lines_under_a_lost_header_are_read_by_a_template_plan() -> None:
    truth = dict(TRUTHS)["003"]  # no level labels, several rows on each line, the header drawn as an image
    form, notes = parse_text(damaged(truth, "rows_on_lines+header_lost", 7), "003.txt")
    results = compare(form, truth, notes)
    assert [r.path for r in results if not r.ok] == []
    guessed = [n for n in notes if n.code == "I20" and "national-project" in n.message]
    assert guessed and guessed[0].path == "indicators"  # the plan is a guess: the whole list is doubted


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(TRUTHS) - 1), st.integers(0, 10_000))
def test_a_table_with_a_header_is_never_read_by_a_guessed_plan(index: int, seed: int) -> None:
    lines = _numbered(damaged(TRUTHS[index][1], "rows_on_lines", seed))
    assert headerless_rows(lines, "x.txt").lines == lines


@pytest.mark.parametrize("number", ["001", "020"])
def test_rows_split_at_a_broken_text_cell_are_doubted_not_silently_misread(number: str) -> None:
    truth = dict(TRUTHS)[number]  # text cells broken at spaces on a one-line page (严格执行 相关制度规定)
    form, notes = parse_text(damaged(truth, "one_line+split_cells", sum(map(ord, number))), f"{number}.txt")
    results = compare(form, truth, notes)
    assert any(not r.ok for r in results)  # the borders are lost, the reading is not all right …
    assert [r.path for r in results if r.silently_wrong] == []  # … but nothing wrong goes unsaid


def test_a_row_border_is_a_guess_where_a_text_closed_a_row_without_figures() -> None:
    rows = [(1, ["产出指标", "数量指标", "办结案件", "168起", "168起", "10", "10"]),
            (1, ["经费支出合规性", "严格执行", "相关制度规定"]),
            (1, ["达成预期指标", "8", "8"]),
            (1, ["时效指标", "学生受资", "助人数", "≧735人次", "≧735人次", "10", "10"]),
            (1, ["成本指标", "生均补助标准达标率", "有效", "有效"]),
            (1, ["效益指标", "改善人居环境", "有效改善", "有效改善", "10"])]
    # a level label opens the row after 生均补助标准达标率: that border is printed, not guessed
    assert guessed_splits(rows, texts=2) == [1, 2, 3]


@given(st.lists(st.tuples(st.text("指标名称甲乙", min_size=2, max_size=6), st.integers(0, 100)), min_size=2, max_size=8))
def test_rows_whose_figures_follow_their_names_have_no_guessed_border(cells: list[tuple[str, int]]) -> None:
    rows = [(1, [name, str(points), str(points)]) for name, points in cells]
    assert guessed_splits(rows) == []


HEADED = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"


def test_level_labels_glued_before_a_name_are_the_row_s_levels() -> None:
    """Merged level cells whose text was written into the group's first name (``产出指标数量指标培训人数``)."""
    text = HEADED + (" | | 产出指标数量指标培训人数 | 20人 | 18人 | 15 | 13.5\n"
                     " | | 场次 | 4场 | 4场 | 15 | 15\n"
                     " | | 质量指标合格率 | 100% | 100% | 20 | 20\n总分 | 100 | 98.5")
    form, notes = parse_text(text, "x.txt")
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [
        ("产出指标", "数量指标", "培训人数"), ("产出指标", "数量指标", "场次"), ("产出指标", "质量指标", "合格率")]
    # in a table of cells a label has a cell of its own: one inside the name cell doubts the row (cells may shift)
    assert sorted(n.path for n in notes if n.path and n.path.startswith("indicators[")) == ["indicators[0]", "indicators[2]"]
    words = parse_text(damaged(SEED_TRUTH, "spaces+levels_glued"), "seed.txt")
    assert words[0].indicators[0].name == "大组工网络运维费用"


def test_a_short_label_before_a_name_is_taken_off_only_as_a_doubted_guess() -> None:
    """``质量合格率`` may be a name: its 质量 is read as the 二级 label only where the table glued labels so."""
    row = " | | 质量合格率 | 100% | 100% | 20 | 20\n"
    glued = HEADED + " | | 产出指标数量培训人数 | 20人 | 18人 | 15 | 13.5\n" + row + "总分 | 100 | 98.5"
    form, notes = parse_text(glued, "x.txt")
    assert [(i.level2, i.name) for i in form.indicators] == [("数量", "培训人数"), ("质量", "合格率")]
    assert [n.path for n in notes if n.code == "I20" and "「质量」" in n.message] == ["indicators[1]"]
    plain = HEADED + " | | 培训人数 | 20人 | 18人 | 15 | 13.5\n" + row + "总分 | 100 | 98.5"
    form, _ = parse_text(plain, "x.txt")
    assert [i.name for i in form.indicators] == ["培训人数", "质量合格率"]


def test_a_funds_row_running_on_into_more_figures_is_doubted() -> None:
    """A page on one line whose indicator header was lost: the total row's figures run on into the indicator
    rows' figures, so where the row ends is a guess."""
    truth = dict(TRUTHS)["046"]
    form, notes = parse_text(damaged(truth, "names_after_values+header_lost", sum(map(ord, "046"))), "046.txt")
    assert any(n.code == "I20" and n.path == "funds" for n in notes)
    assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong]
    form, notes = parse_text(damaged(truth, "one_line"), "046.txt")
    assert not any(n.path == "funds" for n in notes)  # the header's words end the row


def test_a_page_on_one_line_without_its_indicator_header_is_read_by_the_template_plans() -> None:
    """The table starts at its first 一级 label after the funds row: the head and funds before it stay as they
    are, the rows are grouped by a template's plan and the list doubted (its header is a guess)."""
    truth = dict(TRUTHS)["032"]
    text = damaged(truth, "one_line+header_lost")
    assert "三级指标" not in text
    form, notes = parse_text(text, "032.txt")
    results = compare(form, truth, notes)
    assert len(form.indicators) == len(truth["indicators"]) and form.funds.total is not None
    assert any(n.code == "I20" and n.path == "indicators" and "没有可识别的表头" in n.message for n in notes)
    assert not [r.path for r in results if r.silently_wrong]


def test_a_name_starting_with_a_level_word_after_its_group_s_label_is_a_name() -> None:
    """``时效指标 资金到位 及时率`` (005's cells broken where they wrapped): 资金到位 is a 二级 word of the rubric,
    but right after another 二级 label and followed by the rest of a name it is the name's first piece."""
    truth = dict(TRUTHS)["005"]
    text = damaged(truth, "split_cells", sum(map(ord, "005")))
    assert " 时效指标 资金到位 及时率 " in text
    form, notes = parse_text(text, "005.txt")
    assert ("时效指标", "资金到位 及时率") in [(i.level2, i.name) for i in form.indicators]
    assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong]


@pytest.mark.parametrize("shape", ["one_line+split_cells", "page_lines+split_cells", "rows_on_lines+split_cells"])
def test_name_pieces_broken_where_they_wrapped_stay_in_the_name(shape: str) -> None:
    """048 on one line with its cells broken (``项目竣 工时间 2023.12``, ``年新增畜牧产值 ( 万元) 500``): the
    fragment and the lone bracket are the rest of the name, not a text target."""
    truth = dict(TRUTHS)["048"]
    form, notes = parse_text(damaged(truth, shape, sum(map(ord, "048"))), "048.txt")
    results = compare(form, truth, notes)
    assert not [r.path for r in results if r.silently_wrong]
    if shape == "one_line+split_cells":
        assert ("项目竣工时间", "2023.12") in [(i.name, i.target) for i in form.indicators]


def test_a_line_of_several_rows_is_no_row_of_spaced_cells() -> None:
    """014's rows two a line: eight words under an eight-cell header, but a name under 分值 shows the line holds
    several rows, so the spaces are not cell borders."""
    truth = dict(TRUTHS)["014"]
    text = damaged(truth, "rows_on_lines", sum(map(ord, "014")))
    assert spaced_cells(_numbered(text), "014.txt").lines == _numbered(text)
    form, notes = parse_text(text, "014.txt")
    assert [i.name for i in form.indicators] == [i["name"] for i in truth["indicators"]]
    assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong]


def test_rows_printed_one_after_another_on_a_line_are_no_names_first_block() -> None:
    """An answer among what would be the names (``按时 已完成``) shows rows printed one after another: the row
    reader reads them, and a fragment before a figure (``项目竣 工时间 2023.12``) is the rest of its name."""
    text = ("项目支出绩效自评表 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 时效指标 完成时间 "
            "按时 已完成 10 10 项目竣 工时间 2023.12 2023.12 10 9 总分 100 19")
    form, _ = parse_text(text, "x.txt")
    assert [(i.name, i.target, i.actual) for i in form.indicators] == [
        ("完成时间", "按时", "已完成"), ("项目竣工时间", "2023.12", "2023.12")]


# --- glued rows one after another: no separator at all -------------------------------------------------


def _doubted_rows(notes: list[ImportNote]) -> set[str]:
    return {n.path for n in notes if n.code == "I20" and n.path}


def test_a_glued_page_is_cut_into_rows_where_their_figures_end() -> None:
    text = damaged(SEED_TRUTH, "glued_page")
    form, notes = parse_text(text, "glued-page.txt")
    results = compare(form, SEED_TRUTH, notes)
    assert honest_share(results) == 1.0 and accuracy(results) > 0.9
    by_name = {i.name: i for i in form.indicators}
    # ``…10.5完成州委州政府…按时保质完成已完成11质量全局工作…``: answers glued to the name, a doubled 分值|得分
    judged = by_name["全局工作任务完成情况"]
    assert (judged.level2, judged.target, judged.actual, judged.weight, judged.score_declared) == (
        "质量", "优秀", "已完成", 10, 10)
    # ``满意度指标服务对象满意度干部对组织部的满意度100%…``: the vocabulary's 二级 word opens the row
    satisfied = by_name["干部对组织部的满意度"]
    assert (satisfied.level1, satisfied.level2, satisfied.target) == ("满意度指标", "服务对象满意度", "100%")


def test_a_unit_before_a_glued_name_is_lent_to_it_when_the_figures_fill_the_row() -> None:
    truth = dict(TRUTHS)["005"]
    text = damaged(truth, "glued_page")
    assert "≧95%100%1010家长满意度" in text  # 家 is a unit (户, 家) as much as the name's first character
    form, notes = parse_text(text, "glued-page.txt")
    by_name = {i.name: i for i in form.indicators}
    assert (by_name["学生满意度"].actual, by_name["学生满意度"].score_declared) == ("100%", 10)
    assert by_name["家长满意度"].target == "≧95%"
    assert honest_share(compare(form, truth, notes)) == 1.0


def test_a_glued_row_with_blank_cells_is_cut_and_doubted_with_the_row_after_it() -> None:
    truth = dict(TRUTHS)["035"]
    text = damaged(truth, "glued_page")
    assert "储备到位率100%100%库存数量真实率100%100%" in text  # no 分值, no 得分: where does the row end?
    form, notes = parse_text(text, "glued-page.txt")
    names = [i.name for i in form.indicators]
    first = names.index("库存数量真实率")
    assert (form.indicators[first].target, form.indicators[first].actual) == ("100%", "100%")
    assert {f"indicators[{first - 1}]", f"indicators[{first}]"} <= _doubted_rows(notes)
    assert honest_share(compare(form, truth, notes)) == 1.0


def test_a_figure_in_a_glued_name_does_not_end_a_row() -> None:
    form, notes = parse_text(damaged(SEED_TRUTH, "glued_rows_lines", 1), "glued-rows.txt")
    by_name = {i.name: i for i in form.indicators}
    long = "定向招录乡镇公务员140人，定向“985工程“等重点高校选调高校毕业生40人，面向全州公开遴选公务员110人。"
    assert by_name[long].target == "≥290人"  # ``140人，定向``, ``985工程``: the name goes on
    assert honest_share(compare(form, SEED_TRUTH, notes)) == 1.0


def test_glued_text_wrapped_at_one_width_is_joined_however_few_its_lines() -> None:
    truth = dict(TRUTHS)["042"]
    text = damaged(truth, "glued_wrapped", sum(map(ord, "042")))
    lines = text.splitlines()
    assert len(lines) == 2 and lines[0][-1].isdigit() and lines[1][0] in "0123456789."  # a number cut
    form, notes = parse_text(text, "glued-wrapped.txt")
    assert form.funds.total is not None and form.funds.total.initial == Decimal(str(truth["funds"]["rows"][0]["initial"]))
    assert any(n.code == "I06" and "折行" in n.message for n in notes)


def test_a_short_word_after_a_name_stays_in_its_word_column() -> None:
    """Under 指标性质 (or 度量单位) a short word after the name (``正向``) is that column's cell, not the rest of the
    name broken where it wrapped."""
    text = ("项目支出绩效自评表 一级指标 二级指标 三级指标 指标性质 指标值 度量单位 全年实际值 分值 得分 "
            "项目决策 决策依据 正向 2 2 项目管理 财务制度 正向 3 3 产出指标 数量指标 道路养护里程 正向 300公里 300公里 15 15 "
            "总分 100 20")
    form, _ = parse_text(text, "x.txt")
    assert [i.name for i in form.indicators] == ["决策依据", "财务制度", "道路养护里程"]


def test_a_text_target_written_again_past_the_weight_is_the_actual() -> None:
    """``及时 20 及时 20`` under 指标值 · 指标分值权重 · 指标实际完成值 · 指标得分: the short word is the target, written
    again as the actual after the weight, not the rest of the name and not the next row's name."""
    text = ("项目支出绩效自评表 一级指标 二级指标 三级指标 指标值 上年完成值 指标分值权重 指标实际完成值 指标得分 "
            "产出指标 数量指标 结算完成率 =100% 10 100% 10 时效指标 费用结算及时性 及时 20 及时 20 总分 100 30")
    form, _ = parse_text(text, "x.txt")
    assert [(i.name, i.target, i.actual, i.weight) for i in form.indicators] == [
        ("结算完成率", "=100%", "100%", 10), ("费用结算及时性", "及时", "及时", 20)]


def test_a_glued_funds_row_cut_two_ways_alike_is_doubted() -> None:
    """``300259.4586.5%`` under 全年预算数|全年执行数|分值|执行率: 259.45 with no 分值, or 259.4 and 分值 5; both
    agree with 执行率 = B/A and no 得分 confirms the 分值, so the funds block is doubted, not silently cut."""
    truth = dict(TRUTHS)["026"]
    text = damaged(truth, "glued")
    assert "300259.4586.5%" in text
    _, notes = parse_text(text, "glued.txt")
    assert any(n.code == "I20" and n.path == "funds" and "切分" in n.message for n in notes)


def test_a_glued_funds_row_with_one_likely_cut_is_not_doubted() -> None:
    _, notes = parse_text(damaged(SEED_TRUTH, "glued"), "glued.txt")
    assert not any(n.path == "funds" and "切分" in n.message for n in notes)


# --- a bordered table's cells broken over lines ---------------------------------------------------------


def test_rows_of_a_bordered_table_whose_cells_broke_over_lines_are_joined_again() -> None:
    """``营养改善计划覆`` / ``盖率 | ≧100% | …``: lines each short of the table's cells that together make one
    row are joined (the header too): the seed's indicator table is its undamaged reference's again."""
    for seed in range(3):
        text = damaged(SEED_TRUTH, "pipes+cell_lines", seed)
        done = rejoin_cell_lines(list(enumerate(text.splitlines(), start=1)), "x.txt")
        table = damaged(SEED_TRUTH, "pipes").split("一级指标 |")[1]  # the indicator table's lines (its scope)
        assert "一级指标 |" + table in "\n".join(t for _, t in done.lines)
        assert [n.code for n in done.notes] == ["I06"]


def test_every_development_truth_with_cells_broken_over_lines_is_read_right_or_doubted() -> None:
    for name, truth in TRUTHS:
        form, notes = parse_text(damaged(truth, "pipes+cell_lines", sum(map(ord, name))), f"{name}.txt")
        assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong], name


def test_a_table_whose_rows_all_lost_cells_is_not_joined() -> None:
    """Rows that lost their blank cells hold fewer cells than the header each: no row keeps the width, so
    two short rows are never taken for one broken over lines."""
    text = damaged(SEED_TRUTH, "empty_dropped")
    lines = list(enumerate(text.splitlines(), start=1))
    assert rejoin_cell_lines(lines, "x.txt").lines == lines
