"""The readable report as Markdown: the same content as the HTML report, as tables.

Text is escaped for tables (``|``, line breaks), for the HTML a Markdown renderer lets
through (``<``, ``>``, ``&``) and for Markdown's own syntax (``![t](http://…)``, ``[x](javascript:…)``,
emphasis, code), so a ``<script>`` or a remote image in a reason stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Form
from .content import Report, TextTable, write_rendered
from .layout import Layout

if TYPE_CHECKING:
    from ..audit import Finding
    from ..scoring import Scorecard

_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "\\|",
        "\r": "",
        "\n": "<br>",
        # Markdown's own syntax: user text must not become an image, a link, emphasis or code
        **{c: "\\" + c for c in "\\`*_[]()!#~"},
    }
)


def md_text(text: str) -> str:
    """Text safe inside a Markdown table cell or paragraph."""
    return text.translate(_ESCAPES)


def md_table(table: TextTable) -> str:
    """A :class:`TextTable` as a pipe table; block rows in bold, flagged rows marked ⚠."""
    lines = ["| " + " | ".join(md_text(h) for h in table.headers) + " |", "|" + "---|" * len(table.headers)]
    for index, row in enumerate(table.rows):
        cells = [md_text(c) for c in row]
        if index in table.groups:
            cells = [f"**{c}**" if c else c for c in cells]
        if index in table.flagged:
            cells[0] = f"⚠ {cells[0]}"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pairs(pairs: Sequence[tuple[str, str]]) -> str:
    return "\n".join(
        ["| 项目 | 内容 |", "|---|---|", *(f"| {md_text(k)} | {md_text(v)} |" for k, v in pairs)]
    )


def render(report: Report) -> str:
    """The whole Markdown document."""
    parts = [
        f"# {md_text(report.title)}",
        md_text(report.subtitle),
        "## 概览",
        _pairs(report.summary),
        "各部分得分（申报 / 复核）：",
        md_table(_chart_table(report)),
        "## 基本信息",
        _pairs(report.facts),
        "## 资金情况",
        md_table(report.funds),
        "## 年度总体目标",
        *(f"**{md_text(k)}**：{md_text(v) or '—'}" for k, v in report.goals),
        "## 评分明细",
        "⚠ 表示申报得分与复核得分不一致。",
        md_table(report.scores),
        "## 复核意见",
    ]
    if not report.findings:
        parts.append("未发现问题。")
    for group in report.findings:
        parts.append(f"### {group.label}（{len(group.findings)} 条）")
        parts.append(
            "\n".join(
                f"- `{md_text(f.code)}` {md_text(f.location)}：{md_text(f.message)}" for f in group.findings
            )
        )
    parts += ["## 表注", *(md_text(n) for n in report.footnotes)]
    return "\n\n".join(parts) + "\n"


def _chart_table(report: Report) -> TextTable:
    """The chart's numbers as a table (Markdown has no inline SVG everywhere)."""
    table = TextTable(["部分", *(name for name, _ in report.chart_series)])
    for index, category in enumerate(report.chart_categories):
        values = [values[index] for _, values in report.chart_series]
        table.add([category, *("—" if v is None else f"{v:f}" for v in values)])
    return table


def write(
    form: Form,
    card: Scorecard | None,
    findings: Sequence[Finding],
    path: str | Path,
    layout: str | Layout | None = None,
) -> Path:
    """Write the Markdown report at ``path``; returns the path."""
    return write_rendered(render, form, card, findings, path, layout)
