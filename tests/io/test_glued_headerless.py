"""Glued tables without their header: rows glued a line each or run on over a page, no 指标名称 header, maybe a
序号 glued before each name.  Development forms rendered in those shapes (:mod:`jixiao.io.damage`) are parsed:
every row comes back under its own name, or the field is doubted — never a name swallowing a serial or figures.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.accuracy import compare, development_truths
from jixiao.io.damage import damaged, damaged_truth
from jixiao.io.text import parse_text
from jixiao.io.textserial import drop_glued_serials
from jixiao.model import Form

from ..conftest import DATA

TRUTHS = dict(development_truths(DATA))


def _form(number: str, shape: str, seed: int | None = None) -> Form:
    seed = sum(map(ord, number)) if seed is None else seed
    form, _ = parse_text(damaged(TRUTHS[number], shape, seed), f"{shape}-{number}.txt")
    return form


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def _truth_names(number: str) -> list[str]:
    return [_bare(i["name"]) for i in TRUTHS[number]["indicators"]]


@pytest.mark.parametrize("shape", ["glued+header_lost", "glued+serial_numbers+header_lost", "glued+serial_numbers"])
def test_glued_rows_a_line_without_header_read_every_row_under_its_own_name(shape: str) -> None:
    """``产出指标数量指标5000吨稻谷…率100%100%`` a line, no header: target and actual only, a row a line."""
    form = _form("035", shape)
    assert [_bare(i.name) for i in form.indicators] == _truth_names("035")
    assert [str(i.target) for i in form.indicators[:2]] == ["100%", "100%"]


def test_a_target_and_weight_are_not_the_last_two_of_three_figures() -> None:
    """``一个存储备份器25TB25TB10``: the name does not end in the first figure (25TB | 25TB | 10 are the row's)."""
    names = [_bare(i.name) for i in _form("020", "glued+header_lost").indicators]
    assert "一个存储备份器" in names
    assert not any(n.startswith("一个存储备份器") and n != "一个存储备份器" for n in names)


@pytest.mark.parametrize("shape", ["glued_page+header_lost", "one_line+header_lost"])
def test_a_page_on_one_line_without_levels_starts_after_its_funds_rows(shape: str) -> None:
    """A department form printing no level label, the whole page on one line: the first row follows the
    funds row's figures (``年度资金总额1076%7.6财政供养人员控制率…``)."""
    form = _form("003", shape)
    names = [_bare(i.name) for i in form.indicators]
    assert names[:3] == _truth_names("003")[:3]
    assert len(names) == len(_truth_names("003"))


@pytest.mark.parametrize("number", ["058", "016", "012", "035"])
def test_glued_serials_go_whatever_follows_them(number: str) -> None:
    """The 序号 glued before names goes where it runs 1, 2, 3 …: before a mark (``1★补助…``), after a label and
    a bracket (``满意度指标（5）``), in a line whose name wrapped at a space (``纳入医 保统筹``), glued to a figure
    opening the name (``15000吨稻谷`` is 1 | 5000吨稻谷), before a row with no figure (``14粮食…高高``), and
    restarting in each group (1 … 6, 1, 2, 1)."""
    names = [_bare(i.name) for i in _form(number, "glued+serial_numbers+header_lost").indicators]
    assert names == _truth_names(number)


def test_figures_opening_names_stay_without_a_run_of_serials() -> None:
    """``15000吨…`` with no 2 after it is a figure of the name, and a single glued 1 proves nothing."""
    lines = [(1, "产出指标数量指标15000吨稻谷储备到位率100%100%"), (2, "库存数量真实率100%100%"), (3, "质量指标合格率100%100%")]
    assert drop_glued_serials(lines) == lines


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=st.sampled_from(sorted(TRUTHS)), seed=st.integers(0, 2**16),
       shape=st.sampled_from(["glued+header_lost", "glued_page+header_lost", "glued_rows_lines+header_lost",
                              "one_line+header_lost", "glued+serial_numbers+header_lost"]))
def test_glued_forms_without_header_are_read_right_or_doubted(number: str, seed: int, shape: str) -> None:
    """Any development form in any of these shapes: every indicator field is right or doubted."""
    form, notes = parse_text(damaged(TRUTHS[number], shape, seed), f"{shape}-{number}.txt")
    results = compare(form, dict(damaged_truth(TRUTHS[number], shape, seed)), notes)
    silent = [r.path for r in results if r.path.startswith("indicators") and r.silently_wrong]
    assert not silent, (number, shape, seed, silent[:5])


@pytest.mark.parametrize("shape", ["glued_page", "glued_page+header_lost"])
def test_rows_holding_a_target_only_end_after_a_name_s_bracketed_unit(shape: str) -> None:
    """``标准化圈舍面积(平方米)5000办公用房面积(平方米)500…``: a lone figure after a name ending in its unit in
    brackets closes the row; every row is found (doubted: where a row ends is a guess)."""
    names = [_bare(i.name) for i in _form("048", shape).indicators]
    assert names[:3] == _truth_names("048")[:3]
    assert sum(n in names for n in _truth_names("048")) >= len(_truth_names("048")) - 2


def test_a_percentage_written_out_is_a_unit() -> None:
    """``委托业务报告合格率≥100百分比10088``: ``百分比`` ends the target, the name stops before its sign."""
    form = _form("001", "glued_page")
    row = next(i for i in form.indicators if _bare(i.name).startswith("委托业务报告合格率"))
    assert _bare(row.name) == "委托业务报告合格率" and str(row.target) == "≥100百分比"


def test_two_punctuated_serials_after_level_labels_go() -> None:
    """``产出指标数量指标1.发放(缴纳)覆盖率=100%60`` and ``…2.足额保障率…``: a table of two rows runs no three serials,
    but ``1.``, ``2.`` after the level labels are a list's numbers, which no name opens with."""
    text = damaged(TRUTHS["002"], "glued+serial_numbers+header_lost", 0)
    assert "1.发放" in text  # the seed prints the serial as ``1.``
    form, _ = parse_text(text, "x.txt")
    assert [_bare(i.name) for i in form.indicators] == _truth_names("002")
    bare = [(1, "产出指标数量指标1发放覆盖率=100%60"), (2, "效益指标社会效益指标2足额保障率=100%30")]
    assert drop_glued_serials(bare) == bare  # bare numbers: two in a row happen by chance


def test_a_page_on_one_line_read_as_one_row_is_read_again_by_the_glued_reader() -> None:
    """``…服务对象满意度指标 因粮食市场…发生数 0起 0起 市民满意度调查 290% 100% 总分`` was one row swallowing the
    rest under a guessed plan: the glued reader's reading, with more sound rows, is kept."""
    names = [_bare(i.name) for i in _form("035", "one_line+header_lost").indicators]
    truth = _truth_names("035")
    assert names[:10] == truth[:10]
    assert sum(n in truth for n in names) >= len(truth) - 2 and not any("总分" in n for n in names)
