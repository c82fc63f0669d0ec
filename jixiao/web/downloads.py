"""A stored form as a file: canonical JSON, or the official layout (xlsx/PDF, with the review columns)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ..audit import evaluate
from ..io import jsonio
from ..model import Form
from ..report import pdf, xlsx
from ..report.layout import layout_for
from ..rules import load_profile

#: format → (writer of the report package, content type)
FORMATS: dict[str, tuple[Callable[..., Path] | None, str]] = {
    "json": (None, "application/json; charset=utf-8"),
    "xlsx": (xlsx.write, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (pdf.write, "application/pdf"),
}


def render(form: Form, profile: str, fmt: str, doubted: Collection[str] = ()) -> tuple[bytes, str]:
    """The file's bytes and content type; KeyError for an unknown format. ``doubted``: open doubts' paths."""
    writer, content_type = FORMATS[fmt]
    if writer is None:
        return jsonio.dumps(form).encode(), content_type
    card, findings = evaluate(form, load_profile(profile), doubted)
    with tempfile.TemporaryDirectory(prefix="jixiao-download-") as folder:
        written: Any = writer(form, card, findings, Path(folder) / f"form.{fmt}", layout_for(form))
        return Path(written).read_bytes(), content_type
