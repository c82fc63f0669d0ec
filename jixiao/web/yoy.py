"""Year over year: a unit's forms side by side, flagging targets set below last year's actual."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from ..model import Form
from ..targets import parse_target

LOWER_IS_BETTER = ("≤", "<")


def _number(text: str | None) -> Decimal | None:
    """The quantity of a target/actual text, by the core target grammar."""
    target = parse_target(text or "")
    return target.number if target.kind == "quantity" else None


def lowered_target(prev_actual: str | None, target: str | None) -> bool:
    """True when a "more is better" target is set below what was already achieved last year."""
    parsed = parse_target(target or "")
    if parsed.kind != "quantity" or parsed.op in LOWER_IS_BETTER:
        return False
    before = _number(prev_actual)
    return before is not None and parsed.number is not None and parsed.number < before


def compare_years(records: Sequence[Any]) -> dict[str, Any]:
    """Rows per (form title, indicator name) with each year's target/actual and a lowered-target flag."""
    years = sorted({r.year for r in records})
    by_key: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for record in records:
        form: Form = record.form()
        for indicator in form.indicators:
            by_key.setdefault((record.title, indicator.name), {})[record.year] = {
                "target": indicator.target,
                "actual": indicator.actual,
                "flag": False,
            }
    for cells in by_key.values():
        for prev, year in pairwise(years):
            if prev in cells and year in cells:
                cells[year]["flag"] = lowered_target(cells[prev]["actual"], cells[year]["target"])
    rows = [
        {"title": title, "name": name, "cells": [cells.get(y) for y in years]}
        for (title, name), cells in sorted(by_key.items())
    ]
    totals = {(r.title, r.year): r for r in records}
    titles = sorted({r.title for r in records})
    summary = [{"title": t, "cells": [totals.get((t, y)) for y in years]} for t in titles]
    return {
        "years": years,
        "rows": rows,
        "summary": summary,
        "flags": sum(1 for r in rows for c in r["cells"] if c and c["flag"]),
    }
