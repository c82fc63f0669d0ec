"""Importers: any supported file → :class:`~jixiao.model.Form` plus import notes.

Note codes of the table readers (the text reader uses I01–I09):

* ``I10`` 只读取了一部分 — a sheet/PDF beyond the row/page limits was cut;
* ``I11`` 其他表单 — the workbook holds more forms on other sheets (``--sheet``, :func:`read_all`);
* ``I12`` 不是数字 — a weight/score/amount cell is not a number; the field is left empty;
* ``I13`` 还有一张表单 — another form follows on the same sheet/document and was not read.

``read`` decides the format from the file's bytes (see :mod:`.sniff`), applies the safety
limits, then hands the file to the reader of that format. Readers are imported lazily so that
``from jixiao.io import jsonio`` stays cheap.
"""

from __future__ import annotations

import dataclasses
import importlib
import tempfile
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..model import Form
from .jsonio import refusal
from .notes import ImportNote
from .sniff import DEFAULT_LIMITS, FORMATS, Format, Limits, confirm_read, sniff_read

__all__ = ["FORMATS", "ImportNote", "Limits", "read", "read_all", "read_bytes", "read_form"]

Result = tuple[Form, list[ImportNote]]


def detect(path: Path, format: str = "auto", limits: Limits = DEFAULT_LIMITS) -> Format:
    """The format to read ``path`` as: sniffed, or the one asked for after checking the bytes agree."""
    return detect_read(path, format, limits)[0]


def detect_read(path: Path, format: str = "auto", limits: Limits = DEFAULT_LIMITS) -> tuple[Format, bytes | None]:
    """:func:`detect`, with the file's bytes when a small file was read whole to sniff it (read once, not twice)."""
    if format == "auto":
        return sniff_read(path, limits)
    if format not in FORMATS:
        raise InputError(f"未知格式 {format!r}，可选：auto、{'、'.join(FORMATS)}", str(path))
    return confirm_read(path, format, limits)


def _read_text(path: Path, data: bytes | None) -> Result:
    # jixiao.io.text is written on its own branch; until it is merged, say so instead of crashing
    try:
        text_module = importlib.import_module("jixiao.io.text")
    except ModuleNotFoundError:
        raise InputError("此版本尚不支持纯文本导入", str(path)) from None
    result: Result = text_module.read_text(path, data)
    return result


def read(
    path: str | Path, format: str = "auto", sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Result:
    """Read one form from ``path``; ``sheet`` picks a worksheet of a workbook (name or number)."""
    path = Path(path)
    try:
        return _read(path, *detect_read(path, format, limits), sheet)
    except ValidationError as exc:
        raise refusal(exc, str(path)) from None


def _read(path: Path, kind: Format, data: bytes | None, sheet: str | None) -> Result:
    """The form of ``path`` read as ``kind``; ``data`` is the whole file when sniffing read it whole (a JSON or
    text form is then parsed from it; the container formats' libraries open the file themselves)."""
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

        return (jsonio.read(path) if data is None else jsonio.loads(data, str(path))), []
    return _read_text(path, data)


def read_form(path: str | Path, format: str = "auto", sheet: str | None = None) -> Form:
    """Like :func:`read`, without the notes."""
    return read(path, format, sheet)[0]


def read_all(path: str | Path, format: str = "auto", limits: Limits = DEFAULT_LIMITS) -> list[Result]:
    """Every form in the file: all sheets of a workbook, all forms stacked in a PDF or Word file."""
    path = Path(path)
    kind = detect(path, format, limits)
    try:
        return _read_all(path, kind, limits)
    except ValidationError as exc:
        raise refusal(exc, str(path)) from None


def _read_all(path: Path, kind: Format, limits: Limits) -> list[Result]:
    if kind in ("xlsx", "xls"):
        from . import excel

        return excel.read_all(path, kind)
    if kind == "pdf":
        from . import pdf

        return pdf.read_all(path)
    if kind == "docx":
        from . import docx

        return docx.read_all(path)
    return [read(path, kind, limits=limits)]


def read_bytes(
    data: bytes, name: str, format: str = "auto", sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Result:
    """Read a form from bytes (stdin, a web upload); messages and provenance name it ``name``.

    The readers work on files (openpyxl, xlrd and olefile want a seekable file), so the bytes go
    to a private temporary file first; the size limit is checked before anything is written.
    """
    if len(data) > limits.max_file_bytes:
        raise InputError(f"文件过大，超过 {limits.max_file_bytes // 1024 // 1024} MB 上限", name)
    with tempfile.TemporaryDirectory(prefix="jixiao-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            form, notes = read(path, format, sheet, limits)
        except InputError as error:
            raise InputError(error.message, (error.place or "").replace(str(path), name)) from None
    form.provenance = {
        field: location.model_copy(update={"file": name}) for field, location in form.provenance.items()
    }
    renamed = [
        dataclasses.replace(note, location=note.location.model_copy(update={"file": name}))
        if note.location
        else note
        for note in notes
    ]
    return form, renamed
