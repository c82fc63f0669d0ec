"""``{% doubt doubts "indicators" ind.key "weight" %}``: the attributes that highlight a doubted cell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def field_path(*parts: Any) -> str:
    """``("funds.rows", 0, "budget")`` → ``funds.rows[0].budget``: numbers are list positions."""
    path = ""
    for part in map(str, parts):
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path


@register.simple_tag
def doubt(doubts: dict[str, Any] | None, *parts: Any) -> SafeString | str:
    """``data-doubt`` and a tooltip with the import note when the cell at that path is doubted."""
    found = doubts.get(field_path(*parts)) if doubts else None
    if found is None:
        return ""
    return format_html(' data-doubt="1" title="导入存疑：{}"', found.message)
