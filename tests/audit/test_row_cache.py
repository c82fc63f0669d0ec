"""The auditor's row cache: a row seen before under a profile gives its findings again, never another row's.

Each test audits a form, then a form that differs in one way the cache must notice (the row's contents, its place,
a field only a check reads, the file places of an imported form), and compares with what a fresh auditor finds.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.audit import _PLANS, evaluate
from jixiao.audit.base import Finding
from jixiao.model import Form, Location
from jixiao.rules import load_profile
from jixiao.scoring import _ROWS

from .inline import form, variant
from .test_codes import BASE

NATIONAL = load_profile("national")
#: The first row loses points (90 of 100 trained) and says why; without its reason C01 reports it.
NO_REASON = "指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 45 |"


def _fresh(situation: Form) -> list[Finding]:
    """What an auditor with empty caches finds."""
    _PLANS.clear()
    _ROWS.clear()
    return evaluate(situation, NATIONAL)[1]


def _codes(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.code, f.path) for f in findings]


def test_a_row_audited_again_gives_what_a_fresh_audit_gives() -> None:
    situation = form(variant(BASE, NO_REASON))
    first = _fresh(situation)
    assert ("C01", "indicators[0].reason") in _codes(first)
    again = evaluate(form(variant(BASE, NO_REASON)), NATIONAL)[1]
    assert again == first
    assert all(a is not b for a, b in zip(again, first, strict=True))  # new records: a caller may change its own


def test_a_field_only_a_check_reads_is_part_of_the_row() -> None:
    """The reason does not change the score, but C01 reads it: the row with a reason is not the row without."""
    without = _fresh(form(variant(BASE, NO_REASON)))
    assert ("C01", "indicators[0].reason") in _codes(without)
    with_reason = evaluate(form(BASE), NATIONAL)[1]
    assert ("C01", "indicators[0].reason") not in _codes(with_reason)
    assert with_reason == _fresh(form(BASE))


def test_the_same_row_in_another_place_is_reported_at_its_own_place() -> None:
    situation = form(variant(BASE, NO_REASON))
    evaluate(situation, NATIONAL)
    moved = situation.model_copy(update={"indicators": [*situation.indicators[1:], situation.indicators[0]]})
    findings = evaluate(moved, NATIONAL)[1]
    assert ("C01", "indicators[2].reason") in _codes(findings)
    assert [f.location for f in findings if f.code == "C01"] == [
        "产出指标 / 数量指标 / 培训人次（指标第3行）"]
    assert findings == _fresh(moved)


def test_written_decimals_that_are_equal_keep_their_own_wording() -> None:
    """45 and 45.0 are the same score, but the messages quote the form as written."""
    situation = form(variant(BASE, NO_REASON))
    evaluate(situation, NATIONAL)
    row = situation.indicators[0].model_copy(update={"score_declared": Decimal("45.0")})
    padded = situation.model_copy(update={"indicators": [row, *situation.indicators[1:]]})
    message = next(f.message for f in evaluate(padded, NATIONAL)[1] if f.code == "C01")
    assert message.startswith("填报得分 45.0，")


def test_an_imported_form_names_the_places_in_its_file() -> None:
    situation = form(variant(BASE, NO_REASON))
    evaluate(situation, NATIONAL)
    imported = situation.model_copy(update={"provenance": {"indicators[0]": Location(file="a.xlsx", row=12)}})
    location = next(f.location for f in evaluate(imported, NATIONAL)[1] if f.code == "C01")
    assert location == "产出指标 / 数量指标 / 培训人次（指标第1行）（a.xlsx 第12行）"
