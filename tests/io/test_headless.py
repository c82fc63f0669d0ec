"""A table whose header is lost, read under the template library's column plans (:mod:`jixiao.io.textplans`).

Every development truth is rendered in a template, piped, its indicator header blanked
(``pipes+header_lost``) and parsed: the rows come back as the same form read with its header does, or
doubted — never silently in other columns.  The mechanisms are tested one by one on such real inputs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.accuracy import compare, development_truths, template_text
from jixiao.io.damage import damaged
from jixiao.io.notes import ImportNote
from jixiao.io.templates import load_templates, printed_truth
from jixiao.io.text import _sums, parse_text
from jixiao.io.textfunds import read_funds
from jixiao.io.textlabels import Column
from jixiao.io.textorder import FUNDS_FIGURES_MAX, _funds_figures
from jixiao.io.textplans import plans, template_columns
from jixiao.model import Form

from ..conftest import DATA

TRUTHS = development_truths(DATA)
TEMPLATES = load_templates()
BY_ID = {t.id: t for t in TEMPLATES}


def _read(truth: dict[str, object], template_id: str, shape: str, seed: int = 0) -> tuple[Form, list[ImportNote]]:
    return parse_text(template_text(truth, BY_ID[template_id], shape, seed), f"{template_id}-{shape}.txt")


def _rows(form: Form) -> list[tuple[object, ...]]:
    return [(i.name, i.target, i.actual, i.weight, i.score_declared) for i in form.indicators]


@pytest.mark.parametrize("template", [t.id for t in TEMPLATES if not t.level_weights])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(truth=st.sampled_from(TRUTHS), seed=st.integers(0, 2**16))
def test_every_template_without_its_header_reads_right_or_doubts(template: str, truth: tuple[str, dict[str, Any]],
                                                                 seed: int) -> None:
    """Render → drop the header → parse: every indicator field the template prints is right or doubted, and
    the I08 note says which plan was assumed."""
    name, data = truth
    form, notes = _read(data, template, "pipes+header_lost", seed)
    results = compare(form, printed_truth(data, BY_ID[template]), notes)
    silent = [r.path for r in results if r.path.startswith("indicators") and r.silently_wrong]
    assert not silent, (name, silent[:5])
    if form.indicators:  # a table printing no level label at all gives no start to read from (I21 says so)
        assert any(note.code == "I08" and note.severity == "info" for note in notes), name


@pytest.mark.parametrize("template", ["sichuan-project", "nature-direction", "with-method", "chongqing-department",
                                      "basis-and-evidence", "weight-first"])
def test_a_template_other_than_the_national_is_recognised_without_its_header(template: str) -> None:
    """The seed in a layout whose columns differ from the national order: without its header the rows are read
    under that template's plan (the national order alone shifts them), the I08 note names it, no doubt on them."""
    form, notes = _read(TRUTHS[0][1], template, "pipes+header_lost")
    headed, _ = _read(TRUTHS[0][1], template, "pipes")
    assert _rows(form) == _rows(headed)
    assert any(n.code == "I08" and template in n.message for n in notes)
    # a row no arithmetic verifies may read as well under another plan (honestly doubted); most rows are not
    doubted = {n.path for n in notes if "同样合理" in n.message}
    assert len(doubted) <= len(form.indicators) // 10, doubted


def test_the_plans_are_the_library_s_distinct_column_orders_national_first() -> None:
    found = plans()
    assert found[0].columns == template_columns(BY_ID["national-project"])
    assert len({p.columns for p in found}) == len(found)
    assert {t.id for t in TEMPLATES} == {tid for p in found for tid in p.templates}
    assert any(p.rubric for p in found)


def test_a_plan_printing_a_weight_goes_before_one_whose_lone_points_column_is_a_score() -> None:
    """Tie-break by order: ``年度指标值 实际完成值 分值`` before ``年度指标值 实际完成值 得分``."""
    order = [p.columns for p in plans()]
    weighted = order.index(template_columns(BY_ID["no-score"]))
    scored = order.index(template_columns(BY_ID["hubei-20-80"]))
    assert weighted < scored


def test_a_narrow_win_between_plans_is_doubted_naming_the_runner_up() -> None:
    """A 分值-only form whose 分值 add up to neither 100 nor the 总分 reads as well as a 得分-only one: each row
    the two plans read otherwise is doubted (I20) and the note names the other template."""
    ties = []
    for name, truth in TRUTHS:
        _, notes = _read(truth, "no-score", "pipes+header_lost", sum(map(ord, name)))
        ties += [n for n in notes if n.code == "I20" and "同样合理" in n.message]
    assert ties and all(n.path and n.path.startswith("indicators") for n in ties)
    assert any("「no-score」与「hubei-20-80」" in n.message for n in ties)


def test_the_funds_weight_printed_in_its_cell_is_what_the_weights_add_up_to_with() -> None:
    """The funds block's 分值 cell (not only a weight its 得分 heading names) closes the 100 the rows' 分值 reach."""
    text = template_text(TRUTHS[0][1], BY_ID["national-project"], "pipes")
    sums = _sums(read_funds(text), None)
    assert sums.funds_weight == Decimal(10) and sums.funds_score == Decimal(9)


