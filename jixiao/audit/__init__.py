"""The auditor (复核): small check functions, each yielding findings about one filled form.

Like beancount's plugins, a check is a plain function ``check(ctx) -> Iterator[Finding]``
registered with :func:`check` under a stable code. Families live in their own modules:
:mod:`.arithmetic` (A: sums, weights, funds), :mod:`.rules` (B: scoring-rule compliance),
:mod:`.completeness` (C: missing text), :mod:`.plausibility` (D: too good to be true; T: target
quality; P: notation). ``docs/findings.md`` lists every code (generated from :data:`CHECKS`).

A finding that rests on a field the importer doubted (导入存疑) keeps its code and severity but says
so: the unit may not have written what was read.  The audit takes the doubted field paths as plain
strings (the core never imports the importers); see :func:`rests_on`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
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
    doubt: bool = False  # rests on a field the importer doubted (导入存疑): check the original before blaming the unit


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


def audit(form: Form, card: Scorecard, profile: Profile, doubted: Collection[str] = ()) -> list[Finding]:
    """Run every check; findings sorted by severity, then by code; those on ``doubted`` fields labelled."""
    ctx = Context(form, card, profile)
    findings = [f for c in CHECKS for f in c.run(ctx)]
    if doubted:
        findings = [label_doubt(f, doubted) for f in findings]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


def evaluate(form: Form, profile: Profile, doubted: Collection[str] = ()) -> tuple[Scorecard, list[Finding]]:
    """Score and audit a form in one call; ``doubted`` are the field paths the importer was unsure of."""
    card = score(form, profile)
    return card, audit(form, card, profile, doubted)


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
