"""The damage generator: each extraction shape does what it says, and the importer never crashes on it.

Per shape, the share of fields the importer gets right, and right-or-doubted, over the seed and the
development truths is held to the floors in ``tests/data/damage-floors.toml`` (a ratchet raised by
``bench/import_accuracy.py --ratchet``).  Generated forms (hypothesis) in random shapes may be read
badly, but never with anything but a clear refusal.
"""

from __future__ import annotations

import itertools
import random
import re
import tomllib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import InputError
from jixiao.io.accuracy import accuracy, compare, development_truths, honest_share, measure_damage
from jixiao.io.damage import (
    FUNDS_HEAD,
    INDICATOR_HEAD,
    OPERATORS,
    SHAPES,
    Cell,
    Sheet,
    damaged,
    render,
    tables,
)
from jixiao.io.text import parse_text
from jixiao.io.textrows import peeled_levels

from ..conftest import DATA

FLOORS: dict[str, dict[str, float]] = tomllib.loads((DATA / "damage-floors.toml").read_text(encoding="utf-8"))[
    "operators"
]
TRUTHS = development_truths(DATA)
SEED_TRUTH = TRUTHS[0][1]


def test_every_operator_has_a_floor_and_only_development_forms_are_rendered() -> None:
    assert sorted(FLOORS) == sorted(SHAPES)
    numbers = [name for name, _ in TRUTHS[1:]]
    assert len(numbers) >= 29 and not [n for n in numbers if int(n) > 38 and int(n) % 2 == 1]


@pytest.mark.parametrize("operator", SHAPES)
def test_each_shape_is_read_at_least_as_well_as_its_floor(operator: str) -> None:
    results = measure_damage(TRUTHS, operator)  # anything but a clear refusal propagates and fails here
    floor = FLOORS[operator]
    silent = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in results if r.silently_wrong][:20]
    assert accuracy(results) >= floor["exact"], silent
    assert honest_share(results) >= floor["honest"], silent


# --- each shape does what its name says (on the seed) ------------------------------------------------

def _cells() -> list[str]:
    return [c.text for row in render(SEED_TRUTH).rows for c in row]


def test_render_holds_every_asserted_field_of_the_seed() -> None:
    sheet = render(SEED_TRUTH)
    assert [c.text for c in sheet.rows[sheet.table.start]] == list(INDICATOR_HEAD)
    assert any([c.text for c in row] == list(FUNDS_HEAD) for row in sheet.rows)
    cells = _cells()
    assert {"中共黔南州委组织部", "3989.07", "3967.29", "99%", "97.5", "开展项目个数", "13个", "12个", "0.5"} <= set(cells)
    assert len(sheet.table) == 1 + len(SEED_TRUTH["indicators"])


def test_the_undamaged_reference_reads_the_seed_exactly() -> None:
    form, _ = parse_text(damaged(SEED_TRUTH, "pipes"), "pipes.txt")
    assert accuracy(compare(form, SEED_TRUTH)) == 1.0


def test_pipes_and_spaces_separate_cells() -> None:
    head = " | ".join(INDICATOR_HEAD)
    assert head in damaged(SEED_TRUTH, "pipes").splitlines()
    assert " ".join(INDICATOR_HEAD) in damaged(SEED_TRUTH, "spaces").splitlines()
    assert "|" not in damaged(SEED_TRUTH, "spaces")


def test_glued_cells_have_no_separator() -> None:
    text = damaged(SEED_TRUTH, "glued")
    assert "".join(INDICATOR_HEAD) in text.splitlines() and "开展项目个数13个12个10.5" in text


def test_one_cell_per_line_keeps_every_cell_in_order() -> None:
    assert damaged(SEED_TRUTH, "cell_per_line").splitlines() == _cells()


def test_by_column_lists_a_column_before_the_next() -> None:
    lines = damaged(SEED_TRUTH, "by_column").splitlines()
    names = [i["name"] for i in SEED_TRUTH["indicators"]]
    start = lines.index(names[0])
    assert lines[start : start + len(names)] == names  # the whole 三级指标 column, then the targets
    assert lines[start + len(names) : start + len(names) + 1] == ["年度指标值"]


