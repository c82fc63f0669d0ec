"""Field-level comparison of two versions of a form (for the history page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str
    old: Any
    new: Any


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}}`` → ``{"a.b[0]": 1}`` (the field paths findings use)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
        return out
    return {prefix: data}


def diff(old: Any, new: Any) -> list[Change]:
    """Every field path whose value differs, in the new version's order (removed paths last)."""
    before, after = flatten(old), flatten(new)
    changed = [Change(p, before.get(p), v) for p, v in after.items() if before.get(p) != v]
    removed = [Change(p, v, None) for p, v in before.items() if p not in after and v is not None]
    return changed + removed
