"""Small server-side SVG charts: data in, an ``<svg>`` string out (no JS, no CDN).

One implementation for the HTML report, the batch dashboard and the web dashboard:

* :func:`grouped_bars` — categories × series (e.g. score by level-1 block, 申报 vs 复核);
* :func:`histogram` — distribution of values (e.g. total scores of many forms);
* :func:`scatter` — x/y points (e.g. execution rate vs total score);
* :func:`top_bars` — horizontal bars of the N largest values (e.g. most frequent findings).

Every label is XML-escaped, so text from forms can be passed as is. Chinese renders with the
viewer's CJK fonts through :data:`FONT_STACK`. Values may be ``Decimal``, ``int`` or ``float``;
they are converted to float only to place pixels. ``None`` values are left out (a gap).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

Number = Decimal | int | float

FONT_STACK = (
    "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',"
    "'WenQuanYi Micro Hei','Droid Sans Fallback','SimSun',sans-serif"
)
#: Colour-blind safe (Okabe–Ito): blue, orange, green, purple, sky, vermilion.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
AXIS = "#555"
GRID = "#ddd"


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def axis_ticks(top: float, ticks: int = 5) -> list[float]:
    """Tick values from 0 up to at least ``top``."""
    step = nice_step(top, ticks)
    count = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(count + 1)]


def fmt(value: float) -> str:
    """A tick or value label: no trailing ``.0``."""
    return f"{value:.10g}"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="{FONT_STACK}" font-size="12">'
    )
    caption = (
        f'<title>{escape(title)}</title><text x="{width / 2:.1f}" y="18" text-anchor="middle" '
        f'font-size="14" font-weight="bold">{escape(title)}</text>'
        if title
        else ""
    )
    return head + caption + "".join(body) + "</svg>"


def _text(x: float, y: float, text: str, anchor: str = "middle", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _y_axis(left: float, right: float, top: float, bottom: float, ticks: list[float]) -> list[str]:
    """Horizontal grid lines with labels for a value axis from 0 to ``ticks[-1]``."""
    out = []
    for tick in ticks:
        y = bottom - (bottom - top) * tick / ticks[-1]
        out.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 4, y + 4, fmt(tick), "end", fill=AXIS))
    out.append(f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{AXIS}"/>')
    return out


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 16, y, name, "start"))
        x += 28 + 13 * len(name)
    return out


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    title: str = "",
    width: int = 560,
    height: int = 300,
    max_value: Number | None = None,
) -> str:
    """Vertical bars: one group per category, one bar per series (``[("申报", [...]), ("复核", [...])]``).

    ``max_value`` fixes the top of the axis (e.g. the block weight); by default the largest value.
    """
    left, right, top, bottom = 48.0, width - 12.0, 40.0, height - 48.0
    values = [float(v) for _, vs in series for v in vs if v is not None]
    highest = float(max_value) if max_value is not None else max(values, default=0.0)
    ticks = axis_ticks(highest or 1.0)
    body = _y_axis(left, right, top, bottom, ticks)
    group = (right - left) / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    for c, category in enumerate(categories):
        x0 = left + c * group + group * 0.1
        for s, (name, vals) in enumerate(series):
            value = vals[c] if c < len(vals) else None
            if value is None:
                continue
            h = (bottom - top) * float(value) / ticks[-1]
            x = x0 + s * bar
            colour = PALETTE[s % len(PALETTE)]
            body.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar * 0.92:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(f"{category} {name}: {fmt(float(value))}")}</title></rect>'
            )
            body.append(_text(x + bar * 0.46, bottom - h - 3, fmt(float(value)), font_size="10"))
        body.append(_text(left + (c + 0.5) * group, bottom + 16, category))
    body += _legend([name for name, _ in series], left, height - 10)
    return _svg(width, height, title, body)


def bin_counts(values: Sequence[Number], bins: int) -> tuple[list[float], list[int]]:
    """Equal-width bin edges (``bins + 1``) over the values' range and the count in each bin."""
    data = [float(v) for v in values]
    if not data:
        return [0.0, 1.0], [0]
    low, high = min(data), max(data)
    if high == low:
        high = low + 1
    step = (high - low) / bins
    edges = [low + i * step for i in range(bins + 1)]
    counts = [0] * bins
    for value in data:
        counts[min(int((value - low) / step), bins - 1)] += 1
    return edges, counts


