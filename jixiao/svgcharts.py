"""Small server-side SVG charts (data in, SVG text out; no JavaScript, no CDN).

Interim: the generic chart functions of ``jixiao.report.charts`` will replace these once merged.
Every label goes through :func:`html.escape`, so a hostile unit name cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, MARGIN = 560, 240, 40
FONT = 'font-family="sans-serif" font-size="11"'


def _label(value: int | Decimal) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _frame(body: str, title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}"><title>{escape(title)}</title>{body}</svg>')


def bar_chart(items: Sequence[tuple[str, int | Decimal]], title: str, color: str = "#4e79a7") -> str:
    """Vertical bars, one per (label, value); used for histograms and grade counts."""
    top = max((float(v) for _, v in items), default=0) or 1.0
    slot = (WIDTH - 2 * MARGIN) / max(len(items), 1)
    parts = [f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" '
             'stroke="#333"/>']
    for i, (label, value) in enumerate(items):
        h = float(value) / top * (HEIGHT - 2 * MARGIN)
        x = MARGIN + i * slot
        y = HEIGHT - MARGIN - h
        parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{slot - 4:.1f}" height="{h:.1f}" fill="{color}">'
                     f'<title>{escape(label)}: {escape(_label(value))}</title></rect>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" {FONT}>'
                     f'{escape(_label(value))}</text>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - MARGIN + 14}" text-anchor="middle" {FONT}>'
                     f'{escape(label)}</text>')
    return _frame("".join(parts), title)


def horizontal_bars(items: Sequence[tuple[str, int | Decimal]], title: str, color: str = "#e15759") -> str:
    """One labelled horizontal bar per (label, value), longest first as given."""
    row, label_width = 18, 220
    height = MARGIN + row * max(len(items), 1)
    top = max((abs(float(v)) for _, v in items), default=0) or 1.0
    parts = []
    for i, (label, value) in enumerate(items):
        y = MARGIN / 2 + i * row
        w = abs(float(value)) / top * (WIDTH - label_width - MARGIN)
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(f'<text x="{label_width - 4}" y="{y + 12}" text-anchor="end" {FONT}>{escape(short)}'
                     f'<title>{escape(label)}</title></text>')
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{row - 4}" fill="{color}"/>')
        parts.append(f'<text x="{label_width + w + 3:.1f}" y="{y + 12}" {FONT}>{escape(_label(value))}</text>')
    return _frame("".join(parts), title, height=int(height))


def scatter(points: Sequence[tuple[Decimal, Decimal, str, str]], title: str, x_label: str, y_label: str,
            x_guides: Sequence[Decimal] = ()) -> str:
    """Points (x, y, color, tooltip) on 0–100 × 0–100 axes (percent), with dashed vertical guides."""

    def sx(v: Decimal) -> float:
        return MARGIN + min(max(float(v), 0.0), 110.0) / 110 * (WIDTH - 2 * MARGIN)

    def sy(v: Decimal) -> float:
        return HEIGHT - MARGIN - min(max(float(v), 0.0), 110.0) / 110 * (HEIGHT - 2 * MARGIN)

    parts = [f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#333"/>',
             f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#333"/>',
             f'<line x1="{sx(Decimal(0)):.1f}" y1="{sy(Decimal(0)):.1f}" x2="{sx(Decimal(100)):.1f}" '
             f'y2="{sy(Decimal(100)):.1f}" stroke="#bbb"/>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" {FONT}>{escape(x_label)}</text>',
             f'<text x="12" y="{HEIGHT / 2}" transform="rotate(-90 12 {HEIGHT / 2})" text-anchor="middle" {FONT}>'
             f'{escape(y_label)}</text>']
    for tick in (0, 50, 80, 100):
        parts.append(f'<text x="{sx(Decimal(tick)):.1f}" y="{HEIGHT - MARGIN + 14}" text-anchor="middle" {FONT}>'
                     f'{tick}</text>')
        parts.append(f'<text x="{MARGIN - 4}" y="{sy(Decimal(tick)) + 4:.1f}" text-anchor="end" {FONT}>{tick}</text>')
    for guide in x_guides:
        parts.append(f'<line x1="{sx(guide):.1f}" y1="{MARGIN}" x2="{sx(guide):.1f}" y2="{HEIGHT - MARGIN}" '
                     'stroke="#f28e2b" stroke-dasharray="4 3"/>')
    for x, y, color, tip in points:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{color}" fill-opacity="0.75">'
                     f'<title>{escape(tip)}</title></circle>')
    return _frame("".join(parts), title)
