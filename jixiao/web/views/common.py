"""Helpers shared by the views."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ..models import FormRecord, Organisation
from ..permissions import bureau_ids, can_see, unit_ids, visible_forms
from ..services import locked_for_saving


def visible_form(request: HttpRequest, pk: int) -> FormRecord:
    """The form if the user may see it, else 404 (existence is not leaked)."""
    return get_object_or_404(visible_forms(request.user).select_related("unit", "unit__parent"), pk=pk)


def locked_visible_form(request: HttpRequest, pk: int) -> FormRecord:
    """:func:`visible_form` locked for a save (:func:`jixiao.web.services.locked_for_saving`), inside the caller's
    transaction."""
    try:
        record = locked_for_saving(pk)
    except FormRecord.DoesNotExist:
        record = None
    if record is None or not can_see(request.user, record):
        raise Http404("没有这张表或无权查看")
    return record


def member_unit(request: HttpRequest, pk: int) -> Organisation:
    """A unit the user fills in or approves for, else 404."""
    return get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.UNIT, pk__in=unit_ids(request.user))


def reviewed_bureau(request: HttpRequest, pk: int) -> Organisation:
    """A bureau the user reviews, else 404."""
    return get_object_or_404(
        Organisation, pk=pk, kind=Organisation.Kind.BUREAU, pk__in=bureau_ids(request.user)
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def int_param(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
