"""The batch dashboard: one self-contained HTML page (inline CSS and SVG, no script, no CDN).

Everything it shows comes from :mod:`jixiao.analytics`; this module only lays it out. Every piece of
text from the forms is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from .. import analytics as an
from ..audit import SEVERITY_NAMES
from ..scoring import decimal_text
from . import charts
from .charts import grouped_bars, histogram, top_bars

WARNING_COLORS = {"red": "#D55E00", "yellow": "#E69F00", None: "#0072B2"}
WARNING_NAMES = {"red": "红色预警", "yellow": "黄色预警", "none": "无预警"}
STATUS_NAMES = {"ok": "已复核", "error": "错误（未复核）", "duplicate": "重复文件"}
CSS = """
body{font-family:"Noto Sans CJK SC","Droid Sans Fallback",sans-serif;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
.card b{display:block;font-size:1.5em}.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.red{color:#d62728}.yellow{color:#a07800}
svg{max-width:100%;height:auto}p.note{color:#666;font-size:.85em}
"""


#: The columns the dashboard reads (the big tables have more; reading fewer keeps large runs light).
DASHBOARD_COLUMNS: dict[str, list[str] | None] = {
    "forms": None,
    "indicators": ["unit", "project", "year", "level1", "level2", "name", "target_text", "actual_text"],
    "findings": ["file", "code", "severity", "message"],
}


def load_tables(out: str | Path, columns: dict[str, list[str] | None] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The three tables written by ``jixiao batch`` (from their Parquet files); all columns by default."""
    # Imported here: the web dashboard renders charts from this module without the batch extra (pyarrow).
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    from ..batch import TABLES

    chosen = columns or dict.fromkeys(TABLES)
    return {name: pq.read_table(Path(out) / f"{name}.parquet", columns=chosen[name]).to_pylist() for name in TABLES}


def num(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    if not rows:
        return '<p class="note">（无）</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{escape(num(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
                         for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{''.join(parts)}</section>"


def overview(forms: list[dict[str, Any]]) -> str:
    statuses = an.status_counts(forms)
    cards = [("找到的文件", sum(statuses.values()))] + [(STATUS_NAMES[k], v) for k, v in statuses.items()]
    return '<div class="cards">' + "".join(
        f'<div class="card">{escape(label)}<b>{value}</b></div>' for label, value in cards) + "</div>"


def distributions(forms: list[dict[str, Any]]) -> str:
    totals = histogram(an.totals(forms), bins=10, title="复核总分分布", x_label="复核总分")
    gaps = histogram(an.gaps(forms), bins=10, title="自评总分 − 复核总分", x_label="差距（正数：自评偏高）")
    grades = an.grade_counts(forms)
    chart = grouped_bars(list(grades), [("表数", list(grades.values()))], title="复核等级")
    return section("总分、差距与等级", f'<div class="grid"><div>{totals}</div><div>{gaps}</div><div>{chart}</div></div>')


def point_tip(p: an.ExecutionPoint, claimed: Decimal) -> str:
    warning = f"，{WARNING_NAMES[p.warning]}：{p.reason}" if p.warning else ""
    return f"{p.unit} {p.year or ''}：执行率 {num(p.rate)}%，自评完成度 {num(an.two_places(claimed))}%{warning}"


def execution_chart(points: Sequence[an.ExecutionPoint], title: str = "预算执行率与自评完成度") -> str:
    """Execution rate against claimed completion, each point coloured by its red/yellow warning (§2.7)."""
    plotted = [(p.rate, p.claimed, WARNING_COLORS[p.warning], point_tip(p, p.claimed))
               for p in points if p.rate is not None and p.claimed is not None]
    return charts.scatter([(x, y) for x, y, _, _ in plotted], title, "预算执行率（%）",
                          "自评指标完成度（%）", labels=[tip for *_, tip in plotted],
                          colours=[colour for _, _, colour, _ in plotted], x_guides=[an.YELLOW_EXECUTION_RATE],
                          top=(110, 110), diagonal=True)


def execution(forms: list[dict[str, Any]]) -> str:
    points = an.execution_points(forms)
    chart = execution_chart(points)
    counts = an.warning_counts(points)
    flagged = [(WARNING_NAMES[p.warning or "none"], p.unit, p.year or "", num(p.rate), p.reason)
               for p in sorted(points, key=lambda p: p.warning != "red") if p.warning]
    legend = "，".join(f"{WARNING_NAMES[k]} {v}" for k, v in counts.items())
    return section("预算执行率与自评绩效（全国系统红黄预警）", chart,
                   f'<p class="note">{escape(legend)}。红色：指标完成度比执行得分率高出 5% 以上；'
                   "黄色：执行率低于 80% 或预算数为 0（规则摘要 §2.7）。</p>",
                   table(["预警", "单位/项目", "年度", "执行率%", "原因"], flagged[:30]),
                   f'<p class="note">（仅列前 30 个，共 {len(flagged)} 个）</p>' if len(flagged) > 30 else "")


def findings_part(findings: list[dict[str, Any]]) -> str:
    top = an.top_findings(findings)
    chart = top_bars([(f"{t.code} {t.example[:12]}…", t.count) for t in top], top=15, title="最常见的复核问题",
                     width=760, label_width=300)
    return section("最常见的复核问题", chart,
                   table(["代码", "级别", "次数", "涉及表数", "示例"],
                         [(t.code, SEVERITY_NAMES.get(t.severity, t.severity), t.count, t.forms, t.example)
                          for t in top], numeric=(2, 3)))


def gaps_part(forms: list[dict[str, Any]]) -> str:
    gaps = an.largest_gaps(forms)
    chart = top_bars([(f"{g.unit[:18]} {g.year or ''}", g.gap) for g in gaps], top=15,
                     title="自评与复核差距最大的单位", width=760, label_width=300)
    return section("自评与复核差距最大的单位", chart,
                   table(["单位/项目", "年度", "自评总分", "复核总分", "差距", "文件"],
                         [(g.unit, g.year or "", g.declared, g.computed, g.gap, g.file) for g in gaps],
                         numeric=(2, 3, 4)))


def year_over_year(forms: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> str:
    jumps = an.score_jumps(forms)
    lowered = an.lowered_targets(indicators)
    return section("逐年变化",
                   f"<h3>复核总分跳变（相邻年度变化 ≥ {an.SCORE_JUMP} 分）</h3>",
                   table(["单位/项目", "年度", "上年", "本年", "变化"],
                         [(j.unit, j.year, j.previous, j.current, j.change) for j in jumps[:50]], numeric=(2, 3, 4)),
                   "<h3>目标低于上年实际完成值（同一单位、同名指标、同计量单位）</h3>",
                   table(["单位/项目", "年度", "指标", "本年目标", "上年实际"],
                         [(t.unit, t.year, t.name, t.target, t.last_actual) for t in lowered[:100]]))


def rankings_part(forms: list[dict[str, Any]]) -> str:
    ranked = an.rankings(forms)
    rows = [(i + 1, r.unit, r.forms, r.mean_total, r.mean_gap, r.errors) for i, r in enumerate(ranked)]
    shown = rows if len(rows) <= 60 else rows[:30] + rows[-30:]
    return section("单位排名（按平均复核总分）",
                   table(["名次", "单位/项目", "表数", "平均复核总分", "平均差距", "错误数"], shown, numeric=(0, 2, 3, 4, 5)))


def errors_part(forms: list[dict[str, Any]]) -> str:
    listed = [(STATUS_NAMES.get(str(f["status"]), f["status"]), f["file"], f.get("message") or "")
              for f in forms if f.get("status") != "ok"]
    return section("未复核的文件（附原因）", table(["状态", "文件", "原因"], listed[:200]),
                   f'<p class="note">共 {len(listed)} 个；完整清单见 forms 表 status 列。</p>' if len(listed) > 200 else "")


def render_dashboard(forms: list[dict[str, Any]], indicators: list[dict[str, Any]], findings: list[dict[str, Any]],
                     title: str = "预算绩效自评批量复核报告") -> str:
    """The whole dashboard as one HTML document."""
    body = "".join([overview(forms), distributions(forms), execution(forms), findings_part(findings),
                    gaps_part(forms), year_over_year(forms, indicators), rankings_part(forms), errors_part(forms)])
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")
