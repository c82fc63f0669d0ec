"""Errors that reach the user: each names the place (file, sheet, row, field)."""

from __future__ import annotations

import errno


class InputError(Exception):
    """The input cannot be used: malformed, hostile or not a form.

    ``place`` names where (``"seed.json: indicators[3].weight"``); the CLI prints
    ``place: message`` and exits 2, the web shows it next to the upload.
    """

    def __init__(self, message: str, place: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.place = place

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class LimitError(InputError):
    """What a reader read is a form, but beyond the form limits (``jixiao.model.FORM_LIMITS``): too many rows, a
    30-digit amount. Unlike "no form here", trying another reading of the same input does not help."""


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("indicators", 3, "weight")`` → ``indicators[3].weight``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


#: What the operating system's usual refusals mean, said in Chinese (the system's own text is English).
_OS_REASONS = {
    errno.EACCES: "权限不足", errno.EPERM: "权限不足", errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统只读", errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOENT: "文件夹或文件不存在",
    errno.EISDIR: "这是一个文件夹", errno.EEXIST: "已存在", errno.EFBIG: "文件过大",
}


def os_reason(error: OSError) -> str:
    """Why an operating-system call failed, in Chinese where the reason is a usual one."""
    return _OS_REASONS.get(error.errno or 0) or error.strerror or str(error)
