"""Importers: any supported file → :class:`~jixiao.model.Form` plus import notes.

Note codes of the table readers (the text reader uses I01–I09):

* ``I10`` 只读取了一部分 — a sheet/PDF beyond the row/page limits was cut;
* ``I11`` 其他表单 — the workbook holds more forms on other sheets (``--sheet``, :func:`read_all`);
* ``I12`` 不是数字 — a weight/score/amount cell is not a number; the field is left empty.

``read`` decides the format from the file's bytes (see :mod:`.sniff`), applies the safety
limits, then hands the file to the reader of that format. Readers are imported lazily so that
``from jixiao.io import jsonio`` stays cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from ..model import Form
from .notes import ImportNote
from .sniff import DEFAULT_LIMITS, FORMATS, Format, Limits, confirm, sniff

__all__ = ["FORMATS", "ImportNote", "Limits", "read", "read_all", "read_form"]

Result = tuple[Form, list[ImportNote]]


def detect(path: Path, format: str = "auto", limits: Limits = DEFAULT_LIMITS) -> Format:
    """The format to read ``path`` as: sniffed, or the one asked for after checking the bytes agree."""
    if format == "auto":
        return sniff(path, limits)
    if format not in FORMATS:
        raise InputError(f"未知格式 {format!r}，可选：auto、{'、'.join(FORMATS)}", str(path))
    return confirm(path, format, limits)


def _read_text(path: Path) -> Result:
    # jixiao.io.text is written on its own branch; until it is merged, say so instead of crashing
    try:
        text_module = importlib.import_module("jixiao.io.text")
    except ModuleNotFoundError:
        raise InputError("此版本尚不支持纯文本导入", str(path)) from None
    result: Result = text_module.read_text(path)
    return result


def read(
    path: str | Path, format: str = "auto", sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Result:
    """Read one form from ``path``; ``sheet`` picks a worksheet of a workbook (name or number)."""
    path = Path(path)
    kind = detect(path, format, limits)
    if kind in ("xlsx", "xls"):
        from . import excel

        return excel.read(path, kind, sheet)
    if kind == "pdf":
        from . import pdf

        return pdf.read(path)
    if kind == "docx":
        from . import docx

        return docx.read(path)
    if kind == "json":
        from . import jsonio

        return jsonio.read(path), []
    return _read_text(path)


def read_form(path: str | Path, format: str = "auto", sheet: str | None = None) -> Form:
    """Like :func:`read`, without the notes."""
    return read(path, format, sheet)[0]


def read_all(path: str | Path, format: str = "auto", limits: Limits = DEFAULT_LIMITS) -> list[Result]:
    """Every form in the file: one per sheet of a workbook, else the single form."""
    path = Path(path)
    kind = detect(path, format, limits)
    if kind in ("xlsx", "xls"):
        from . import excel

        return excel.read_all(path, kind)
    return [read(path, kind, limits=limits)]
