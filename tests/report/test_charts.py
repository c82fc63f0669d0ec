"""SVG charts: well-formed, escaped, and geometry proportional to the data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from jixiao.report import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_grouped_bars_heights_are_proportional() -> None:
    svg = charts.grouped_bars(
        ["预算执行率", "产出指标"], [("申报", [Decimal(9), Decimal("48.5")]), ("复核", [Decimal(9), None])]
    )
    root = parse(svg)
    rects = bars(root)
    assert len(rects) == 3  # None is a gap
    heights = [float(r.get("height", 0)) for r in rects]
    assert heights[0] == heights[1]  # 9 and 9
    assert abs(heights[2] / heights[0] - 48.5 / 9) < 0.01
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "预算执行率" in texts and "申报" in texts and "48.5" in texts


def test_labels_are_escaped() -> None:
    svg = charts.grouped_bars(["<script>alert(1)</script>"], [("a&b", [1])], title="<b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse(svg)  # still well-formed XML


def test_axis_ticks_are_round_and_cover_the_top() -> None:
    assert charts.axis_ticks(48.5) == [0, 10, 20, 30, 40, 50]
    assert charts.axis_ticks(9) == [0, 2, 4, 6, 8, 10]
    assert charts.axis_ticks(100)[-1] >= 100


def test_histogram_counts_every_value_once() -> None:
    edges, counts = charts.bin_counts([Decimal(v) for v in (60, 75, 80, 85, 90, 95, 97.5, 100)], bins=4)
    assert sum(counts) == 8 and edges[0] == 60 and edges[-1] == 100
    assert counts == [1, 1, 2, 4]
    root = parse(charts.histogram([1, 2, 2, 3], bins=3, title="总分分布"))
    assert len(bars(root)) == 3


def test_scatter_places_points_inside_the_plot() -> None:
    root = parse(charts.scatter([(Decimal("99.45"), Decimal("97.5")), (50, 60)], labels=["黔南", "某县"]))
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 2
    assert [c.find(f"{SVG}title").text for c in circles] == ["黔南", "某县"]  # type: ignore[union-attr]
    width = float(root.get("width", 0))
    assert all(0 < float(c.get("cx", -1)) < width for c in circles)


def test_top_bars_keeps_the_largest_in_order() -> None:
    items = [("A07", 3), ("B01", 12), ("C04", 7), ("P01", 30)]
    root = parse(charts.top_bars(items, top=3))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels == ["P01", "B01", "C04"]
    widths = [float(r.get("width", 0)) for r in bars(root)]
    assert widths == sorted(widths, reverse=True)


def test_empty_data_gives_an_empty_but_valid_chart() -> None:
    for svg in (charts.grouped_bars([], []), charts.histogram([]), charts.scatter([]), charts.top_bars([])):
        assert parse(svg).tag == f"{SVG}svg"
