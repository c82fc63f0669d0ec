"""The auditor (复核): small check functions, each yielding findings about one filled form.

Like beancount's plugins, a check is a plain function ``check(ctx) -> Iterator[Finding]``
registered with :func:`check` under a stable code. Families live in their own modules:
:mod:`.arithmetic` (A: sums, weights, funds), :mod:`.rules` (B: scoring-rule compliance),
:mod:`.completeness` (C: missing text), :mod:`.plausibility` (D: too good to be true; T: target
quality; P: notation). ``docs/findings.md`` lists every code (generated from :data:`CHECKS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..model import Form, Indicator
from ..rules import Profile
from ..scoring import IndicatorScore, Scorecard, score

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(slots=True)
class Finding:
    """One inconsistency: a stable code, a severity, where it is and what to do (in Chinese)."""

    code: str
    severity: Severity
    location: str  # human: "产出指标 / 数量 / 开展项目个数（指标第10行）"
    message: str
    path: str | None = None  # field path: "indicators[9].score_declared"


@dataclass(slots=True)
class Context:
    """What a check may look at."""

    form: Form
    card: Scorecard
    profile: Profile
    labels: dict[int, str] = field(default_factory=dict)  # indicator row → its location label

    def pairs(self) -> Iterator[tuple[Indicator, IndicatorScore]]:
        return zip(self.form.indicators, self.card.indicators, strict=True)

    def place(self, path: str, label: str) -> str:
        """The human location, with the place in the original file when the importer recorded it."""
        where = self.form.where(path)
        return f"{label}（{where.describe()}）" if where and where.describe() else label

    def at_indicator(self, item: IndicatorScore, attr: str | None = None) -> tuple[str, str]:
        """(human location, field path) of an indicator row; the row's label is built once per audit."""
        path = f"indicators[{item.index}].{attr}" if attr else f"indicators[{item.index}]"
        label = self.labels.get(item.index)
        if label is None:
            parts = [p for p in (item.level1, item.level2, item.name) if p]
            label = self.labels[item.index] = " / ".join(parts) + f"（指标第{item.index + 1}行）"
        return (self.place(path, label) if self.form.provenance else label), path


CheckFn = Callable[[Context], Iterator[Finding]]


@dataclass(slots=True)
class Check:
    code: str
    severity: Severity
    title: str
    run: CheckFn


CHECKS: list[Check] = []


def check(code: str, severity: Severity, title: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code; ``title`` is its one-line description in docs."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(code, severity, title, fn))
        return fn

    return register


def audit(form: Form, card: Scorecard, profile: Profile) -> list[Finding]:
    """Run every check; findings sorted by severity, then by code."""
    ctx = Context(form, card, profile)
    findings = [f for c in CHECKS for f in c.run(ctx)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


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
             "由 `jixiao.audit.CHECKS` 生成；代码稳定，可用于筛选与统计。", "",
             "| 代码 | 级别 | 说明 |", "|---|---|---|"]
    rows = [(c.code, c.severity, c.title) for c in CHECKS] + list(history.CODES)
    for code, severity, title in sorted(rows):
        lines.append(f"| {code} | {SEVERITY_NAMES[severity]} | {title} |")
    for code, title in import_codes:
        lines.append(f"| {code} | {SEVERITY_NAMES['warning']} | 导入：{title} |")
    return "\n".join(lines) + "\n"


# The check families register themselves on import.
from . import arithmetic, completeness, history, plausibility, rules  # noqa: E402,F401