def test_row_widths_decide_where_the_blank_cells_are_kept() -> None:
    """Development form 010 leaves its 分值 blank (only 得分 filled): several plans read its values somewhere;
    the plan as wide as its rows is kept (a wider one puts the 得分 in another column)."""
    truth = dict(TRUTHS)["010"]
    assert any(i.get("weight") is None for i in truth["indicators"])  # type: ignore[attr-defined]
    form, _ = _read(truth, "national-project", "pipes+header_lost")
    headed, _ = _read(truth, "national-project", "pipes")
    assert _rows(form) == _rows(headed)


def test_a_rubric_without_its_header_is_read_with_its_level_weights() -> None:
    form, notes = _read(TRUTHS[0][1], "rubric", "pipes+header_lost")
    headed, _ = _read(TRUTHS[0][1], "rubric", "pipes")
    assert _rows(form) == _rows(headed)
    assert any(n.code == "I08" and "rubric" in n.message for n in notes)
    assert Column.WEIGHT in plans()[-1].columns


def test_a_row_nothing_verifies_is_doubted_where_another_plan_reads_it_otherwise() -> None:
    """A 得分-only form (hubei) read without its header: where a row's reading has no evidence of its own (no
    target met, no full marks, no formula) and the runner-up plan reads it otherwise, the row is doubted even
    when the plan won clearly; rows the other plan reads alike are not."""
    found = []
    for name, truth in TRUTHS:
        _, notes = _read(truth, "hubei-20-80", "pipes+header_lost", sum(map(ord, name)))
        found += [n for n in notes if n.code == "I20" and "没有表内算术印证或" in n.message]
        assert all(n.path and n.path.startswith("indicators[") for n in found)
    assert found


# --- values drawn before names, header lost: the funds row's figures run into the first value tuples ---------


def _drawn_values_first(name: str, truth: dict[str, Any]) -> tuple[Form, list[ImportNote]]:
    return parse_text(damaged(truth, "names_after_values+header_lost", sum(map(ord, name))), f"{name}.txt")


def test_values_drawn_first_without_a_header_are_paired_with_their_names() -> None:
    """The seed drawn values first with its indicator header lost: its rows are read (I08 names the plan), each
    indicator field right or doubted, none silently wrong."""
    truth = TRUTHS[0][1]
    form, notes = _drawn_values_first("seed", truth)
    assert len(form.indicators) == len(truth["indicators"])  # type: ignore[arg-type]
    assert any(n.code == "I08" for n in notes)
    results = [r for r in compare(form, truth, notes) if r.path.startswith("indicators")]
    assert not any(r.silently_wrong for r in results)
    assert sum(r.ok for r in results) >= len(results) // 2


def test_the_funds_arithmetic_decides_where_the_funds_figures_end() -> None:
    """Where the first value tuples are bare numbers the funds row's figures run on into them: the cut the funds
    block's own arithmetic (执行率 = B/A, 得分 = 分值 × 执行率) agrees with ends the row, and the funds read
    are the truth's (or doubted)."""
    cases = read = 0
    for name, truth in TRUTHS:
        words = damaged(truth, "names_after_values+header_lost", sum(map(ord, name))).split()
        found = _funds_figures(words)
        if found is None or found[1] <= FUNDS_FIGURES_MAX:
            continue  # the funds figures stop at a word: no cut to decide
        cases += 1
        form, notes = _drawn_values_first(name, truth)
        read += bool(form.indicators)
        funds = [r for r in compare(form, truth, notes) if r.path.startswith("funds")]
        assert not any(r.silently_wrong for r in funds), name
    assert cases >= 3 and read >= 3


def test_a_glued_table_without_header_or_level_labels_starts_after_the_funds_rows() -> None:
    """A glued page that lost its indicator header and prints no 一级 label (a department form's bare list of
    indicators, development form 003): the rows are read from the line after the funds block, right or doubted."""
    truth = dict(TRUTHS)["003"]
    assert not any(row.get("level1") for row in truth["indicators"])
    form, notes = parse_text(damaged(truth, "glued+header_lost"), "glued.txt")
    results = [r for r in compare(form, truth, notes) if r.path.startswith("indicators")]
    assert len(form.indicators) >= len(truth["indicators"]) - 1
    assert not [r for r in results if r.silently_wrong]


def _names_only(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth as a table printing its 三级 names only: no 一级 or 二级 label on any row."""
    rows = [{**row, "level1": None, "level2": None} for row in truth.get("indicators") or []]
    return {**truth, "indicators": rows}


@pytest.mark.parametrize("name", [name for name, truth in TRUTHS if truth.get("indicators")])
def test_a_table_of_names_only_without_its_header_starts_at_its_first_row(name: str) -> None:
    """No header and no level label to start from: the table starts at the first line whose first cell is a
    name followed by figures (not a funds row), and every field comes back right or doubted."""
    truth = _names_only(dict(TRUTHS)[name])
    form, notes = parse_text(damaged(truth, "pipes+header_lost", sum(map(ord, name))), f"{name}.txt")
    rows = [r for r in compare(form, truth, notes) if r.path.startswith("indicators[")]
    assert [r for r in rows if r.silently_wrong] == []
    assert len(form.indicators) == len(truth["indicators"])