def histogram(
    values: Sequence[Number],
    bins: int = 10,
    title: str = "",
    x_label: str = "",
    width: int = 560,
    height: int = 300,
) -> str:
    """Distribution of ``values`` in ``bins`` equal-width bins (count on the y axis)."""
    left, right, top, bottom = 48.0, width - 12.0, 40.0, height - 48.0
    edges, counts = bin_counts(values, bins)
    ticks = axis_ticks(max(counts) or 1, ticks=min(5, max(counts) or 1))
    body = _y_axis(left, right, top, bottom, ticks)
    slot = (right - left) / len(counts)
    for index, count in enumerate(counts):
        h = (bottom - top) * count / ticks[-1]
        x = left + index * slot
        label = f"{fmt(round(edges[index], 2))}–{fmt(round(edges[index + 1], 2))}: {count}"
        body.append(
            f'<rect x="{x + 1:.1f}" y="{bottom - h:.1f}" width="{slot - 2:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}</title></rect>'
        )
    for index in range(0, len(edges), max(1, len(edges) // 6)):
        body.append(_text(left + index * slot, bottom + 16, fmt(round(edges[index], 2))))
    body.append(_text((left + right) / 2, height - 8, x_label))
    return _svg(width, height, title, body)


def scatter(
    points: Sequence[tuple[Number, Number]],
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    labels: Sequence[str] | None = None,
    width: int = 560,
    height: int = 320,
    colours: Sequence[str] | None = None,
    x_guides: Sequence[Number] = (),
    top: tuple[Number, Number] | None = None,
    diagonal: bool = False,
) -> str:
    """Points ``(x, y)`` on linear axes from 0 (each point's label shows as a tooltip).

    ``colours`` colours each point (e.g. by warning level), ``x_guides`` draws dashed vertical
    lines (thresholds), ``top`` fixes the axes' upper ends (e.g. (110, 110) for percentages)
    and ``diagonal`` draws x = y, the line where two shares agree.
    """
    left, right, top_edge, bottom = 52.0, width - 16.0, 40.0, height - 48.0
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    x_ticks = axis_ticks(float(top[0]) if top else max(xs, default=0.0) or 1.0)
    y_ticks = axis_ticks(float(top[1]) if top else max(ys, default=0.0) or 1.0)

    def px(x: float) -> float:
        return left + (right - left) * min(max(x, 0.0), x_ticks[-1]) / x_ticks[-1]

    def py(y: float) -> float:
        return bottom - (bottom - top_edge) * min(max(y, 0.0), y_ticks[-1]) / y_ticks[-1]

    body = _y_axis(left, right, top_edge, bottom, y_ticks)
    for tick in x_ticks:
        body.append(_text(px(tick), bottom + 16, fmt(tick), fill=AXIS))
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{AXIS}"/>')
    if diagonal:
        end = min(x_ticks[-1], y_ticks[-1])
        body.append(f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(end):.1f}" y2="{py(end):.1f}" stroke="#ddd"/>')
    for guide in x_guides:
        x = px(float(guide))
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_edge}" y2="{bottom}" stroke="{PALETTE[1]}" '
                    f'stroke-dasharray="4 3"><title>{escape(fmt(float(guide)))}</title></line>')
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        tip = labels[index] if labels and index < len(labels) else f"{fmt(x)}, {fmt(y)}"
        colour = colours[index] if colours and index < len(colours) else PALETTE[0]
        body.append(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{escape(colour)}" fill-opacity="0.7">'
            f"<title>{escape(tip)}</title></circle>"
        )
    body.append(_text((left + right) / 2, height - 8, x_label))
    body.append(_text(14, (top_edge + bottom) / 2, y_label, transform=f"rotate(-90 14 {(top_edge + bottom) / 2:.1f})"))
    return _svg(width, height, title, body)


def top_bars(
    items: Sequence[tuple[str, Number]],
    top: int = 10,
    title: str = "",
    width: int = 560,
    label_width: int = 180,
) -> str:
    """Horizontal bars of the ``top`` largest ``(label, value)`` items, largest first."""
    chosen = sorted(items, key=lambda item: item[1], reverse=True)[:top]
    row = 22
    height = 40 + row * max(len(chosen), 1) + 10
    left, right = float(label_width), width - 48.0
    highest = max((float(v) for _, v in chosen), default=0.0) or 1.0
    body = []
    for index, (label, value) in enumerate(chosen):
        y = 40 + index * row
        w = (right - left) * float(value) / highest
        body.append(_text(left - 6, y + 14, label, "end"))
        body.append(
            f'<rect x="{left:.1f}" y="{y + 3:.1f}" width="{w:.1f}" height="{row - 6}" fill="{PALETTE[0]}">'
            f"<title>{escape(f'{label}: {fmt(float(value))}')}</title></rect>"
        )
        body.append(_text(left + w + 4, y + 14, fmt(float(value)), "start"))
    return _svg(width, height, title, body)
