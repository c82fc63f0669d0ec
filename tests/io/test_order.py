"""Reading order: an indicator block drawn values first and names after (PDF content-stream order).

The damage shape ``names_after_values`` renders every development truth so; the reading-order stage
(:mod:`jixiao.io.textorder`) aligns the run of value tuples with the names drawn after them.  Real
input: development form 052, published as PDF text in exactly this order.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io.accuracy import accuracy, compare, development_truths, template_text
from jixiao.io.damage import INDICATOR_HEAD, damaged, render
from jixiao.io.templates import load_templates, printed_truth
from jixiao.io.text import parse_text, read_text
from jixiao.io.textorder import aligned_names, name_alignment, values_first

from ..conftest import DATA

TRUTHS = dict(development_truths(DATA))
SEED_TRUTH = TRUTHS["seed"]
FORM_052 = DATA / "corpus" / "052.txt"


def test_names_after_values_draws_every_value_before_the_first_name() -> None:
    text = damaged(SEED_TRUTH, "names_after_values", 3)
    assert "\n" not in text and "|" not in text
    head = " ".join(INDICATOR_HEAD)
    assert f"{head} 1个 1个 2 2 ≥300份 ≥300份 2 2" in text  # the header, then the first rows' value cells
    after = text.split(head)[1]
    assert after.index("服务人才人数") > after.rindex("100% 100% 5 5")  # names only after the last values
    assert after.index("产出指标") > after.index("服务人才人数")  # level names after the names
    assert "开展州管干部档案的数字化管理，建成档案信息库" not in text  # a long name wrapped at the column's width


def test_form_052_drawn_values_first_reads_every_indicator_row() -> None:
    form, notes = read_text(FORM_052)
    rows = [(i.level1, i.name, str(i.target), str(i.actual), i.weight, i.score_declared) for i in form.indicators]
    assert rows[0] == ("产出指标", "与委托运营方结算完成率", "=100%", "100%", 10, 10)  # a name wrapped over the header
    assert rows[2][1:4] == ("费用结算及时性", "及时", "及时")
    assert [r[1] for r in rows[3:]] == ["与委托运营方合同完成率", "场馆开放满意度"]
    assert [r[0] for r in rows] == ["产出指标"] * 3 + ["效益指标", "满意度指标"]
    assert form.total_declared == Decimal("98.62")  # the 总分 row's figures were drawn before its label
    assert any(n.code == "I06" and "数值排在指标名称之前" in n.message for n in notes)
    assert all(form.provenance[f"indicators[{n}]"].line == 6 for n in range(5))  # the file's line, not a row id


def test_the_damaged_shape_is_read_right_or_doubted_on_every_development_truth() -> None:
    for name, truth in TRUTHS.items():
        form, notes = parse_text(damaged(truth, "names_after_values"), f"{name}.txt")
        results = compare(form, truth, notes)
        assert not [r.path for r in results if r.silently_wrong], name
    form, notes = parse_text(damaged(TRUTHS["005"], "names_after_values"), "005.txt")
    assert accuracy(compare(form, TRUTHS["005"], notes)) == 1.0


def test_a_name_missing_from_the_names_doubts_the_whole_list() -> None:
    text = damaged(TRUTHS["005"], "names_after_values").replace(" 政策知晓率 ", " ")
    lines, notes, _ = values_first([(1, text)], "x.txt")
    assert lines == [(1, text)]
    assert [(n.code, n.path) for n in notes] == [("I20", "indicators")] and "只找到 8 个名称" in notes[0].message
    form, notes = parse_text(text, "x.txt")
    assert not [r.path for r in compare(form, TRUTHS["005"], notes) if r.silently_wrong]


def test_a_block_read_row_by_row_on_one_line_is_left_to_the_row_reader() -> None:
    text = damaged(SEED_TRUTH, "one_line")
    assert values_first([(1, text)], "x.txt") == ([(1, text)], [], ())


NAME = st.text("培训人数档案信息建设维护道路工程覆盖率服务群众村镇设备采购完成及时", min_size=4, max_size=30)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(NAME, min_size=2, max_size=12), width=st.integers(6, 12))
def test_names_wrapped_at_the_column_width_are_rejoined_or_doubted(names: list[str], width: int) -> None:
    pieces = [name[i : i + width] for name in names for i in range(0, len(name), width)]
    joined, certain = aligned_names(pieces, len(names))
    assert len(joined) == len(names)
    assert not certain or joined == names  # never a certain pairing that is wrong
    if all(len(n) != width and len(n) % width >= 4 and len(n) < 2 * width for n in names) and max(map(len, names)) > width:
        assert certain and joined == names  # names over two lines at most, none exactly as wide: no doubt


def test_fewer_pieces_than_value_tuples_are_never_certain() -> None:
    assert aligned_names(["学生受资助人数", "政策知晓率"], 3) == (["学生受资助人数", "政策知晓率"], False)


# --- a table on one line (or a page per line), row after row, its blank cells gone ---------------------


def _exact(name: str, operator: str, seed: int = 0) -> float:
    form, notes = parse_text(damaged(TRUTHS[name], operator, seed), f"{name}.txt")
    results = compare(form, TRUTHS[name], notes)
    assert not [r.path for r in results if r.silently_wrong]
    return accuracy(results)


def test_page_lines_puts_the_form_on_a_few_lines_and_breaks_header_cells() -> None:
    text = damaged(SEED_TRUTH, "page_lines", 1)
    lines = text.splitlines()
    assert 2 <= len(lines) <= 10 and "|" not in text
    assert text.replace("\n", " ").replace(" ", "") == damaged(SEED_TRUTH, "one_line").replace(" ", "")
    assert any(head not in text for head in INDICATOR_HEAD if len(head) >= 4)  # some header cell broken


def test_rows_on_one_line_are_found_one_by_one_and_keep_their_file_line() -> None:
    form, notes = parse_text(damaged(TRUTHS["048"], "one_line"), "048.txt")
    assert len(form.indicators) == len(TRUTHS["048"]["indicators"]) == 11
    assert form.indicators[8].name == "年新增畜牧产值(万元)"  # a bracketed unit wrapped off its name
    assert {form.provenance[f"indicators[{n}]"].line for n in range(11)} == {1}
    assert any(n.code == "I06" and "整张印在一行" in n.message for n in notes)


def test_a_text_actual_after_a_text_target_stays_in_its_row() -> None:
    """001: ``经费支出合规性 严格执行相关制度规定 达成预期指标 8 8`` is one row, not two."""
    assert _exact("001", "one_line") == 1.0
    assert _exact("001", "cells_dropped") == 1.0


def test_a_name_broken_at_a_space_takes_back_the_piece_beyond_the_row_cells() -> None:
    assert _exact("016", "page_lines") == 1.0  # 指标1:资金是否全部纳入医 保统筹


def test_a_table_over_page_lines_is_read_as_on_one_line() -> None:
    for seed in range(3):
        assert _exact("seed", "page_lines", seed) == 1.0
    assert _exact("058", "page_lines") == 1.0


def test_a_header_printed_a_character_at_a_time_still_gives_the_plan() -> None:
    """Narrow header cells come out a character a word (``三 级 指 标``): one cell each, up to six pieces."""
    sheet = render(TRUTHS["048"])
    cells = [" ".join(c.text) if n == sheet.table.start and len(c.text) <= 5 else c.text
             for n, row in enumerate(sheet.rows) for c in row if c.text]
    form, notes = parse_text(" ".join(cells), "048.txt")
    assert "三 级 指 标" in " ".join(cells) and len(form.indicators) == 11
    assert not [r.path for r in compare(form, TRUTHS["048"], notes) if r.silently_wrong]


def test_a_table_drawn_a_column_at_a_time_on_one_line_is_put_back_into_rows() -> None:
    text = damaged(TRUTHS["005"], "by_column_line")
    assert "\n" not in text and "三级指标 学生受资助人数 营养改善计划覆盖率" in text
    form, notes = parse_text(text, "005.txt")
    assert accuracy(compare(form, TRUTHS["005"], notes)) == 1.0
    assert _exact("seed", "by_column_line") == 1.0


def test_a_column_drawn_table_whose_cells_wrapped_is_read_right_or_doubted() -> None:
    """Level labels broken where they wrapped (``经济效 益指标``) are whole again, and the 总分 row after the
    last column is no cell of it: every development truth drawn so comes back right or doubted."""
    for name in ("seed", "002", "005", "014"):
        truth = TRUTHS[name]
        form, notes = parse_text(damaged(truth, "by_column_line+split_cells", sum(map(ord, name))), f"{name}.txt")
        assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong], name
    form, _ = parse_text(damaged(SEED_TRUTH, "by_column_line+split_cells", sum(map(ord, "seed"))), "seed.txt")
    assert form.total_declared == Decimal("97.5")


def test_a_bracketed_gloss_ends_the_name_before_it() -> None:
    names, _ = aligned_names(["发放(缴纳)覆盖率", "足额保障率", "(参保率)"], 2)
    assert names == ["发放(缴纳)覆盖率", "足额保障率(参保率)"]


def test_a_name_rejoined_from_three_pieces_not_cut_at_the_width_is_a_guess() -> None:
    """Cells broken once where they wrapped (``健康发展`` then ``学生满 意度``): short pieces alone do not make
    the joins certain when they would chain pieces narrower than the column."""
    pieces = ["学生受资", "助人数", "营养改善计划覆盖率", "资金到位", "及时率", "促进学校教育事业", "健康发展", "学生满", "意度"]
    _, certain = aligned_names(pieces, 5)
    assert not certain


def test_names_before_values_draws_every_name_before_the_first_value() -> None:
    text = damaged(SEED_TRUTH, "names_before_values", 3)
    after = text.split(" ".join(INDICATOR_HEAD))[1]
    assert "\n" not in text and "|" not in text
    assert after.index("产出指标") < after.index("服务人才人数") < after.index("1个 1个 2 2 ≥300份 ≥300份 2 2")
    assert after.rindex("服务人才人数") < after.index("1个")  # every name before the first value


def test_a_block_drawn_names_first_pairs_names_and_value_tuples_in_order() -> None:
    truth = TRUTHS["016"]
    form, notes = parse_text(damaged(truth, "names_before_values", sum(map(ord, "016"))), "016.txt")
    expected = [(i["name"].replace(" ", ""), i["weight"], i["score_declared"]) for i in truth["indicators"]]
    assert [(i.name, i.weight, i.score_declared) for i in form.indicators] == expected
    assert any(n.code == "I06" and "数值排在指标名称之后" in n.message for n in notes)
    assert accuracy(compare(form, truth, notes)) == 1.0


def test_rows_on_lines_keep_the_header_alone_and_put_a_few_rows_on_a_line() -> None:
    lines = damaged(SEED_TRUTH, "rows_on_lines", 4).splitlines()
    head = lines.index(" ".join(INDICATOR_HEAD))
    names = [i["name"] for i in SEED_TRUTH["indicators"]]
    per_line = [sum(n in line for n in names) for line in lines[head + 1 :]]
    assert max(per_line) >= 2 and sum(per_line) >= len(names)


def test_a_row_per_line_table_whose_lines_hold_several_rows_is_split_by_the_kinds_of_its_cells() -> None:
    """058: ``红薯种植面积 5.5亩 5.5亩 ★补助各类瓜果蔬菜种植面积 10 10`` is two rows, not one name with figures."""
    form, notes = parse_text(damaged(TRUTHS["058"], "rows_on_lines"), "058.txt")
    assert len(form.indicators) == len(TRUTHS["058"]["indicators"])
    assert any(n.code == "I06" and "一行印有几个指标行" in n.message for n in notes)
    assert _exact("058", "rows_on_lines") == 1.0


def test_rows_that_leave_different_cells_blank_are_cut_by_their_kinds_and_doubted() -> None:
    """035 prints no 分值 and some rows an answer (``100% 无``, ``高 高``): no one plan reads its names-first
    block, the cut into rows of varying width does; where a row's blank cells could stand in several columns the
    row is doubted."""
    form, notes = parse_text(damaged(TRUTHS["035"], "names_before_values", sum(map(ord, "035"))), "035.txt")
    results = compare(form, TRUTHS["035"], notes)
    assert len(form.indicators) == len(TRUTHS["035"]["indicators"]) and accuracy(results) > 0.9
    assert any(n.code == "I20" and n.path == "indicators[0]" and "空单元格" in n.message for n in notes)
    assert not [r.path for r in results if r.silently_wrong]


def test_a_block_drawn_values_first_whose_rows_leave_different_cells_blank_is_cut_into_rows() -> None:
    """020's rows print a 分值 or not and text targets: each row is cut with the columns its cells fit."""
    form, notes = parse_text(damaged(TRUTHS["020"], "names_after_values"), "020.txt")
    assert [(i.target, i.actual, i.weight) for i in form.indicators[:3]] == [
        ("25TB", "25TB", 10), ("100%覆盖", "100%覆盖", None), ("资源采购期以当年为主", "资源采购期以当年为主", 10)]
    assert not [r.path for r in compare(form, TRUTHS["020"], notes) if r.silently_wrong]


