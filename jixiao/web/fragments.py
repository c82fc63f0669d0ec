"""Rendered template fragments kept by what they show, for pages that repeat mostly unchanged pieces.

A live save answers with one result cell per indicator row and the review dashboard has one line per unit;
between two requests almost all of them read the same, and rendering them again was most of those requests'
template time. A fragment is looked up by a *signature*: every value its template displays (decimals as
text, since 1.0 and 1.00 are equal but print differently) plus the active language.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.template.loader import get_template
from django.utils.translation import get_language


class Fragments:
    """One template's rendered fragments; bounded (emptied when full), safe to share between threads."""

    def __init__(self, template_name: str, limit: int = 8192) -> None:
        self.template_name = template_name
        self.limit = limit
        self._rendered: dict[tuple[Hashable, ...], str] = {}

    def render(self, signature: tuple[Hashable, ...], context: dict[str, Any]) -> str:
        """The fragment for ``context``, which must show nothing that ``signature`` does not hold."""
        key = (get_language(), *signature)
        html = self._rendered.get(key)
        if html is None:
            if len(self._rendered) >= self.limit:
                self._rendered.clear()
            html = self._rendered[key] = get_template(self.template_name).render(context)
        return html
