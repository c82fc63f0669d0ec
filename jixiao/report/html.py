"""The readable report as one self-contained HTML file (inline CSS and SVG, no script, no CDN).

Every piece of text from the form or the findings is HTML-escaped; the charts escape their own
labels. The page prints cleanly on A4.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Form
from . import charts
from .content import FindingGroup, Report, TextTable, write_rendered
from .layout import Layout

if TYPE_CHECKING:
    from ..audit import Finding
    from ..scoring import Scorecard

CSS = (
    "body{font-family:"
    + charts.FONT_STACK
    + """;margin:24px auto;max-width:1100px;color:#222;line-height:1.5;padding:0 16px}
h1{font-size:24px;margin:0}
h2{font-size:18px;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:28px}
.sub{color:#555;margin:4px 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:#555;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border:1px solid #999;padding:4px 6px;vertical-align:top}
th{background:#f0f3f7}
td.n{text-align:right;white-space:nowrap}
tr.group td{background:#f7f7f7;font-weight:bold}
tr.flag td{background:#ffe3e6}
.explain{color:#444;font-size:12px}
.sev-error h3{color:#b00020}.sev-warning h3{color:#a15c00}.sev-info h3{color:#555}
li.finding{margin:4px 0}.code{font-family:monospace;background:#eee;padding:0 4px;border-radius:3px}
.loc{color:#0b4f8a}.notes{font-size:12px;color:#555}
.legend{font-size:12px;color:#555}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""
)

#: Score-table columns rendered as numbers (right aligned).
NUMBER_COLUMNS = {4, 5, 6}
EXPLANATION_COLUMN = 7


def _cells(row: Sequence[str], numeric: set[int], tag: str = "td") -> str:
    out = []
    for index, value in enumerate(row):
        cls = ' class="n"' if index in numeric else ' class="explain"' if index == EXPLANATION_COLUMN else ""
        out.append(f"<{tag}{cls if tag == 'td' else ''}>{escape(value)}</{tag}>")
    return "".join(out)


def render_table(table: TextTable, numeric: set[int] | None = None) -> str:
    """A :class:`TextTable` as an HTML table (flagged rows highlighted)."""
    numbers = numeric or set()
    rows = []
    for index, row in enumerate(table.rows):
        classes = " ".join(
            c for c, on in (("group", index in table.groups), ("flag", index in table.flagged)) if on
        )
        attr = f' class="{classes}"' if classes else ""
        rows.append(f"<tr{attr}>{_cells(row, numbers)}</tr>")
    head = f"<thead><tr>{_cells(table.headers, set(), 'th')}</tr></thead>"
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def _pairs(pairs: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in pairs)
    return f"<table>{rows}</table>"


def _cards(pairs: Sequence[tuple[str, str]]) -> str:
    return (
        '<div class="cards">'
        + "".join(f'<div class="card"><span>{escape(k)}</span><b>{escape(v)}</b></div>' for k, v in pairs)
        + "</div>"
    )


def _findings(groups: Sequence[FindingGroup]) -> str:
    if not groups:
        return "<p>未发现问题。</p>"
    out = []
    for group in groups:
        items = "".join(
            f'<li class="finding"><span class="code">{escape(f.code)}</span> '
            f'<span class="loc">{escape(f.location)}</span>：{escape(f.message)}</li>'
            for f in group.findings
        )
        heading = f"<h3>{escape(group.label)}（{len(group.findings)} 条）</h3>"
        out.append(f'<section class="sev-{escape(group.severity)}">{heading}<ul>{items}</ul></section>')
    return "".join(out)


def render(report: Report) -> str:
    """The whole HTML document."""
    chart = charts.grouped_bars(report.chart_categories, report.chart_series, title="各部分得分：申报与复核")
    goals = "".join(f"<h3>{escape(k)}</h3><p>{escape(v) or '—'}</p>" for k, v in report.goals)
    notes = "".join(f"<p>{escape(n)}</p>" for n in report.footnotes)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(report.title)} {escape(report.subtitle)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{escape(report.title)}</h1><p class="sub">{escape(report.subtitle)}</p></header>'
        f"{_cards(report.summary)}"
        f"<h2>得分概览</h2>{chart}"
        f"<h2>基本信息</h2>{_pairs(report.facts)}"
        f"<h2>资金情况</h2>{render_table(report.funds, {1, 2, 3})}"
        f"<h2>年度总体目标</h2>{goals}"
        f'<h2>评分明细</h2><p class="legend">红色底纹：申报得分与复核得分不一致。</p>'
        f"{render_table(report.scores, NUMBER_COLUMNS)}"
        f"<h2>复核意见</h2>{_findings(report.findings)}"
        f'<h2>表注</h2><div class="notes">{notes}</div>'
        "</body></html>"
    )


def write(
    form: Form,
    card: Scorecard | None,
    findings: Sequence[Finding],
    path: str | Path,
    layout: str | Layout | None = None,
) -> Path:
    """Write the HTML report at ``path``; returns the path."""
    return write_rendered(render, form, card, findings, path, layout)
