"""The auditor (复核): an explicit list of check records, each looking at one filled form.

Like beancount's plugins, a check is a small function; here it comes with its record
(:class:`~.base.Check`: code, severity, title, rationale, source) and reports through the
context, which stamps the code and the severity. Families live in their own modules:
:mod:`.arithmetic` (A: sums, weights, funds), :mod:`.rules` (B: scoring-rule compliance),
:mod:`.completeness` (C: missing text), :mod:`.plausibility` (D: too good to be true; T: target
quality; P: notation), :mod:`.history` (D06–D07: two forms). A profile may change a check's
severity or disable it (``[checks]``). ``docs/findings.md`` lists every code (from :data:`CHECKS`).

A finding that rests on a field the importer doubted (导入存疑) keeps its code and severity but says
so: the unit may not have written what was read.  The audit takes the doubted field paths as plain
strings (the core never imports the importers); see :func:`rests_on`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from ..errors import InputError
from ..model import Form, Indicator
from ..rules import Profile
from ..scoring import IndicatorScore, Scorecard, score
from . import arithmetic as a
from . import completeness as c
from . import history as h
from . import plausibility as p
from . import rules as b
from .base import SEVERITY_NAMES, SEVERITY_ORDER, Check, CheckFn, Context, Finding, RowFn, Severity

__all__ = ["CHECKS", "DOUBT_PREFIX", "SEVERITY_NAMES", "SEVERITY_ORDER", "Check", "Context", "Finding", "Severity",
           "audit", "counts", "covers", "cross_year", "evaluate", "findings_doc", "label_doubt", "plan", "rests_on",
           "severities", "with_last_year"]

#: Every check; D06–D07 need two forms and run in :func:`cross_year` (:func:`plan` orders the others).
CHECKS: tuple[Check, ...] = (
    a.score_above_weight, a.zero_weight_or_negative_score, a.weights_add_up, a.total_adds_up,
    a.grade_matches_band, a.execution_consistent, a.funds_rows_add_up, a.execution_within_budget,
    a.budget_adjusted, a.cost_within_executed, a.missing_weight, a.execution_score_below_rule, a.zero_budget,
    a.level1_weights, a.converted_scores,
    b.declared_matches_formula, b.full_marks_target_unmet, b.qualitative_within_tier,
    b.quantitative_actual_numeric, b.qualitative_actual_tiered, b.units_consistent, b.at_least_hundred_percent,
    b.exact_target_differs, b.profile_covers_year,
    c.reason_for_lost_points, c.low_execution, c.reason_for_overachievement, c.completion_and_conclusion,
    c.contact_present, c.completion_copies_goal, c.funds_and_unit_present,
    p.execution_vs_performance, p.all_full_marks, p.qualitative_share, p.actuals_copy_targets,
    p.perfect_satisfaction, h.D06, h.D07,
    p.vague_targets, p.unknown_notation, p.level1_blocks_present, p.no_indicators,
    p.operator_in_actual,
)
CODES: dict[str, Check] = {check.code: check for check in CHECKS}

#: (code, severity under the profile, the check's look at the whole form, its look at each row) of each check a
#: profile runs.
Plan = tuple[tuple[str, Severity, CheckFn | None, RowFn | None], ...]
#: What the row parts of a plan's checks found in one row: (code, severity, location, message, path) of each finding.
RowFound = tuple[tuple[str, Severity, str, str, str | None], ...]
#: Each profile's plan and the findings of the rows already audited under it (keyed by :func:`_row_key`).
_PLANS: dict[int, tuple[Profile, Plan, dict[tuple[object, ...], RowFound]]] = {}
#: How many distinct rows a profile's row cache holds before it starts again (as :data:`jixiao.scoring.ROW_CACHE_SIZE`:
#: a row's findings quote its cells, so the bound on memory is the bound on cells times this).
ROW_CACHE_SIZE = 4096


def severities(profile: Profile) -> dict[str, Severity]:
    """The severity of every check the profile runs (``[checks]``: severity overrides, disabled codes left out),
    the cross-year checks included."""
    rules = profile.checks
    unknown = sorted((set(rules.severity) | set(rules.disabled)) - set(CODES))
    if unknown:
        raise InputError(f"规则“{profile.id}”的 [checks] 写了不存在的复核代码：{'、'.join(unknown)}", "[checks]")
    return {check.code: rules.severity.get(check.code, check.severity) for check in CHECKS
            if check.code not in rules.disabled}


def plan(profile: Profile) -> Plan:
    """The checks a profile runs on one form, with their severity under it (:func:`severities`), in the order
    their findings are listed."""
    return _planned(profile)[1]


def _planned(profile: Profile) -> tuple[Profile, Plan, dict[tuple[object, ...], RowFound]]:
    cached = _PLANS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached
    under = severities(profile)
    enabled = [(check.code, under[check.code], check.run, check.row) for check in CHECKS
               if (check.run is not None or check.row is not None) and check.code in under]
    # Run in the order findings are listed (severity, then code; codes are unique): no sort per audit.
    result = tuple(sorted(enabled, key=lambda step: (SEVERITY_ORDER[step[1]], step[0])))
    if len(_PLANS) >= 64:  # profiles read from files again and again: keep the cache small
        _PLANS.clear()
    held = _PLANS[id(profile)] = (profile, result, {})
    return held


def cross_year(previous: Form, form: Form, profile: Profile) -> list[Finding]:
    """The cross-year findings (D06, D07) of ``form`` against ``previous`` (the unit's form of the year
    before) under the profile's ``[checks]``, as :func:`plan` runs the others."""
    under = severities(profile)
    return [replace(f, severity=under[f.code]) for f in h.year_over_year(previous, form) if f.code in under]