def test_wrapped_lines_are_cut_at_one_width() -> None:
    for seed in range(5):
        lines = damaged(SEED_TRUTH, "wrapped", seed).splitlines()
        width = max(map(len, lines))
        assert 16 <= width <= 48 and "".join(lines) == damaged(SEED_TRUTH, "pipes").replace("\n", "")


def test_empty_cells_are_dropped_and_the_rest_shift_left() -> None:
    text = damaged(SEED_TRUTH, "empty_dropped")
    assert "|  |" not in text and "开展项目个数 | 13个 | 12个 | 1 | 0.5" in text.splitlines()


def test_ocr_confusions_touch_values_only_and_come_from_the_table() -> None:
    confusions = tables()["ocr"]
    texts = [damaged(SEED_TRUTH, "ocr_confused", seed) for seed in range(8)]
    assert all(" | ".join(INDICATOR_HEAD) in t for t in texts)
    seen = "".join(texts)
    assert {"IO", "W"} & set(re.findall(r"IO|W", seen)) or any(s in seen for s in ("$", "^"))
    assert any(t != damaged(SEED_TRUTH, "pipes") for t in texts)
    assert set(confusions) == {"≥", "≤", "10", "0"}


def test_traditional_labels_carry_pinyin_and_values_stay() -> None:
    text = damaged(SEED_TRUTH, "traditional", 3)
    assert re.search(r"[項標數績]\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", text)
    assert "中共黔南州委组织部" in text and "项目资金" not in text


def test_page_markers_fall_inside_numbers() -> None:
    text = damaged(SEED_TRUTH, "page_markers", 7)
    markers = re.findall(r"\d\n(\d)、\d", text)
    assert markers == ["2", "3"]
    assert re.sub(r"\n\d、", "", text) == damaged(SEED_TRUTH, "pipes")


def test_one_line_puts_the_whole_page_on_one_line_without_empty_cells() -> None:
    text = damaged(SEED_TRUTH, "one_line")
    assert "\n" not in text and "|" not in text and "  " not in text
    assert "开展项目个数 13个 12个 1 0.5" in text


def test_split_cells_break_text_cells_at_a_space_and_keep_figures_whole() -> None:
    texts = [damaged(SEED_TRUTH, "split_cells", seed) for seed in range(4)]
    whole = damaged(SEED_TRUTH, "spaces")
    assert all(t != whole and t.replace(" ", "") == whole.replace(" ", "") for t in texts)
    assert all("5219.46 3989.07 3967.29" in t for t in texts)


def test_cell_lines_break_text_cells_over_two_lines_and_keep_figures_whole() -> None:
    texts = [damaged(SEED_TRUTH, "pipes+cell_lines", seed) for seed in range(4)]
    whole = damaged(SEED_TRUTH, "pipes")
    assert all(len(t.splitlines()) > len(whole.splitlines()) and t.replace("\n", "") == whole.replace("\n", "")
               for t in texts)
    assert all("5219.46 | 3989.07 | 3967.29" in t for t in texts)


def test_glued_page_is_every_cell_on_one_line_with_no_separator() -> None:
    text = damaged(SEED_TRUTH, "glued_page")
    assert "\n" not in text and " " not in text and "|" not in text
    assert text == "".join(_cells())
    assert "开展项目个数13个12个10.5完成州委州政府" in text  # a row's score runs into the next row's name


def test_glued_wrapped_breaks_the_glued_page_at_one_width_anywhere() -> None:
    widths = set()
    for seed in range(6):
        lines = damaged(SEED_TRUTH, "glued_wrapped", seed).splitlines()
        assert "".join(lines) == damaged(SEED_TRUTH, "glued_page")
        assert len({len(line) for line in lines[:-1]}) == 1 and len(lines[-1]) <= len(lines[0])
        widths.add(len(lines[0]))
    assert len(widths) > 1 and all(30 <= w <= 90 for w in widths)
    cuts = [a[-1] + b[0] for seed in range(6) for a, b in itertools.pairwise(
        damaged(SEED_TRUTH, "glued_wrapped", seed).splitlines())]
    assert any(pair.isdigit() for pair in cuts)  # a break falls inside a number too


