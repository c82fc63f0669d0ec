"""Errors that reach the user: each names the place (file, sheet, row, field)."""

from __future__ import annotations


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


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("indicators", 3, "weight")`` → ``indicators[3].weight``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