def covers(parent: str, path: str) -> bool:
    """Whether field path ``parent`` is ``path`` or contains it (``indicators[3]`` ⊇ ``indicators[3].weight``)."""
    return path == parent or path.startswith((parent + ".", parent + "["))


def _record(path: str) -> str:
    """The record a field belongs to, whose fields checks weigh together: an indicator row, or the funds block."""
    if path.startswith("funds"):
        return "funds"
    return path[: path.index("]") + 1] if path.startswith("indicators[") else path


def rests_on(path: str | None, doubted: str) -> bool:
    """Whether a finding at ``path`` may be caused by a misread of the doubted field ``doubted``.

    It does when one path contains the other (a weight sum over ``indicators`` and one doubted weight),
    when both are fields of one record (score above weight, with the weight doubted; 执行率 with the
    executed amount doubted), or when the declared total meets a doubted score it adds up.
    """
    if path is None:
        return False
    return (covers(path, doubted) or covers(doubted, path) or _record(path) == _record(doubted)
            or (path == "total_declared" and doubted.endswith("score_declared")))


#: How a finding on a doubted field reads: the check's message, framed as a question for the original form.
DOUBT_PREFIX = "导入存疑："
DOUBT_SUFFIX = "该处导入读法存疑，请核对原表后再认定。"


def label_doubt(finding: Finding, doubted: Collection[str]) -> Finding:
    """The finding marked 导入存疑 when it rests on a doubted field; unchanged otherwise."""
    if finding.doubt or not any(rests_on(finding.path, d) for d in doubted):
        return finding
    return replace(finding, doubt=True, message=f"{DOUBT_PREFIX}{finding.message}{DOUBT_SUFFIX}")


def _row_key(indicator: Indicator, item: IndicatorScore) -> tuple[object, ...] | None:
    """What the row parts of the checks look at in one row, as the row cache keys it: the row's place, what it
    said when it was scored (:attr:`~jixiao.scoring.IndicatorScore.key`) and the fields only the checks read; None
    for a row that cannot be cached (scored against last year's actual, or by hand)."""
    if item.key is None:
        return None
    share, converted = indicator.weight_share, indicator.score_converted
    return (item.index, item.key, indicator.reason, None if share is None else str(share),
            None if converted is None else str(converted))


def _row_findings(ctx: Context, steps: Plan, cache: dict[tuple[object, ...], RowFound]) -> dict[str, list[Finding]]:
    """The findings of the checks' row parts, by code, each code's in row order. A row the profile's checks have
    seen before (the same place, the same contents) is not looked at again: its findings are copied. A form whose
    findings name places in its file (provenance) is looked at row by row."""
    rows = [(code, severity, row) for code, severity, _, row in steps if row is not None]
    found: dict[str, list[Finding]] = {}
    if not rows:
        return found
    cacheable = not ctx.form.provenance
    kept = ctx.findings
    for indicator, item in ctx.pairs():
        key = _row_key(indicator, item) if cacheable else None
        seen = cache.get(key) if key is not None else None
        if seen is None:
            ctx.findings = []
            for code, severity, row in rows:
                ctx.code, ctx.severity = code, severity
                row(ctx, indicator, item)
            seen = tuple((f.code, f.severity, f.location, f.message, f.path) for f in ctx.findings)
            if key is not None:
                if len(cache) >= ROW_CACHE_SIZE:
                    cache.clear()
                cache[key] = seen
        for code, severity, location, message, path in seen:
            finding = Finding(code, severity, location, message, path)
            listed = found.get(code)
            if listed is None:
                found[code] = [finding]
            else:
                listed.append(finding)
    ctx.findings = kept
    return found


def audit(form: Form, card: Scorecard, profile: Profile, doubted: Collection[str] = ()) -> list[Finding]:
    """Run every check the profile enables; findings sorted by severity, then by code; those on ``doubted``
    fields labelled. ``card`` is what :func:`~jixiao.scoring.score` gave for ``form`` under ``profile``."""
    _, steps, cache = _planned(profile)
    ctx = Context(form, card, profile)
    by_row = _row_findings(ctx, steps, cache)
    findings = ctx.findings  # in order: the plan runs the checks by severity, then code
    for code, severity, run, row in steps:
        if row is not None and code in by_row:
            findings.extend(by_row[code])
        if run is not None:
            ctx.code, ctx.severity = code, severity
            run(ctx)
    if doubted:
        findings = [label_doubt(f, doubted) for f in findings]
    return findings


def evaluate(form: Form, profile: Profile, doubted: Collection[str] = (),
             previous: Form | None = None) -> tuple[Scorecard, list[Finding]]:
    """Score and audit a form in one call; ``doubted`` are the field paths the importer was unsure of;
    ``previous`` (the same unit's form of last year) lets relative targets be scored."""
    card = score(form, profile, previous)
    return card, audit(form, card, profile, doubted)


def with_last_year(findings: list[Finding], form: Form, previous: Form, profile: Profile,
                   doubted: Collection[str], source: str) -> list[Finding]:
    """The audit's ``findings`` with the cross-year findings of ``form`` against ``previous`` (:func:`cross_year`)
    in the audit's order (severity, then code); each cross-year finding says what it compared with (``source``:
    last year's form, e.g. its file)."""
    compared = [replace(f, source=source) for f in cross_year(previous, form, profile)]
    if doubted:
        compared = [label_doubt(f, doubted) for f in compared]
    # a stable sort keeps each check's findings in the order it reported them
    return sorted([*findings, *compared], key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


def counts(findings: list[Finding]) -> dict[str, int]:
    """Number of open findings per severity (all three keys present); a waived finding is not open."""
    result = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings:
        if f.waiver is None or f.waiver.lapsed:
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
