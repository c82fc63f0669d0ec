"""The web's single door to the core scorer and auditor.

Views and the API never call ``jixiao.scoring`` / ``jixiao.audit`` directly: they call :func:`evaluate_form`
and get an :class:`Evaluation` of plain values that templates, the dashboard columns and the API share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property

from ..analytics import execution_figures
from ..audit import evaluate
from ..model import Form
from ..rules import DEFAULT_PROFILE, list_profiles, load_profile

_INDICATOR_PATH = re.compile(r"^indicators\[(\d+)\]")


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str  # error | warning | info
    location: str
    path: str | None
    message: str
    doubt: bool = False  # rests on a field the importer doubted (导入存疑)

    @property
    def indicator(self) -> int | None:
        """The 0-based indicator row this finding belongs to, if any."""
        return indicator_index(self.path)


def indicator_index(path: str | None) -> int | None:
    """The 0-based indicator row a field path points into (``indicators[3].target`` → 3), if any."""
    match = _INDICATOR_PATH.match(path or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class IndicatorResult:
    index: int
    score: Decimal | None
    declared: Decimal | None
    weight: Decimal | None
    explanation: str


@dataclass(frozen=True)
class Evaluation:
    total: Decimal
    grade: str
    total_declared: Decimal | None
    execution_rate: Decimal | None
    execution_score: Decimal | None
    execution_explanation: str
    indicators: list[IndicatorResult]
    #: How the total was put on the 100-point scale (分值合计超过100), "" when it was not needed.
    total_explanation: str = ""
    findings: list[FindingView] = field(default_factory=list)
    #: What the dashboard's execution warning reads (``jixiao.analytics.execution_figures``).
    figures: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @cached_property
    def _by_indicator(self) -> dict[int | None, list[FindingView]]:
        """Findings grouped by indicator row once, not scanned again for every row of the page."""
        grouped: dict[int | None, list[FindingView]] = defaultdict(list)
        for finding in self.findings:
            grouped[finding.indicator].append(finding)
        return grouped

    def findings_for(self, index: int) -> list[FindingView]:
        return self._by_indicator.get(index, [])

    @property
    def general_findings(self) -> list[FindingView]:
        return self._by_indicator.get(None, [])

    @cached_property
    def by_block(self) -> dict[str, list[FindingView]]:
        """Findings not tied to one indicator, by the block of the page they concern."""
        blocks: dict[str, list[FindingView]] = {block: [] for block in BLOCKS}
        for finding in self.general_findings:
            blocks[block_of(finding.path)].append(finding)
        return blocks


#: Blocks of the entry page, and the field-path prefixes that belong to each.
BLOCKS: dict[str, tuple[str, ...]] = {
    "head": ("unit", "department", "project", "filled_on", "contact", "year", "kind"),
    "funds": ("funds",),
    "goals": ("goals",),
    "indicators": ("indicators",),
    "foot": ("total_declared", "conclusion"),
}


def block_of(path: str | None) -> str:
    """The page block a field path belongs to (``funds.rows[0].budget`` → ``funds``); unknown → ``foot``."""
    head = re.split(r"[.\[]", path or "", maxsplit=1)[0]
    return next((block for block, prefixes in BLOCKS.items() if head in prefixes), "foot")


def available_profiles() -> list[str]:
    """Profile names the bureau can choose from."""
    return list(_shipped_profile_ids())


@cache
def _shipped_profile_ids() -> tuple[str, ...]:
    # The shipped profiles are package files: read and validate them once per process, not per dashboard.
    return tuple(profile.id for profile in list_profiles())


def evaluate_form(form: Form, profile_name: str = DEFAULT_PROFILE, doubted: Collection[str] = ()) -> Evaluation:
    """Score and audit ``form`` under the named rule profile; ``doubted`` are the paths of its open doubts."""
    card, findings = evaluate(form, load_profile(profile_name), doubted)
    return Evaluation(
        total=card.total,
        grade=card.grade,
        total_declared=card.total_declared,
        execution_rate=card.execution.rate,
        execution_score=card.execution.score,
        execution_explanation=card.execution.explanation,
        total_explanation=card.total_explanation,
        indicators=[
            IndicatorResult(i.index, i.score, i.declared, i.weight, i.explanation) for i in card.indicators
        ],
        findings=[FindingView(f.code, f.severity, f.location, f.path, f.message, f.doubt) for f in findings],
        figures=execution_figures(form, card),
    )
