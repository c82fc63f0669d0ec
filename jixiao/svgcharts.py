"""The execution-vs-claimed scatter of the batch dashboard: points coloured by warning, guide lines.

:func:`jixiao.report.charts.scatter` draws single-colour points without guides; once it takes
per-point colours and guide lines this module can go.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from .report.charts import FONT_STACK, fmt

WIDTH, HEIGHT, MARGIN = 560, 300, 44
PERCENT_AXIS = (0, 20, 40, 60, 80, 100)


def warning_scatter(points: Sequence[tuple[Decimal, Decimal, str, str]], title: str, x_label: str, y_label: str,
                    x_guides: Sequence[Decimal] = ()) -> str:
    """Points (x %, y %, colour, tooltip) on 0–110 % axes, a diagonal x = y and dashed vertical guides."""

    def sx(v: Decimal | int) -> float:
        return MARGIN + min(max(float(v), 0.0), 110.0) / 110 * (WIDTH - 2 * MARGIN)

    def sy(v: Decimal | int) -> float:
        return HEIGHT - MARGIN - min(max(float(v), 0.0), 110.0) / 110 * (HEIGHT - 2 * MARGIN)

    low, high = HEIGHT - MARGIN, MARGIN
    parts = [f'<line x1="{MARGIN}" y1="{low}" x2="{WIDTH - MARGIN}" y2="{low}" stroke="#555"/>',
             f'<line x1="{MARGIN}" y1="{high}" x2="{MARGIN}" y2="{low}" stroke="#555"/>',
             f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(100):.1f}" y2="{sy(100):.1f}" stroke="#ddd"/>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">{escape(x_label)}</text>',
             f'<text x="14" y="{HEIGHT / 2}" transform="rotate(-90 14 {HEIGHT / 2})" text-anchor="middle">'
             f"{escape(y_label)}</text>",
             f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>']
    for tick in PERCENT_AXIS:
        parts.append(f'<text x="{sx(tick):.1f}" y="{low + 16}" text-anchor="middle" fill="#555">{tick}</text>')
        parts.append(f'<text x="{MARGIN - 4}" y="{sy(tick) + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>')
    for guide in x_guides:
        parts.append(f'<line x1="{sx(guide):.1f}" y1="{high}" x2="{sx(guide):.1f}" y2="{low}" stroke="#E69F00" '
                     f'stroke-dasharray="4 3"><title>{escape(fmt(float(guide)))}%</title></line>')
    for x, y, colour, tip in points:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="{escape(colour)}" fill-opacity="0.75">'
                     f"<title>{escape(tip)}</title></circle>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" font-family="{FONT_STACK}" font-size="12"><title>{escape(title)}</title>'
            + "".join(parts) + "</svg>")
