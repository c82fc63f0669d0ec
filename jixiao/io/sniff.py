"""Format detection by content (magic bytes) and the safety limits checked before any parser runs.

Office files are containers: an ``.xlsx``/``.docx`` is a zip, an ``.xls`` (and an *encrypted*
``.xlsx``/``.docx``) is an OLE2 compound file. The extension is only a hint people get wrong
(an HTML table saved as ``.xls`` is common), so the bytes decide.

Zip bombs: every limit is checked on the central directory *before* openpyxl/python-docx inflate
anything. The declared sizes can be trusted as an upper bound because :mod:`zipfile` stops
inflating a member at its declared ``file_size`` (and then fails the CRC check), so a lying
header cannot make a reader produce more than we accepted here.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError

Format = Literal["text", "xlsx", "xls", "pdf", "docx", "json"]
FORMATS: tuple[Format, ...] = ("text", "xlsx", "xls", "pdf", "docx", "json")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 8192
#: A file up to this size is read whole when its format is sniffed, so the reader of a JSON or text form (a few
#: KB) takes these bytes instead of opening the file again (in a batch, one read per file instead of two).
WHOLE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for one imported file (a real form is a few hundred KB at most)."""

    max_file_bytes: int = 50 * 1024 * 1024  # 50 MB on disk
    # all zip members together, inflated: a real workbook's parts add up to a few MB
    max_unpacked_bytes: int = 24 * 1024 * 1024
    # one inflated part (a sheet's XML, the shared strings): a form's sheet is well under 1 MB
    max_member_bytes: int = 8 * 1024 * 1024
    max_member_ratio: int = 100  # inflated / compressed, for members above `ratio_floor`
    ratio_floor: int = 1024 * 1024  # small members may compress well without harm
    max_members: int = 2000
    # one PDF data stream, inflated (a page's content, an embedded CJK font subset: a few MB at most)
    max_pdf_stream_bytes: int = 32 * 1024 * 1024
    max_pdf_unpacked_bytes: int = 128 * 1024 * 1024  # all streams of a PDF together, inflated
    max_pdf_pages: int = 30  # a form is 1-5 pages; more means this is a report, not a form


DEFAULT_LIMITS = Limits()


def check_size(path: Path, limits: Limits = DEFAULT_LIMITS) -> int:
    """The file's size, after refusing missing, empty and oversized files (nothing is read)."""
    place = str(path)
    try:
        if not path.is_file():
            raise InputError("无法读取：文件不存在或不是普通文件", place)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", place) from None
    return check_known_size(size, place, limits)


def check_known_size(size: int, place: str, limits: Limits = DEFAULT_LIMITS) -> int:
    """``size``, after refusing an empty or oversized file at ``place`` (its size known from a ``stat``)."""
    if size == 0:
        raise InputError("文件为空（0 字节）", place)
    if size > limits.max_file_bytes:
        raise InputError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {limits.max_file_bytes // 1024 // 1024} MB 上限；"
            "一张自评表通常不足 1 MB，请确认文件是否正确",
            place,
        )
    return size


def read_head(path: Path, size: int = 0) -> bytes:
    """The first :data:`HEAD_BYTES` of the file, or all of it when its ``size`` is at most :data:`WHOLE_BYTES`."""
    try:
        with path.open("rb") as handle:
            return handle.read(size if HEAD_BYTES < size <= WHOLE_BYTES else HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", str(path)) from None


def zip_members(path: Path, limits: Limits = DEFAULT_LIMITS) -> set[str]:
    """Names in a zip container, after the zip-bomb checks on its central directory."""
    place = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"zip 容器已损坏，无法打开（{exc}）", place) from None
    if len(infos) > limits.max_members:
        raise InputError(f"压缩包内文件过多（{len(infos)} 个），疑似恶意文件", place)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise InputError(f"解压后体积过大（{unpacked / 1024 / 1024:.0f} MB），疑似压缩炸弹，已拒绝", place)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_member_ratio:
            raise InputError(
                f"压缩比异常（{info.filename} 压缩比 {ratio:.0f}:1），疑似压缩炸弹，已拒绝", place
            )
        if info.file_size > limits.max_member_bytes:
            raise InputError(
                f"{info.filename} 解压后 {info.file_size / 1024 / 1024:.0f} MB，超过单个部件 "
                f"{limits.max_member_bytes // 1024 // 1024} MB 上限（一张自评表不足 1 MB）",
                place,
            )
    return {info.filename for info in infos}


#: A stream object's dictionary, its data and the end keyword: ``<< … >> stream\r\n … endstream``.
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_INFLATE_STEP = 1024 * 1024


