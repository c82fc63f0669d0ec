"""Exporters and reports: the official layout (xlsx, PDF) and a readable report (HTML, Markdown).

Every writer has the same signature ``write(form, card, findings, path, layout=None)``:
``card`` is the :class:`~jixiao.scoring.Scorecard` (or None for the form as declared),
``findings`` the audit :class:`~jixiao.audit.Finding` list. Layouts are data in ``layouts/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def layout_dir() -> Path:
    """The shipped layouts (``layouts/*.toml``)."""
    return Path(str(resources.files(__name__) / "layouts"))


def list_layouts() -> list[str]:
    """Names of the shipped layouts (here, not in :mod:`.layout`: the command line's help lists them without
    loading pydantic)."""
    return sorted(p.stem for p in layout_dir().glob("*.toml"))
