"""Import notes: what an importer could not read exactly, and where."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Location


@dataclass(frozen=True)
class ImportNote:
    code: str
    message: str
    location: Location | None = None
