"""What every check is made of: the :class:`Check` record, the :class:`Finding` it reports, the :class:`Context`.

A check is a record — code, severity, title, rationale, source — with a small function that looks at
one form and reports through the context (``ctx.report(where, message, path)``). The context stamps
every finding with the running check's code and its severity under the profile, so a check cannot
report under a code or a severity other than its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ..model import Form, Indicator
from ..rules import Profile
from ..scoring import IndicatorScore, Scorecard

if TYPE_CHECKING:
    from .waivers import WaiverState

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
    waiver: WaiverState | None = None  # 审核豁免: waived by a reviewer (still listed), or its waiver lapsed
    source: str | None = None  # what a cross-year finding (D06, D07) compared the form with: last year's form


@dataclass(slots=True)
class Context:
    """What a check may look at, and where it reports."""

    form: Form
    card: Scorecard
    profile: Profile
    findings: list[Finding] = field(default_factory=list)
    code: str = ""  # the running check's code and severity: set by the auditor, not by a check
    severity: Severity = "error"

    def report(self, location: str, message: str, path: str | None = None) -> None:
        """Record a finding of the running check."""
        self.findings.append(Finding(self.code, self.severity, location, message, path))

    def pairs(self) -> Iterator[tuple[Indicator, IndicatorScore]]:
        return zip(self.form.indicators, self.card.indicators, strict=True)

    def place(self, path: str, label: str) -> str:
        """The human location, with the place in the original file when the importer recorded it."""
        where = self.form.where(path)
        described = where.describe() if where else ""
        return f"{label}（{described}）" if described else label

    def at_indicator(self, item: IndicatorScore, attr: str | None = None) -> tuple[str, str]:
        """(human location, field path) of an indicator row."""
        label, path = row_place(item.index, item.level1, item.level2, item.name, attr)
        return (self.place(path, label) if self.form.provenance else label), path


@lru_cache(maxsize=16384)
def row_place(index: int, level1: str | None, level2: str | None, name: str, attr: str | None) -> tuple[str, str]:
    """(label, field path) of an indicator row's field: ``产出指标 / 数量 / 开展项目个数（指标第10行）`` and
    ``indicators[9].actual``. The same rows recur in every form of a batch: built once per distinct row."""
    label = " / ".join(p for p in (level1, level2, name) if p) + f"（指标第{index + 1}行）"
    return label, (f"indicators[{index}].{attr}" if attr else f"indicators[{index}]")


CheckFn = Callable[[Context], None]
#: A check's look at one indicator row (the form's row and its score): what it reports may depend on that row and
#: the profile alone, never on another row or the rest of the form.
RowFn = Callable[[Context, Indicator, IndicatorScore], None]


@dataclass(frozen=True, slots=True)
class Check:
    """One audit rule (复核规则): its stable code, default severity, one-line title, why it exists and where from.

    ``run`` looks at the whole form; ``row`` at one indicator row at a time (its findings rest on that row alone, so
    the auditor runs it once per distinct row, :func:`jixiao.audit.audit`), before ``run``. Both are None for the
    checks that need two forms (D06, D07 in :mod:`.history`).
    """

    code: str
    severity: Severity
    title: str
    rationale: str  # why a reviewer cares, in one sentence
    source: str  # the document (title, 文号, part) the rule comes from
    run: CheckFn | None = None
    row: RowFn | None = None

    def finding(self, location: str, message: str, path: str | None = None) -> Finding:
        """A finding of this check at its default severity (for checks run outside :func:`audit`)."""
        return Finding(self.code, self.severity, location, message, path)


def check(code: str, severity: Severity, title: str, *, rationale: str, source: str,
          rows: RowFn | None = None) -> Callable[[CheckFn], Check]:
    """Make a check record of a function (and of ``rows``, its look at each indicator row, if it has one); list it
    in :data:`jixiao.audit.CHECKS` to have it run."""

    def record(fn: CheckFn) -> Check:
        return Check(code, severity, title, rationale, source, fn, rows)

    return record


def row_check(code: str, severity: Severity, title: str, *, rationale: str, source: str) -> Callable[[RowFn], Check]:
    """Make a check record of a function that looks at one indicator row at a time (:data:`RowFn`)."""

    def record(fn: RowFn) -> Check:
        return Check(code, severity, title, rationale, source, None, fn)

    return record
