"""The url-encoded body of a POST (the entry page's 340 fields), parsed by fast-query-parsers.

Django parses it with ``urllib.parse.parse_qsl``, a Python loop over every ``%XX`` escape: the entry page's
Chinese text is thousands of them, and that parse was a fifth of a live save's CPU. The Rust parser gives the
same pairs in a tenth of the time. Where it differs, Django parses (tests/web/test_formbody.py holds them to the
same result for any body): a body over the field limit (Django refuses it), a charset other than UTF-8 (Django
refuses it), a body with an escaped ``=`` (``%3D``: the Rust parser decodes a pair before it splits it at ``=``),
and a key holding ``=`` or ``%`` after decoding — how the Rust parser hands back a pair it could not decode
(invalid UTF-8), where Django replaces the bad bytes with U+FFFD.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from fast_query_parsers import parse_query_string

FORM_TYPE = "application/x-www-form-urlencoded"


def parsed_form(body: bytes) -> QueryDict:
    """The fields of a url-encoded body, exactly as ``QueryDict(body)`` reads them."""
    if body.count(b"&") >= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or b"%3D" in body or b"%3d" in body:
        return QueryDict(body)  # raises TooManyFieldsSent as Django does, or reads the escaped "="
    lists: dict[str, list[str]] = {}
    for key, value in parse_query_string(body, "&"):
        if "=" in key or "%" in key:
            return QueryDict(body)
        lists.setdefault(key, []).append(value)
    fields = QueryDict()
    for key, values in lists.items():
        MultiValueDict.setlist(fields, key, values)  # already text: QueryDict.setlist would convert them again
    return fields


class FormBodyMiddleware:
    """Reads a url-encoded POST with :func:`parsed_form` before anything (CSRF, the view) asks for ``POST``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == FORM_TYPE
            and (request.encoding or "utf-8").lower() == "utf-8"
        ):
            request.POST = parsed_form(request.body)  # type: ignore[misc]  # body: Django's size limit holds
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)