def test_glued_rows_lines_holds_several_glued_rows_a_line() -> None:
    rows = ["".join(c.text for c in row) for row in render(SEED_TRUTH).rows]
    for seed in range(4):
        lines = damaged(SEED_TRUTH, "glued_rows_lines", seed).splitlines()
        assert "".join(lines) == "".join(rows) and " " not in "".join(lines)
        assert len(lines) < len(rows) and max(map(len, lines)) > max(map(len, rows))
        position = 0  # every line break is a row break
        ends = set(itertools.accumulate(map(len, rows)))
        for line in lines[:-1]:
            position += len(line)
            assert position in ends


def test_a_composition_damages_the_cells_then_lays_them_out() -> None:
    whole = damaged(SEED_TRUTH, "one_line")
    texts = [damaged(SEED_TRUTH, "one_line+split_cells", seed) for seed in range(4)]
    assert all("\n" not in t and t.replace(" ", "") == whole.replace(" ", "") for t in texts)
    assert all(len(t.split()) > len(whole.split()) for t in texts)  # cells broken at a space, on one line
    confused = damaged(SEED_TRUTH, "names_after_values+ocr_confused", 2)
    assert "\n" not in confused and confused != damaged(SEED_TRUTH, "names_after_values", 2)
    with pytest.raises(KeyError):
        damaged(SEED_TRUTH, "split_cells+one_line")  # a layout is no cell damage


def test_levels_glued_writes_a_group_s_labels_into_its_first_name_only() -> None:
    lines = damaged(SEED_TRUTH, "spaces+levels_glued").splitlines()
    assert any(line.strip().startswith("产出指标数量大组工网络运维费用 1个 1个 2 2") for line in lines)
    assert any(line.strip().startswith("开展州管干部档案的数字化管理") for line in lines)  # the group's next row
    assert any(line.strip().startswith("质量全局工作任务完成情况") for line in lines)  # a new 二级 group only
    assert " ".join(INDICATOR_HEAD) in lines  # the header keeps its level heads


def test_a_lost_header_composes_with_the_one_line_layouts() -> None:
    for shape in ("one_line+header_lost", "names_after_values+header_lost"):
        text = damaged(SEED_TRUTH, shape)
        assert "\n" not in text and "三级指标" not in text and "年度指标值" not in text
        assert "服务人才人数" in text and "总分" in text


# --- generated forms, random shapes: never anything but a clear refusal -------------------------------

WORDS = "培训人数档案信息建设维护道路工程覆盖率服务群众村镇设备采购完成及时分值得分总计|（）()≥≤%·、-0123456789"
LEVELS = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
          ("效益指标", ["社会效益指标", "经济效益指标", "可持续影响指标"]),
          ("满意度指标", ["服务对象满意度指标"])]


@st.composite
def indicators(draw: st.DrawFn) -> dict[str, Any]:
    level1, seconds = draw(st.sampled_from(LEVELS))
    value = st.one_of(
        st.builds(lambda sign, n, unit: f"{sign}{n}{unit}", st.sampled_from(["≥", "≤", "", "＞"]),
                  st.integers(0, 100000), st.sampled_from(["人", "个", "%", "万元", "次", "天", ""])),
        st.sampled_from(["按时完成", "达标", "显著提升", "有效改善", "—"]),
        st.text(WORDS, max_size=12),
    )
    weight = draw(st.integers(0, 40))
    return {"level1": level1, "level2": draw(st.sampled_from(seconds)), "name": draw(st.text(WORDS, min_size=1, max_size=30)),
            "target": draw(value), "actual": draw(value), "weight": weight,
            "score_declared": draw(st.decimals(0, weight, places=1) | st.none())}


