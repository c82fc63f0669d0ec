"""The form's own arithmetic chooses between readings of glued cells, and says when it cannot."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jixiao.io.constraints import Settings, choose, consistency, formula, score_within_weight, unit_family
from jixiao.io.constraints import settings as constraint_settings
from jixiao.io.text import parse_text
from jixiao.model import Form

HEAD = "项目支出绩效自评表（2022年度）\n一级指标二级指标三级指标分值年度指标值全年实际值得分偏差原因分析及改进措施"
TAIL = "培训场次1010场10场10质量指标合格率20100%100%20\n总分 100 95\n"


def _glued(row: str) -> tuple[Form, list[str]]:
    """The form read, and the rows' doubts (the table is partial: its 分值 do not add up to 100, a block doubt)."""
    form, notes = parse_text(f"{HEAD}产出指标数量指标{row}{TAIL}", "glued.txt")
    return form, [note.path for note in notes if note.code == "I20" and note.path and note.path.startswith("indicators[")]


def test_the_formula_decides_where_the_glue_is() -> None:
    """``培训人数1520人18人13.5`` under 分值|年度指标值|全年实际值|得分 is 15 | 20人 | 18人 | 13.5: 18/20 × 15 = 13.5."""
    form, doubted = _glued("培训人数1520人18人13.5")
    first = form.indicators[0]
    assert (first.weight, first.target, first.actual, first.score_declared) == (
        Decimal(15), "20人", "18人", Decimal("13.5")
    )
    assert doubted == []
    assert form.provenance["indicators[0].weight"].confidence == pytest.approx(1, abs=0.01)
    assert all(location.confidence is not None for location in form.provenance.values())


def test_a_narrow_win_is_doubted_with_the_runner_up() -> None:
    """When the arithmetic cannot tell 1 | 520人 from 15 | 20人, the note names both fields and the other reading."""
    form, notes = parse_text(f"{HEAD}产出指标数量指标人数1520人18人1{TAIL}", "glued.txt")
    doubts = [note for note in notes if note.code == "I20" and note.path and note.path.startswith("indicators[")]
    assert {note.path for note in doubts} == {"indicators[0].weight", "indicators[0].target"}
    assert any("15" in note.message and note.location and note.location.line == 2 for note in doubts)
    assert form.provenance["indicators[0].weight"].confidence < constraint_settings().decide.plain_confidence


@settings(max_examples=60, deadline=None)
@given(
    weight=st.integers(2, 30),
    target=st.integers(10, 999),
    share=st.integers(50, 99),
)
def test_undoubted_glued_values_are_right(weight: int, target: int, share: int) -> None:
    """A weight glued to a target is either read right or doubted (I20): never silently wrong."""
    actual = target * share // 100
    if actual == 0:
        return
    score = (Decimal(actual) / target * weight).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
    if score == weight:
        return
    form, doubted = _glued(f"服务人数{weight}{target}人{actual}人{score}")
    first = form.indicators[0]
    for path, value, expected in (
        ("indicators[0].weight", first.weight, Decimal(weight)),
        ("indicators[0].target", first.target, f"{target}人"),
    ):
        assert value == expected or any(path.startswith(d) for d in doubted), (path, value, doubted)


def test_constraints_are_small_pure_verdicts() -> None:
    assert score_within_weight({"weight": "5", "score": "6"}) == -1
    assert score_within_weight({"weight": "5", "score": "5"}) == 0
    assert unit_family({"target": "≥20人", "actual": "18人"}) == 1
    assert unit_family({"target": "≥20人", "actual": "18%"}) == -1
    assert formula({"weight": "15", "target": "≥20人", "actual": "18人", "score": "13.5"}) == 1
    assert formula({"weight": "15", "target": "≥20人", "actual": "18人", "score": "12"}) == 0
    assert consistency({"weight": "1", "score": "13.5"}) < consistency({"weight": "15", "score": "13.5"})
    assert choose([]) is None


def test_constraint_weights_are_validated() -> None:
    data = constraint_settings().model_dump()
    data["weights"]["formula"] = 0
    with pytest.raises(ValidationError):
        Settings.model_validate(data)
    data["weights"]["formula"] = 101
    with pytest.raises(ValidationError):
        Settings.model_validate(data)


def test_the_printed_block_weight_decides_where_the_row_cannot() -> None:
    """``人数1520人18人1``: 1 | 520人 or 15 | 20人 — the row's own arithmetic cannot tell; the block
    ``产出指标(25分)`` with a second row of 10 can: 15 + 10 = 25.  Without it the row stays doubted."""
    head = "项目支出绩效自评表（2022年度）\n一级指标二级指标三级指标分值年度指标值全年实际值得分偏差原因分析及改进措施"
    rows = "数量指标人数1520人18人1培训场次1010场10场10效益指标(75分)社会效益指标合格率75100%100%75\n总分 100 86\n"
    for printed, weight, target in (("25", Decimal(15), "20人"), ("11", Decimal(1), "520人")):
        form, notes = parse_text(f"{head}\n产出指标({printed}分){rows}", "block.txt")
        first = form.indicators[0]
        assert (first.weight, first.target) == (weight, target)
        assert not [n for n in notes if n.path and n.path.startswith("indicators[0]")], notes
    form, notes = parse_text(f"{head}\n产出指标{rows}", "block.txt")  # no printed 分值: still narrow
    assert {"indicators[0].weight", "indicators[0].target"} <= {n.path for n in notes}


def test_a_row_nothing_verifies_is_less_sure_than_one_the_formula_verifies() -> None:
    decide = constraint_settings().decide
    text = "\n".join([
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "产出指标 | 数量指标 | 培训人数 | ≥20人 | 18人 | 15 | 13.5 |",  # 18/20 × 15 = 13.5: the formula verifies it
        "| | 培训场次 | 10场 | 10场 | 10 | 10 |",  # met, full marks: weak evidence
        "| 质量指标 | 宣传效果 | 良好 | 一般 | 10 | 8 |",  # words only: nothing verifies it
    ])
    form, _ = parse_text(text, "confidence.txt")
    confidence = [form.provenance[f"indicators[{n}].weight"].confidence for n in range(3)]
    assert confidence == [decide.verified_confidence, decide.plain_confidence, decide.unverified_confidence]
    assert decide.unverified_confidence < decide.plain_confidence < decide.verified_confidence


def test_two_narrow_rows_are_decided_together_by_their_block() -> None:
    """Two rows each reading 1 | 520人 or 15 | 20人: only 15 + 15 makes ``产出指标(30分)`` add up."""
    head = "项目支出绩效自评表（2022年度）\n一级指标二级指标三级指标分值年度指标值全年实际值得分偏差原因分析及改进措施"
    rows = "数量指标人数1520人18人1学员1520人18人1效益指标(70分)社会效益指标合格率70100%100%70\n总分 100 72\n"
    form, notes = parse_text(f"{head}\n产出指标(30分){rows}", "block.txt")
    assert [(i.weight, i.target) for i in form.indicators[:2]] == [(Decimal(15), "20人")] * 2
    assert not [n for n in notes if n.path and n.path.startswith(("indicators[0]", "indicators[1]"))], notes