def test_a_name_piece_starting_with_a_closing_mark_continues_the_piece_before_it() -> None:
    pieces = ["基建工程委托业务项目数量", "委托业务报告合格率", "对推动基建项目“四项制度", "”健全和落实的持续性影响"]
    names, _ = aligned_names(pieces, 3)
    assert names == ["基建工程委托业务项目数量", "委托业务报告合格率", "对推动基建项目“四项制度”健全和落实的持续性影响"]


def test_a_name_piece_leaving_a_bracket_open_goes_on_in_the_next_piece() -> None:
    names, _ = aligned_names(["监测数据(s", "hù)必须合格", "完成年度资料上报工作", "资料整编"], 3)
    assert names == ["监测数据(shù)必须合格", "完成年度资料上报工作", "资料整编"]


def test_a_single_group_drawn_once_gives_its_levels_to_every_row() -> None:
    """The level cells are merged and drawn once: with one 一级 and one 二级 label, every row is theirs."""
    truth = {**TRUTHS["016"], "indicators": [
        {**row, "level1": "产出指标", "level2": "数量指标"} for row in TRUTHS["016"]["indicators"]]}
    for operator in ("names_before_values", "names_after_values"):
        form, notes = parse_text(damaged(truth, operator, sum(map(ord, "016"))), "016.txt")
        assert [(i.level1, i.level2) for i in form.indicators] == [("产出指标", "数量指标")] * len(truth["indicators"])
        assert not any("无法对应到行" in n.message for n in notes)