@st.composite
def truths(draw: st.DrawFn) -> dict[str, Any]:
    money = st.decimals(0, 10**7, places=2) | st.none()
    return {
        "kind": draw(st.sampled_from(["project", "department"])),
        "unit": draw(st.text(WORDS, min_size=1, max_size=20)),
        "project": draw(st.text(WORDS, min_size=1, max_size=20)),
        "year": draw(st.integers(2000, 2099) | st.none()),
        "funds": {"weight": draw(st.sampled_from([10, 20, None])),
                  "rate_declared": draw(st.sampled_from(["99%", "100.00%", "0", "", "98.7 %"])),
                  "score_declared": draw(st.decimals(0, 20, places=2) | st.none()),
                  "rows": [{"initial": draw(money), "budget": draw(money), "executed": draw(money)}]},
        "indicators": draw(st.lists(indicators(), max_size=25)),
        "total_declared": draw(st.decimals(0, 100, places=1) | st.none()),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truth=truths(), operators=st.lists(st.sampled_from(list(OPERATORS)), min_size=1, max_size=3),
       seed=st.integers(0, 2**32))
def test_generated_forms_in_any_shape_never_crash_the_importer(
    truth: dict[str, Any], operators: list[str], seed: int
) -> None:
    text = damaged(truth, operators[0], seed)
    for operator in operators[1:]:  # later shapes damage the text again, as one more extraction pass would
        text = _redamage(text, operator, seed)
    try:
        form, notes = parse_text(text, "generated.txt")
    except InputError as refusal:
        assert refusal.message and "Traceback" not in str(refusal)
        return
    results = compare(form, truth, notes)
    assert all(r.parsed is None or r.parsed.startswith(("indicators[", "funds", *truth)) for r in results)
    assert all(isinstance(i.weight, Decimal | None) for i in form.indicators)


def _redamage(text: str, operator: str, seed: int) -> str:
    """Another shape applied to text already damaged: its lines taken as one-cell rows."""
    rows = tuple((Cell(line),) for line in text.splitlines())
    return OPERATORS[operator](Sheet(rows, range(len(rows))), random.Random(seed))


def _names_opening_with_figures(text: str, truth: dict[str, Any]) -> list[str]:
    """The parsed names that are a truth name with a figure before it: a level's 分值 (or a row's) read into it."""
    form, _ = parse_text(text, "damaged.txt")
    names = {re.sub(r"\s", "", i["name"]) for i in truth.get("indicators") or []}
    read = [re.sub(r"\s", "", i.name) for i in form.indicators]
    return [n for n in read if n not in names and re.sub(r"^\d+(?:\.\d+)?", "", n) in names]


def test_level_weights_put_a_group_s_weight_after_each_level_cell_of_its_first_row() -> None:
    text = damaged(SEED_TRUTH, "glued+level_weights")
    assert "一级指标分值二级指标分值三级指标" in text
    assert "产出指标50数量20大组工网络运维费用" in text  # the groups' 分值 sums, glued before the first name


@pytest.mark.parametrize("shape", ["glued+level_weights", "glued_page+level_weights", "glued+level_weights+header_lost"])
def test_a_level_s_printed_weight_is_never_read_into_a_name(shape: str) -> None:
    for name, truth in TRUTHS:
        assert _names_opening_with_figures(damaged(truth, shape, sum(map(ord, name))), truth) == [], name


def test_a_second_level_label_naming_a_level1_too_is_the_level2_cell() -> None:
    labels, name, guessed = peeled_levels("满意度指标服务对象满意度指标受益户满意度", False)
    assert (labels, name, guessed) == (["满意度指标", "服务对象满意度指标"], "受益户满意度", False)
    form, _ = parse_text(damaged(dict(TRUTHS)["012"], "spaces+levels_glued"), "012.txt")
    assert any(i.name == "受益脱贫(含监测对象)户满意度" and i.level2 == "服务对象满意度指标" for i in form.indicators)


def _names_read(number: str, shape: str) -> list[str]:
    form, _ = parse_text(damaged(dict(TRUTHS)[number], shape, sum(map(ord, number))), f"{shape}-{number}.txt")
    return [re.sub(r"\s", "", i.name) for i in form.indicators]


