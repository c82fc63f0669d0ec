"""The auditor (复核): an explicit list of check records, each looking at one filled form.

Like beancount's plugins, a check is a small function; here it comes with its record
(:class:`~.base.Check`: code, severity, title, rationale, source) and reports through the
context, which stamps the code and the severity. Families live in their own modules:
:mod:`.arithmetic` (A: sums, weights, funds), :mod:`.rules` (B: scoring-rule compliance),
:mod:`.completeness` (C: missing text), :mod:`.plausibility` (D: too good to be true; T: target
quality; P: notation), :mod:`.history` (D06–D07: two forms). A profile may change a check's
severity or disable it (``[checks]``). ``docs/findings.md`` lists every code (from :data:`CHECKS`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError
from ..model import Form
from ..rules import Profile
from ..scoring import Scorecard, score
from . import arithmetic as a
from . import completeness as c
from . import history as h
from . import plausibility as p
from . import rules as b
from .base import SEVERITY_NAMES, SEVERITY_ORDER, Check, Context, Finding, Severity

__all__ = ["CHECKS", "SEVERITY_NAMES", "SEVERITY_ORDER", "Check", "Context", "Finding", "Severity", "audit",
           "counts", "evaluate", "findings_doc"]

#: Every check, in the order they run; D06–D07 need two forms and run in :func:`.history.year_over_year`.
CHECKS: tuple[Check, ...] = (
    a.score_above_weight, a.zero_weight_or_negative_score, a.weights_add_up, a.total_adds_up,
    a.grade_matches_band, a.execution_consistent, a.funds_rows_add_up, a.execution_within_budget,
    a.budget_adjusted, a.cost_within_executed, a.missing_weight, a.execution_score_below_rule, a.zero_budget,
    a.level1_weights,
    b.declared_matches_formula, b.full_marks_target_unmet, b.qualitative_within_tier,
    b.quantitative_actual_numeric, b.qualitative_actual_tiered, b.units_consistent, b.at_least_hundred_percent,
    b.exact_target_differs,
    c.reason_for_lost_points, c.low_execution, c.reason_for_overachievement, c.completion_and_conclusion,
    c.contact_present, c.completion_copies_goal,
    p.execution_vs_performance, p.all_full_marks, p.qualitative_share, p.actuals_copy_targets,
    p.perfect_satisfaction, h.D06, h.D07,
    p.vague_targets, p.unknown_notation, p.level1_blocks_present, p.no_indicators,
    p.operator_in_actual,
)
CODES: dict[str, Check] = {check.code: check for check in CHECKS}

Plan = tuple[tuple[Check, Severity], ...]
_PLANS: dict[int, tuple[Profile, Plan]] = {}


def plan(profile: Profile) -> Plan:
    """The checks a profile runs, with their severity under it (``[checks]``: severity overrides, disabled)."""
    cached = _PLANS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    rules = profile.checks
    unknown = sorted((set(rules.severity) | set(rules.disabled)) - set(CODES))
    if unknown:
        raise InputError(f"规则“{profile.id}”的 [checks] 写了不存在的复核代码：{'、'.join(unknown)}", "[checks]")
    result = tuple((check, rules.severity.get(check.code, check.severity)) for check in CHECKS
                   if check.run is not None and check.code not in rules.disabled)
    _PLANS[id(profile)] = (profile, result)
    return result


def audit(form: Form, card: Scorecard, profile: Profile) -> list[Finding]:
    """Run every check the profile enables; findings sorted by severity, then by code."""
    ctx = Context(form, card, profile)
    for check, severity in plan(profile):
        ctx.code, ctx.severity = check.code, severity
        check.run(ctx)  # type: ignore[misc]  # plan() keeps only checks with a run
    return sorted(ctx.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


def evaluate(form: Form, profile: Profile, previous: Form | None = None) -> tuple[Scorecard, list[Finding]]:
    """Score and audit a form in one call; ``previous`` (last year's form) lets relative targets be scored."""
    card = score(form, profile, previous)
    return card, audit(form, card, profile)


def counts(findings: list[Finding]) -> dict[str, int]:
    """Number of findings per severity (all three keys present)."""
    result = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings:
        result[f.severity] += 1
    return result


def findings_doc(import_codes: Iterable[tuple[str, str]] = ()) -> str:
    """Markdown table of every check code, then the importers' codes (docs/findings.md)."""
    lines = ["# 复核规则代码 (finding codes)", "",
             "由 `jixiao.audit.CHECKS` 生成；代码稳定，可用于筛选与统计。级别为默认级别，规则文件的 `[checks]` 节",
             "可以改变某条规则的级别（`severity`）或停用它（`disabled`）。", "",
             "| 代码 | 级别 | 说明 | 为什么 | 依据 |", "|---|---|---|---|---|"]
    for check in sorted(CHECKS, key=lambda c: c.code):
        lines.append(f"| {check.code} | {SEVERITY_NAMES[check.severity]} | {check.title} | {check.rationale} | "
                     f"{check.source} |")
    for code, title in import_codes:
        lines.append(f"| {code} | {SEVERITY_NAMES['warning']} | 导入：{title} | | |")
    return "\n".join(lines) + "\n"