# --- names drawn after the values: the name column cut as a whole (name_alignment) ----------------------


def test_a_level_label_after_the_last_piece_may_end_that_name() -> None:
    """012 drawn values first: ``受益脱贫(含监测对象)户`` then the level label ``满意度`` — the cut over the
    names as a whole reads the label as the name's end, where the joins by evidence alone lost it."""
    truth = TRUTHS["012"]
    form, notes = parse_text(damaged(truth, "names_after_values+split_cells", sum(map(ord, "012"))), "012.txt")
    assert [i.name for i in form.indicators] == [i["name"] for i in truth["indicators"]]
    assert not [r.path for r in compare(form, truth, notes) if r.silently_wrong]
    doubt = next(n.message for n in notes if n.code == "I20" and n.path == "indicators")
    assert "另一种拼法" in doubt  # the runner-up cut is named with the doubt


def test_the_cut_of_the_names_follows_their_rows_units() -> None:
    """A name ending as a rate (``…合格率``) goes with a row in %, a cost (``…总投资``) with one in 万元: of two
    cuts equal by the pieces' widths the one whose names agree with their rows' units wins."""
    pieces = ["项目(工程)验", "收合格率", "项目计划总投资", "受益脱贫(含监", "测对象)户人口", "数"]
    assert name_alignment(pieces, 3, ["%", "money", "人"]).names == [
        "项目(工程)验收合格率", "项目计划总投资", "受益脱贫(含监测对象)户人口数"]
    assert name_alignment(pieces, 3, ["%", "人", None]).names != name_alignment(pieces, 3, ["%", "money", "人"]).names