def test_glued_rows_a_line_are_cut_where_a_figure_run_ends_written_twice() -> None:
    # ``委托业务报告合格率≥100百分比10088经费支出合规性…``: 100 | 8 | 8 closes the row, the next name opens
    names = _names_read("001", "glued_rows_lines")
    assert any(n.startswith("委托业务报告合格率") for n in names) and any(n.startswith("经费支出合规性") for n in names)
    assert not any("委托业务报告合格率" in n and "经费支出合规性" in n for n in names)


def test_a_certain_level_label_after_figures_opens_the_next_group_inside_a_line() -> None:
    # ``…项目竣工时间2023.12成本指标投入资金(≥万元)…``: 成本指标 is the next group's label, not a name's word
    names = _names_read("048", "glued_rows_lines")
    assert "投入资金(≥万元)" in names
    assert not any("成本指标" in n for n in names)


def test_every_level2_word_of_the_vocabulary_with_指标_is_a_label_in_glued_text() -> None:
    # ``…32座时效性指标解决群众问题时间…``: the 二级 label is cut off, not read into the next name
    names = _names_read("024", "glued_page")
    assert "解决群众问题时间" in names
    assert not any(n.endswith("解决群众问题时间") and n != "解决群众问题时间" for n in names)


def test_a_level_word_alone_after_figures_ends_the_row_before_it() -> None:
    # ``…每年财政补助1000万元1000万元1000万元10时效1年…``: the row ends at 10, 时效 is the next group's cell
    names = _names_read("010", "glued_page")
    assert "每年财政补助1000万元" in names and "1年" in names


# --- the 序号 column (serial_numbers) -----------------------------------------------------------------

def test_serial_numbers_print_a_serial_column_under_its_header() -> None:
    placements = set()
    for seed in range(12):
        rows = [line.split(" | ") for line in damaged(SEED_TRUTH, "pipes+serial_numbers", seed).splitlines()]
        head = next(n for n, row in enumerate(rows) if "三级指标" in row)
        at = rows[head].index("序号")
        placements.add(at)
        assert rows[head][at + (1 if at == 2 else 3)] == "三级指标"
        serials = [row[at] for row in rows[head + 1 : head + 1 + len(SEED_TRUTH["indicators"])]]
        numbers = [int(re.sub(r"\D", "", s)) for s in serials]
        assert numbers[0] == 1 and all(b in (a + 1, 1) for a, b in itertools.pairwise(numbers))
    assert placements == {0, 2}  # before the level cells and between them and the name


@pytest.mark.parametrize("layout", ["pipes", "spaces", "one_line", "glued"])
def test_a_serial_column_reads_as_the_form_without_it(layout: str) -> None:
    plain, _ = parse_text(damaged(SEED_TRUTH, layout), f"{layout}.txt")
    for seed in range(6):
        form, _ = parse_text(damaged(SEED_TRUTH, f"{layout}+serial_numbers", seed), f"{layout}.txt")
        assert [i.name for i in form.indicators] == [i.name for i in plain.indicators], seed
        assert accuracy(compare(form, SEED_TRUTH)) >= accuracy(compare(plain, SEED_TRUTH)) - 0.01


def test_figures_that_do_not_run_from_one_stay_cells() -> None:
    """Scores 2, 3, 4 before the next rows' names, a numbered prose list: no serial column, nothing dropped."""
    truth = {**SEED_TRUTH, "indicators": [
        {**item, "weight": n + 2, "score_declared": n + 2} for n, item in enumerate(SEED_TRUTH["indicators"][:3])]}
    for layout in ("pipes", "one_line"):
        text = damaged(truth, layout)
        form, _ = parse_text(text, "x.txt")
        assert [i.weight for i in form.indicators] == [2, 3, 4]
    prose = "年度目标：\n1. 完成 培训\n2. 提高 质量\n3. 按时 完成\n" + damaged(SEED_TRUTH, "pipes")
    form, _ = parse_text(prose, "x.txt")
    assert accuracy(compare(form, SEED_TRUTH)) == 1.0


# --- the funds block as provincial forms print it (funds_variants) ---------------------------------------

def _funds_lines(text: str) -> list[list[str]]:
    rows = [line.split(" | ") for line in text.splitlines()]
    head = next(n for n, row in enumerate(rows) if "年初预算数" in row)
    return rows[head : next(n for n, row in enumerate(rows) if "三级指标" in row)]