def _inflated_size(data: bytes, layers: int, limit: int) -> int:
    """Bytes that ``layers`` chained FlateDecode filters make of ``data``, counted up to ``limit`` + 1.

    The output is inflated a step at a time and thrown away (``max_length``), so a bomb costs at most
    ``limit`` bytes of work and one step of memory; damaged data counts what inflated before the damage.
    """
    inflaters = [zlib.decompressobj() for _ in range(layers)]
    size = 0
    pending = [data]
    try:
        for level, inflater in enumerate(inflaters):
            produced: list[bytes] = []
            for chunk in pending:
                piece = inflater.decompress(chunk, _INFLATE_STEP)
                while piece:
                    if level == layers - 1:
                        size += len(piece)
                        if size > limit:
                            return size
                    else:
                        produced.append(piece)
                        if sum(map(len, produced)) > limit:
                            return limit + 1
                    piece = inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP)
            pending = produced
    except zlib.error:
        pass
    return size


def pdf_streams(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a PDF whose compressed data streams inflate beyond the limits (a PDF zip bomb).

    pdfminer inflates every stream it touches in one call with no limit (1 MB of upload made 1 GB), so
    the streams are measured here first, from the raw bytes, before pdfplumber opens the file.
    """
    place = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", place) from None
    total = 0
    for match in _PDF_STREAM.finditer(raw):
        head = raw[max(0, match.start() - 2048) : match.start()]
        if not head.rstrip().endswith(b">>"):
            continue  # the word "stream" inside other data
        dictionary = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        layers = len(_PDF_FLATE.findall(dictionary))
        if not layers:
            continue
        end = raw.find(b"endstream", match.end())
        data = raw[match.end() : end if end >= 0 else len(raw)]
        size = _inflated_size(data, layers, limits.max_pdf_stream_bytes)
        total += size
        if size > limits.max_pdf_stream_bytes or total > limits.max_pdf_unpacked_bytes:
            raise InputError(
                f"PDF 中的压缩数据解压后超过 {limits.max_pdf_stream_bytes // 1024 // 1024} MB"
                f"（全部数据上限 {limits.max_pdf_unpacked_bytes // 1024 // 1024} MB），疑似压缩炸弹，已拒绝",
                place,
            )


def ole_kind(path: Path) -> Format:
    """Classify an OLE2 compound file: legacy .xls, or refuse encrypted and unsupported ones."""
    import olefile  # only an OLE2 file needs it: a JSON or text form starts without it

    place = str(path)
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, IndexError, TypeError) as exc:  # olefile raises these on damage
        raise InputError(f"Office 复合文档已损坏，无法打开（{exc}）", place) from None
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise InputError("文件有密码保护（已加密），无法读取；请在 Excel/WPS 中取消密码后另存再导入", place)
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        raise InputError("旧版 Word（.doc）文件不支持，请在 Word/WPS 中另存为 .docx 再导入", place)
    raise InputError("无法识别的 Office 复合文档（既不是 .xls 也不是 .docx）", place)


_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f\x1b")


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes, many control bytes)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text with a byte-order mark
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    return controls > len(head) // 20


def sniff(path: Path, limits: Limits = DEFAULT_LIMITS) -> Format:
    """The format of ``path`` judged by its content; raises InputError for unusable files."""
    return sniff_read(path, limits)[0]


def sniff_read(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Format, bytes | None]:
    """:func:`sniff`, with the file's bytes when it was small enough to be read whole (:data:`WHOLE_BYTES`)."""
    size = check_size(path, limits)
    head = read_head(path, size)
    whole = head if len(head) == size else None
    if b"%PDF-" in head[:1024]:
        pdf_streams(path, limits)
        return "pdf", whole
    if head.startswith(ZIP_MAGIC):
        names = zip_members(path, limits)
        if "xl/workbook.xml" in names:
            return "xlsx", whole
        if "word/document.xml" in names:
            return "docx", whole
        raise InputError("这是一个 zip 压缩包，但不是 Excel（.xlsx）或 Word（.docx）文件", str(path))
    if head.startswith(OLE2_MAGIC):
        return ole_kind(path), whole
    head = head[:HEAD_BYTES]  # a text is judged by its start, however much of it was read
    if looks_binary(head):
        raise InputError("无法识别的二进制文件（不是 Excel、Word、PDF、JSON 或文本）", str(path))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "json", whole
    return "text", whole


def confirm(path: Path, wanted: Format, limits: Limits = DEFAULT_LIMITS) -> Format:
    """Check that a file given with an explicit ``--format`` really is that format."""
    return confirm_read(path, wanted, limits)[0]


def confirm_read(path: Path, wanted: Format, limits: Limits = DEFAULT_LIMITS) -> tuple[Format, bytes | None]:
    """:func:`confirm`, with the file's bytes as :func:`sniff_read` gives them."""
    found, whole = sniff_read(path, limits)
    if wanted == "text" and found == "json":
        return wanted, whole
    if found != wanted:
        raise InputError(f"指定的格式为 {wanted}，但文件内容是 {found}", str(path))
    return wanted, whole