def test_a_close_runner_up_cut_is_doubted() -> None:
    """Pieces that fit both a name over two lines and two names (``完成时间`` after a full line): a guess."""
    cut = name_alignment(["全局工作任务完成情况", "完成时间", "人员工资支出"], 2)
    assert cut.runner_up is not None and not cut.certain


@settings(max_examples=100, deadline=None)
@given(names=st.lists(NAME, min_size=2, max_size=10), width=st.integers(6, 12))
def test_the_cut_of_names_is_as_many_names_of_the_pieces_in_order(names: list[str], width: int) -> None:
    pieces = [name[i : i + width] for name in names for i in range(0, len(name), width)]
    cut = name_alignment(pieces, len(names))
    assert len(cut.names) == len(names) and "".join(cut.names) == "".join(names)


def test_rows_printed_one_after_another_are_no_block_drawn_names_first() -> None:
    """A rubric on one line (``学生受资助人数 10 10 质量指标 营养改善计划覆盖率 10 10 …``): values among the words
    after the header mean rows printed one by one, not names drawn before a run of values, however well the
    last row's figures fit a narrower plan."""
    template = next(t for t in load_templates() if t.id == "scoring-rubric")
    text = template_text(TRUTHS["005"], template, "one_line")
    assert values_first([(1, text)], "x.txt") == ([(1, text)], [], ())
    form, notes = parse_text(text, "005.txt")
    assert accuracy(compare(form, printed_truth(TRUTHS["005"], template), notes)) == 1.0


def test_far_more_name_pieces_than_value_tuples_are_said_not_crashed_on() -> None:
    """A header, two value tuples, then hundreds of words: no cut pairs them (the cut is bounded), and the
    table is said unreadable (I20 on the whole list), never a crash."""
    words = " ".join(f"项目完成{n}" for n in range(400))
    text = f"项目支出绩效自评表\n三级指标 年度指标值 实际完成值 分值 得分 100% 100% 10 10 95% 95% 10 10 {words}\n"
    _, notes = parse_text(text, "hostile.txt")
    assert any(n.code == "I20" and n.path == "indicators" for n in notes)