def test_funds_variants_relabel_the_total_row_and_add_share_rows() -> None:
    labels, shares, weighted = set(), 0, 0
    for seed in range(40):
        block = _funds_lines(damaged(SEED_TRUTH, "pipes+funds_variants", seed))
        labels.add(block[1][0])
        shares += len(block) == 4
        weighted += "（10分）" in block[0][0]
        assert [len(row) for row in block] == [len(block[0])] * len(block)  # every row a cell per heading
        if len(block) == 4:  # 财政拨款 repeats the total's amounts
            assert block[2][0].startswith("其中") and block[2][2:4] == block[1][2:4]
    assert labels == set(tables()["funds_variants"]["total_labels"])
    assert 0 < shares < 40 and 0 < weighted < 40


@pytest.mark.parametrize("layout", ["pipes", "spaces", "glued", "one_line", "cell_per_line"])
def test_every_printed_total_row_reads_as_the_plain_one(layout: str) -> None:
    """The label (or none), 其中 rows and dashes in blank cells change nothing of the funds read."""
    fields = ("initial", "budget", "executed")
    for seed in range(10):
        form, _ = parse_text(damaged(SEED_TRUTH, f"{layout}+funds_variants", seed), "x.txt")
        total = form.funds.total
        assert total is not None, seed
        assert [getattr(total, f) for f in fields] == [
            None if (v := SEED_TRUTH["funds"]["rows"][0][f]) is None else Decimal(str(v)) for f in fields], seed
        assert form.funds.score_declared == Decimal(str(SEED_TRUTH["funds"]["score_declared"])), seed


def test_a_total_row_without_label_is_read_before_the_indicator_header() -> None:
    """The funds headings end at the first figure: the indicator header's 分值 | 得分 head another table (form 046:
    its first rows print 分值 and 得分 only, ``目标内容 4 4``)."""
    truth = dict(TRUTHS)["046"]
    sheet = render(truth)
    at = next(n for n, row in enumerate(sheet.rows) if row and row[0].text == "年度资金总额")
    rows = list(sheet.rows)
    rows[at] = (Cell("", True), *rows[at][1:])
    text = OPERATORS["spaces"](Sheet(tuple(rows), sheet.table), random.Random(0))
    form, _ = parse_text(text, "x.txt")
    assert form.funds.total is not None
    assert form.funds.total.budget == Decimal(str(truth["funds"]["rows"][0]["budget"]))
    assert form.funds.total.executed == Decimal(str(truth["funds"]["rows"][0]["executed"]))


def test_funds_pairs_print_each_heading_before_its_figure() -> None:
    block = _funds_lines(damaged(SEED_TRUTH, "pipes+funds_pairs"))
    assert len(block) == 1
    cells = block[0]
    executed = str(SEED_TRUTH["funds"]["rows"][0]["executed"])
    assert cells[cells.index("全年执行数（B）") + 1] == executed


@pytest.mark.parametrize("layout", ["pipes", "spaces", "glued", "one_line", "cells_dropped"])
def test_funds_printed_as_pairs_read_as_the_table(layout: str) -> None:
    """Each figure belongs to the heading before it, and the pairs' last heading (得分) is no indicator header cell."""
    plain, _ = parse_text(damaged(SEED_TRUTH, layout), "x.txt")
    for name, truth in TRUTHS[:12]:
        form, _ = parse_text(damaged(truth, f"{layout}+funds_pairs", sum(map(ord, name))), "x.txt")
        expected = (truth.get("funds") or {}).get("rows", [{}])[0]
        if expected.get("executed") is not None:
            assert form.funds.total is not None, name
            assert form.funds.total.executed == Decimal(str(expected["executed"])), name
    form, _ = parse_text(damaged(SEED_TRUTH, f"{layout}+funds_pairs"), "x.txt")
    assert form.funds.model_dump() == plain.funds.model_dump()
    assert [i.model_dump() for i in form.indicators] == [i.model_dump() for i in plain.indicators]
