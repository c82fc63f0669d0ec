"""Uploaded files → a draft Form, refusing what is too big, of the wrong type or hostile.

The type is decided by sniffing the content, never by the file name alone. Canonical JSON is read here;
the spreadsheet/PDF/Word/text formats go through the core's ``jixiao.io.read_form`` (its importers).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ..errors import InputError
from ..io import jsonio, read_form
from ..model import Form

#: Leading bytes → the family a file belongs to.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),  # xlsx/docx
    (b"\xd0\xcf\x11\xe0", "ole"),  # xls/doc
    (b"%PDF-", "pdf"),
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"#!", "executable"),
    (b"\x1f\x8b", "archive"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
)
SUFFIXES = {
    "zip": {".xlsx", ".docx"},
    "ole": {".xls", ".doc"},
    "pdf": {".pdf"},
    "text": {".json", ".txt", ".csv"},
}


@dataclass(frozen=True)
class Imported:
    filename: str
    form: Form
    notes: list[str] = field(default_factory=list)  # what could not be read


def sniff(head: bytes) -> str:
    """The family of a file from its first bytes: zip, ole, pdf, text, executable, archive or binary."""
    for magic, family in SIGNATURES:
        if head.startswith(magic):
            return family
    sample = head[:4096]
    if b"\x00" in sample:
        return "binary"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            sample.decode(encoding)
            return "text"
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut by the sample's end
                return "text"
    return "binary"


def _safe_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name[:200] or "upload"


def read_upload(upload: UploadedFile | None) -> Imported:
    """Validate and read an uploaded file; every refusal is an InputError with a Chinese message."""
    if upload is None:
        raise InputError("请选择要上传的文件", "上传")
    name = _safe_name(upload.name or "")
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise InputError(f"文件过大（{upload.size} 字节），上限为 {limit // 1024 // 1024} MB", name)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise InputError(f"文件过大，上限为 {limit // 1024 // 1024} MB", name)
    if not content.strip():
        raise InputError("文件为空", name)
    family = sniff(content[:8192])
    suffix = Path(name).suffix.lower()
    if family in ("executable", "archive", "binary"):
        raise InputError("文件类型不被接受（看起来是程序、压缩包或未知二进制文件）", name)
    if suffix not in SUFFIXES.get(family, set()):
        raise InputError(f"文件扩展名 {suffix or '（无）'} 与内容（{family}）不符", name)
    if suffix == ".json":
        return Imported(name, jsonio.loads(content, name))
    return _read_other(name, content)


def _read_other(name: str, content: bytes) -> Imported:
    """Excel/PDF/Word/text through the core importers (``jixiao.io.read_form``), under the upload's name."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            form = read_form(path)
        except InputError as error:  # name the upload, not the temporary copy
            raise InputError(error.message, (error.place or name).replace(str(path), name)) from None
    return Imported(name, form.model_copy(update={"provenance": {}}))
