"""Year over year: a unit's forms side by side, flagged by the core's cross-year checks (D06, D07)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from ..audit import cross_year
from ..model import Form
from ..rules import resolve_profile
from .engine import indicator_index

#: How a cell flagged by a cross-year finding is marked: (tooltip, short note) per finding code.
FLAGS = {
    "D06": ("目标低于上年实际完成值", "目标低于上年实际"),
    "D07": ("预算明显增加而指标值未变", "预算增加而目标未变"),
}


def _flagged(previous: Form, current: Form, profile: str) -> dict[str, str]:
    """Indicator name → finding code of the core's year-over-year findings on ``current`` under its rule
    ``profile``'s ``[checks]`` (as ``audit --last-year`` finds them)."""
    flags = {}
    for finding in cross_year(previous, current, resolve_profile(profile, current)):
        index = indicator_index(finding.path)
        if index is not None:
            flags[current.indicators[index].name] = finding.code
    return flags


def compare_years(records: Sequence[Any]) -> dict[str, Any]:
    """Rows per (form title, indicator name) with each year's target/actual and the cross-year flag."""
    years = sorted({r.year for r in records})
    forms: dict[tuple[str, int], Form] = {(r.title, r.year): r.form() for r in records}
    profiles: dict[tuple[str, int], str] = {(r.title, r.year): r.profile for r in records}
    by_key: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for (title, year), form in forms.items():
        for indicator in form.indicators:
            by_key.setdefault((title, indicator.name), {})[year] = {
                "target": indicator.target,
                "actual": indicator.actual,
                "flag": None,
            }
    for title in {title for title, _ in forms}:
        for prev, year in pairwise(years):
            if (title, prev) in forms and (title, year) in forms:
                for name, code in _flagged(forms[(title, prev)], forms[(title, year)], profiles[(title, year)]).items():
                    tooltip, note = FLAGS[code]
                    by_key[(title, name)][year]["flag"] = {"code": code, "title": tooltip, "note": note}
    rows = [
        {"title": title, "name": name, "cells": [cells.get(y) for y in years]}
        for (title, name), cells in sorted(by_key.items())
    ]
    totals = {(r.title, r.year): r for r in records}
    titles = sorted({r.title for r in records})
    summary = [{"title": t, "cells": [totals.get((t, y)) for y in years]} for t in titles]
    flags = [c["flag"]["code"] for r in rows for c in r["cells"] if c and c["flag"]]
    return {
        "years": years,
        "rows": rows,
        "summary": summary,
        "flags": flags.count("D06"),
        "unchanged": flags.count("D07"),
    }
