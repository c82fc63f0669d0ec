"""Doubted cells of an uploaded form (导入存疑) until the filler confirms or corrects them.

When a file is uploaded, every import note that names a field (``ImportNote.path``) becomes a *doubt*
kept with the stored form: the field's path, the value read, the note's message and, for an indicator,
the row's name at import.  The entry page highlights the doubted cells and the auditor labels findings
resting on them.  A doubt ends when the filler confirms the cell (recorded in the history with who did it)
or changes its value; rows follow their name, so moving a row keeps its doubts on it.

Pure functions over the canonical data (no Django): the stored list is plain JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..io import ImportNote, jsonio
from ..model import Form

_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_ROW = re.compile(r"^indicators\[(\d+)\]")


@dataclass(frozen=True)
class Doubt:
    """A stored doubt located in the current form: ``path`` is where its cell is now."""

    key: str  # the path at import: the doubt's stable name for confirming it
    path: str
    message: str


def _at(data: Any, path: str) -> Any:
    """The value at a field path in canonical data (``funds.rows[0].budget``); None when it is not there."""
    for name, index in _STEP.findall(path):
        if index:
            data = data[int(index)] if isinstance(data, list) and int(index) < len(data) else None
        else:
            data = data.get(name) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def _fingerprint(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def from_notes(form: Form, notes: Iterable[ImportNote]) -> list[dict[str, Any]]:
    """The doubts to store with a freshly imported form: one per field an import note names."""
    data = jsonio.to_data(form)
    doubts: dict[str, dict[str, Any]] = {}
    for note in notes:
        row = _ROW.match(note.path or "")
        if note.path is None or note.path in doubts or (row and _at(data, row.group(0)) is None):
            continue
        name = _at(data, f"{row.group(0)}.name") if row else None
        doubts[note.path] = {"path": note.path, "name": name, "value": _fingerprint(_at(data, note.path)),
                             "message": note.message}
    return list(doubts.values())


def _current_path(doubt: dict[str, Any], data: dict[str, Any]) -> str | None:
    """Where the doubted cell is now: an indicator row is found by its name at import; None when it is gone."""
    path: str = doubt["path"]
    row = _ROW.match(path)
    if not row or doubt.get("name") is None:
        return path
    names = [item.get("name") for item in data.get("indicators") or []]
    if doubt["name"] not in names:
        return None
    return f"indicators[{names.index(doubt['name'])}]{path[row.end():]}"


def located(doubts: Sequence[dict[str, Any]], form: Form) -> list[Doubt]:
    """The stored doubts still open on ``form``: their cell is there and holds the value read at import."""
    if not doubts:
        return []
    data = jsonio.to_data(form)
    open_ = []
    for doubt in doubts:
        path = _current_path(doubt, data)
        if path is not None and _fingerprint(_at(data, path)) == doubt["value"]:
            open_.append(Doubt(doubt["path"], path, doubt["message"]))
    return open_


def remaining(doubts: Sequence[dict[str, Any]], form: Form, confirmed: str | None = None) -> list[dict[str, Any]]:
    """The stored doubts to keep after ``form`` is saved: not edited away, not the one just ``confirmed``."""
    still = {d.key for d in located(doubts, form)} - {confirmed}
    return [doubt for doubt in doubts if doubt["path"] in still]
