"""What the readable report says, independent of its format (HTML or Markdown).

:func:`build_report` turns ``(form, card, findings)`` into plain text tables and lists; the
HTML and Markdown writers only render them, so both always carry the same content: the form's
facts, funds and goals, the score tree (level-1 block → indicator, declared vs computed with the
explanation), the total, grade and execution rate, and the findings grouped by severity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..audit import SEVERITY_NAMES, SEVERITY_ORDER
from ..model import Form
from .grid import as_text, differs, total_weight
from .layout import Layout, layout_for

if TYPE_CHECKING:
    from ..audit import Finding
    from ..scoring import Scorecard

EXECUTION_LABEL = "预算执行率"


@dataclass
class TextTable:
    """A table of display strings; ``flagged`` rows differ (申报 ≠ 复核), ``groups`` are block rows."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    flagged: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)

    def add(self, row: Sequence[str], flagged: bool = False, group: bool = False) -> None:
        """Append a row."""
        if flagged:
            self.flagged.add(len(self.rows))
        if group:
            self.groups.add(len(self.rows))
        self.rows.append(list(row))


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one severity."""

    severity: str
    label: str  # 错误 / 警告 / 提示
    findings: list[Finding]


@dataclass
class Report:
    """Everything the HTML/Markdown report shows, as text."""

    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    summary: list[tuple[str, str]]
    funds: TextTable
    goals: list[tuple[str, str]]
    scores: TextTable
    findings: list[FindingGroup]
    chart_categories: list[str]
    chart_series: list[tuple[str, list[Decimal | None]]]
    footnotes: list[str]


def rate_text(card: Scorecard | None) -> str:
    """The computed execution rate for reading (2 places, as the scorer displays it): ``99.45%``."""
    rate = card.execution.rate_display if card else None
    return "—" if rate is None else f"{rate:f}%"


def _facts(form: Form, layout: Layout) -> list[tuple[str, str]]:
    pairs = [(label, getattr(form, attr)) for row in layout.header_rows for label, attr in row]
    pairs += [("年度", form.year), ("填报日期", form.filled_on)]
    pairs += [("联系人", form.contact.name), ("联系电话", form.contact.phone)]
    return [(label, as_text(value)) for label, value in pairs]


def _summary(form: Form, card: Scorecard | None, findings: Sequence[Finding]) -> list[tuple[str, str]]:
    out = [("申报总分", as_text(form.total_declared) or "—")]
    if card is not None:
        out += [
            ("复核总分", as_text(card.total)),
            *([("总分折算", card.total_explanation)] if card.total_explanation else []),
            ("等级", card.grade),
            ("评分规则", card.profile),
            ("预算执行率（复核）", rate_text(card)),
        ]
    out.append(("预算执行率（申报）", form.funds.rate_declared or "—"))
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITY_ORDER}
    out.append(("复核意见", "，".join(f"{SEVERITY_NAMES[s]} {n} 条" for s, n in counts.items())))
    return out


def _funds(form: Form, layout: Layout) -> TextTable:
    table = TextTable([layout.funds.headers[0], *layout.funds.headers[1:4]])
    for row in form.funds.rows:
        table.add([row.label, as_text(row.initial), as_text(row.budget), as_text(row.executed)])
    return table


def _score_table(form: Form, card: Scorecard | None, layout: Layout) -> TextTable:
    headers = layout.indicators.headers
    table = TextTable(
        [
            headers[1],
            headers[2],
            headers[3],
            headers[4],
            headers[5],
            "申报得分",
            "复核得分",
            "计算说明",
            headers[7],
        ]
    )
    execution = card.execution if card else None
    table.add(
        [
            EXECUTION_LABEL,
            "",
            "",
            f"申报 {form.funds.rate_declared or '—'}；复核 {rate_text(card)}",
            as_text(form.funds.weight),
            as_text(form.funds.score_declared),
            as_text(execution.score if execution else None),
            execution.explanation if execution else "",
            "",
        ],
        flagged=differs(form.funds.score_declared, execution.score if execution else None),
        group=True,
    )
    blocks = {b.level1: b for b in card.blocks} if card else {}
    computed = {s.index: s for s in card.indicators} if card else {}
    current: object = object()
    for index, indicator in enumerate(form.indicators):
        if indicator.level1 != current:
            current = indicator.level1
            members = [i for i in form.indicators if i.level1 == current]
            block = blocks.get(indicator.level1 or "")
            declared = [i.score_declared for i in members if i.score_declared is not None]
            weights = [i.weight for i in members if i.weight is not None]
            table.add(
                [
                    indicator.level1 or "（未分级）",
                    "",
                    "",
                    "",
                    as_text(sum(weights, Decimal(0)) if weights else None),
                    as_text(sum(declared, Decimal(0)) if declared else None),
                    as_text(block.score if block else None),
                    "",
                    "",
                ],
                group=True,
            )
        result = computed.get(index)
        table.add(
            [
                indicator.level2 or "",
                indicator.name,
                indicator.target or "",
                indicator.actual or "",
                as_text(indicator.weight),
                as_text(indicator.score_declared),
                as_text(result.score if result else None),
                result.explanation if result else "",
                indicator.reason or "",
            ],
            flagged=differs(indicator.score_declared, result.score if result else None),
        )
    total = card.total if card else None
    table.add(
        [
            layout.footer.total,
            "",
            "",
            "",
            as_text(total_weight(form)),
            as_text(form.total_declared),
            as_text(total),
            "",
            "",
        ],
        flagged=differs(form.total_declared, total),
        group=True,
    )
    return table


def _finding_groups(findings: Sequence[Finding]) -> list[FindingGroup]:
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code))
    return [
        FindingGroup(severity, SEVERITY_NAMES[severity], [f for f in ordered if f.severity == severity])
        for severity in SEVERITY_ORDER
        if any(f.severity == severity for f in ordered)
    ]


def _chart(form: Form, card: Scorecard | None) -> tuple[list[str], list[tuple[str, list[Decimal | None]]]]:
    """Score by level-1 block plus the execution score: declared vs computed."""
    names: list[str] = []
    for indicator in form.indicators:
        if indicator.level1 and indicator.level1 not in names:
            names.append(indicator.level1)
    declared: list[Decimal | None] = [form.funds.score_declared]
    for name in names:
        scores = [
            i.score_declared for i in form.indicators if i.level1 == name and i.score_declared is not None
        ]
        declared.append(sum(scores, Decimal(0)) if scores else None)
    series: list[tuple[str, list[Decimal | None]]] = [("申报", declared)]
    if card is not None:
        blocks = {b.level1: b.score for b in card.blocks}
        series.append(("复核", [card.execution.score, *(blocks.get(name) for name in names)]))
    return [EXECUTION_LABEL, *names], series


def write_rendered(
    render: Callable[[Report], str],
    form: Form,
    card: Scorecard | None,
    findings: Sequence[Finding],
    path: str | Path,
    layout: str | Layout | None = None,
) -> Path:
    """Build the report, render it with ``render`` (HTML or Markdown) and write it as UTF-8 at ``path``."""
    path = Path(path)
    path.write_text(render(build_report(form, card, findings, layout)), encoding="utf-8")
    return path


def build_report(
    form: Form, card: Scorecard | None, findings: Sequence[Finding], layout: str | Layout | None = None
) -> Report:
    """The report content for a form, its scorecard (optional) and its findings."""
    chosen = layout if isinstance(layout, Layout) else layout_for(form, layout)
    categories, series = _chart(form, card)
    subject = form.project or form.unit or ""
    return Report(
        title=f"{chosen.title}复核报告",
        subtitle=f"{subject}（{form.year or '—'}年度）",
        facts=_facts(form, chosen),
        summary=_summary(form, card, findings),
        funds=_funds(form, chosen),
        goals=[
            (chosen.goals.expected, form.goals.expected or ""),
            (chosen.goals.actual, form.goals.actual or ""),
        ],
        scores=_score_table(form, card, chosen),
        findings=_finding_groups(findings),
        chart_categories=categories,
        chart_series=series,
        footnotes=list(chosen.footer.footnotes),
    )
