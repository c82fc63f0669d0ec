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
    """One template's rendered fragments, safe to share between threads.

    Bounded by bytes, not only by entries: a signature holds what the user typed (an explanation quotes the
    indicator's values), so a count alone would let a few huge fragments hold hundreds of MB. When either bound
    is reached the cache is emptied and refills with what is shown now.
    """

    def __init__(self, template_name: str, limit: int = 8192, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.template_name = template_name
        self.limit = limit
        self.max_bytes = max_bytes
        self._rendered: dict[tuple[Hashable, ...], str] = {}
        self.bytes = 0  # characters held in keys and fragments: what the bound counts

    def render(self, signature: tuple[Hashable, ...], context: dict[str, Any]) -> str:
        """The fragment for ``context``, which must show nothing that ``signature`` does not hold."""
        key = (get_language(), *signature)
        html = self._rendered.get(key)
        if html is None:
            html = get_template(self.template_name).render(context)
            size = len(html) + sum(len(str(part)) for part in key)
            if size > self.max_bytes:
                return html  # never kept: it alone would fill the cache
            if len(self._rendered) >= self.limit or self.bytes + size > self.max_bytes:
                self._rendered.clear()
                self.bytes = 0
            self._rendered[key] = html
            self.bytes += size
        return html
