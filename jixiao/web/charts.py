"""Minimal server-side SVG charts for the dashboard (bars and a scatter plot).

Kept small and dependency-free; to be unified with jixiao/report/charts.py once that branch is merged.
Every label goes through ``html.escape``: unit names are user text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD = 420, 220, 34
COLOR = "#3b6ea5"


def _frame(title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>{body}</svg>'
    )


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> str:
    """Vertical bars with their count on top and the label below."""
    if not bars:
        return _frame(title, f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">暂无数据</text>')
    peak = max(n for _, n in bars) or 1
    slot = (WIDTH - 2 * PAD) / len(bars)
    parts = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>']
    for i, (label, count) in enumerate(bars):
        h = (HEIGHT - 2 * PAD - 14) * count / peak
        x = PAD + i * slot + slot * 0.15
        y = HEIGHT - PAD - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{COLOR}">'
            f"<title>{escape(label)}：{count}</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11">{count}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    return _frame(title, "".join(parts))


def scatter(
    title: str,
    points: Sequence[tuple[Decimal, Decimal, str]],
    x_label: str,
    y_label: str,
    x_max: Decimal = Decimal(100),
    y_max: Decimal = Decimal(100),
) -> str:
    """Points (x, y, label) on 0..max axes; values above the max are drawn on the edge."""
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    parts = [
        f'<rect x="{PAD}" y="{PAD}" width="{inner_w}" height="{inner_h}" fill="none" stroke="#999"/>',
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" text-anchor="middle" font-size="11">{escape(x_label)}</text>',
        f'<text x="10" y="{HEIGHT / 2}" font-size="11" transform="rotate(-90 10 {HEIGHT / 2})" '
        f'text-anchor="middle">{escape(y_label)}</text>',
    ]
    for x, y, label in points:
        cx = PAD + inner_w * float(min(max(x, Decimal(0)), x_max) / x_max)
        cy = HEIGHT - PAD - inner_h * float(min(max(y, Decimal(0)), y_max) / y_max)
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{COLOR}" fill-opacity="0.7">'
            f"<title>{escape(label)}：执行率 {x}%，自评 {y} 分</title></circle>"
        )
    return _frame(title, "".join(parts))
