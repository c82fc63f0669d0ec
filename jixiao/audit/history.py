"""Year-over-year checks (D06–D07): one unit's form against its form of an earlier year.

The national system's review pulls last year's targets and actuals next to this year's
(rules-digest §3.5, §4.4 D04): a target set below what was already achieved last year, or left
unchanged while the budget grew, is a target set to be easy.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Form
from ..rules import cite
from ..scoring import execution_basis, fmt, is_cost, percent
from ..targets import REVERSE_OPS, Target, normalise, parse_target
from .base import Check, Finding

# The checks that need two forms: run by :func:`year_over_year`, listed with the others in CHECKS.
D06 = Check("D06", "warning", "今年指标值低于去年实际完成值（跨年度）",
            "目标低于上年已达到的水平，是把目标定得容易完成。",
            cite("mof-pmkpi", "智能审核：比对上年指标值与上年自评完成值"))
D07 = Check("D07", "warning", "预算明显增加而指标值未变（跨年度）",
            "资金增加而产出目标不变，说明目标与资金不匹配。",
            cite("mof-pmkpi", "智能审核：比对近三年预算数与指标值"))
BUDGET_GROWTH = Decimal("0.1")  # budget up by more than this share with the same target: T05


def _targets(form: Form) -> dict[str, tuple[int, Target, Target]]:
    """Output and outcome indicators by name; cost ceilings follow each year's budget, so they are left out."""
    return {normalise(ind.name): (index, parse_target(ind.target), parse_target(ind.actual))
            for index, ind in enumerate(form.indicators) if not is_cost(ind)}


def target_below(target: Target, last_actual: Target) -> bool:
    """This year's target asks for less than last year's actual delivered (D06's rule, also used by batch).

    Quantities in the same unit only; for a ceiling (≤ <) "less" means a ceiling above last year's actual.
    """
    if not (target.is_quantity and last_actual.is_quantity) or target.unit != (last_actual.unit or target.unit):
        return False
    assert target.number is not None and last_actual.number is not None
    if target.op in REVERSE_OPS:
        return target.number > last_actual.number
    return target.number < last_actual.number


def year_over_year(previous: Form, current: Form) -> list[Finding]:
    """Findings about ``current`` seen against ``previous`` (same unit, an earlier year)."""
    findings: list[Finding] = []
    last = _targets(previous)
    budget_now, _, _ = execution_basis(current.funds.rows)
    budget_then, _, _ = execution_basis(previous.funds.rows)
    grew = bool(budget_now and budget_then and (budget_now - budget_then) / budget_then > BUDGET_GROWTH)
    for name, (index, target, _) in _targets(current).items():
        if name not in last:
            continue
        _, last_target, last_actual = last[name]
        where = f"{current.indicators[index].level1 or ''} / {current.indicators[index].name}（与{previous.year}年比较）"
        path = f"indicators[{index}].target"
        if target_below(target, last_actual):
            findings.append(D06.finding(
                where,
                f"今年指标值 {target.text} 低于去年（{previous.year}年）实际完成 {last_actual.text}："
                "目标应不低于已达到的水平，请说明下调理由或提高目标。", path))
        elif grew and target.is_quantity and normalise(target.text) == normalise(last_target.text):
            assert budget_now is not None and budget_then is not None
            findings.append(D07.finding(
                where,
                f"全年预算数由 {fmt(budget_then)} 增至 {fmt(budget_now)}（增长 "
                f"{percent((budget_now - budget_then) / budget_then)}%），指标值仍为 {target.text}："
                "资金增加而产出目标未变，请核实目标设定。", path))
    return findings
