"""Uploaded files → a draft Form, refusing what is too big, of the wrong type or hostile.

The web adds its own checks (upload size, accepted extensions); the content is judged by the core
importers (:func:`jixiao.io.read_bytes`): format by magic bytes, zip-bomb and size limits, then the reader
of that format, whose import notes say what could not be read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ..errors import InputError
from ..io import read_bytes
from ..io.sniff import DEFAULT_LIMITS
from ..model import Form, name_key
from .doubts import from_notes

#: Extensions people upload forms as; the bytes still decide the format.
ACCEPTED_SUFFIXES = (".json", ".xlsx", ".xls", ".pdf", ".docx", ".txt", ".csv")


@dataclass(frozen=True)
class Imported:
    filename: str
    form: Form
    notes: list[str] = field(default_factory=list)  # what could not be read
    doubts: list[dict[str, Any]] = field(default_factory=list)  # fields the importer doubted (jixiao.web.doubts)


def other_unit(form: Form, unit_name: str) -> str | None:
    """The 单位 written in an uploaded form when it is not the unit it is uploaded into, else None."""
    written = (form.unit or "").strip()
    return written if written and name_key(written) != name_key(unit_name) else None


def _safe_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name[:200] or "upload"


def read_upload(upload: UploadedFile | None) -> Imported:
    """Validate and read an uploaded file; every refusal is an InputError with a Chinese message."""
    if upload is None:
        raise InputError("请选择要上传的文件", "上传")
    name = _safe_name(upload.name or "")
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise InputError(f"文件过大（{upload.size} 字节），上限为 {limit / 1024 / 1024:.0f} MB", name)
    if Path(name).suffix.lower() not in ACCEPTED_SUFFIXES:
        raise InputError(f"文件类型不被接受：只接受 {'、'.join(ACCEPTED_SUFFIXES)}", name)
    content = upload.read(limit + 1)
    if not content.strip():
        raise InputError("文件为空", name)
    limits = dataclasses.replace(DEFAULT_LIMITS, max_file_bytes=limit)
    form, notes = read_bytes(content, name, limits=limits)
    form.provenance = {}
    return Imported(name, form, [note.describe() for note in notes], from_notes(form, notes))
