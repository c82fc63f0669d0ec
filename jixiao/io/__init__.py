"""Reading forms from files. Canonical JSON for now; the importers add the other formats."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Form
from . import jsonio


def read_form(path: str | Path, format: str = "auto", sheet: str | None = None) -> Form:
    """Read one form from a file."""
    path = Path(path)
    if format not in ("auto", "json"):
        raise InputError(f"暂不支持的格式：{format}", str(path))
    return jsonio.read(path)
