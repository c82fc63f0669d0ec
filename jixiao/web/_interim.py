"""Interim scorer used only until the core's ``jixiao.scoring``/``jixiao.audit`` are merged into this branch.

Delete this module (and the fallback in engine.py) after ``git merge main`` brings the real core.
Rules: 执行率 = B/A; funds score = weight × min(rate, 100%); quantitative indicators ≥ → B/A, ≤ → A/B capped at
full weight; qualitative indicators with an actual get full weight; grade bands 90/80/60.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Form
from .engine import Evaluation, FindingView, IndicatorResult

_NUMBER = re.compile(r"([≥≤><=]?)\s*(-?\d+(?:\.\d+)?)")
HUNDRED = Decimal(100)


def _number(text: str | None) -> tuple[str, Decimal] | None:
    match = _NUMBER.search(text or "")
    return (match.group(1) or "=", Decimal(match.group(2))) if match else None


def _indicator_score(target: str | None, actual: str | None, weight: Decimal) -> tuple[Decimal, str]:
    goal, done = _number(target), _number(actual)
    if goal and done and goal[1] and done[1]:
        ratio = goal[1] / done[1] if goal[0] in "≤<" else done[1] / goal[1]
        return (weight * min(ratio, Decimal(1))).quantize(Decimal("0.01")), f"定量：完成比例 {ratio:.4f}"
    if actual and actual.strip():
        return weight, "定性：已填写完成情况，按达成计满分"
    return Decimal(0), "未填写实际完成值"


def _grade(total: Decimal) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def evaluate(form: Form) -> Evaluation:
    findings: list[FindingView] = []
    total_row = form.funds.total
    rate = None
    if total_row and total_row.budget and total_row.executed is not None:
        rate = (total_row.executed / total_row.budget * HUNDRED).quantize(Decimal("0.01"))
    funds_weight = form.funds.weight or Decimal(0)
    funds_score = (funds_weight * min(rate, HUNDRED) / HUNDRED).quantize(Decimal("0.01")) if rate else None
    results = []
    for index, ind in enumerate(form.indicators):
        weight = ind.weight or Decimal(0)
        value, why = _indicator_score(ind.target, ind.actual, weight)
        results.append(IndicatorResult(index, value, ind.score_declared, ind.weight, why))
        if ind.score_declared is not None and ind.weight is not None and ind.score_declared > ind.weight:
            findings.append(FindingView("A03", "error", f"第{index + 1}个指标", f"indicators[{index}].score_declared",
                                        "自评得分超过分值"))
        if ind.score_declared is not None and ind.score_declared != value:
            findings.append(FindingView("A07", "warning", f"第{index + 1}个指标", f"indicators[{index}].score_declared",
                                        f"自评得分 {ind.score_declared} 与计算得分 {value} 不一致"))
    total = sum((r.score or Decimal(0) for r in results), funds_score or Decimal(0))
    if form.total_declared is not None and form.total_declared != total:
        findings.append(FindingView("A01", "warning", "总分", "total_declared",
                                    f"申报总分 {form.total_declared} 与计算总分 {total} 不一致"))
    return Evaluation(total, _grade(total), form.total_declared, rate, funds_score,
                      f"执行率 {rate}%" if rate is not None else "缺少预算数或执行数", results, findings)
