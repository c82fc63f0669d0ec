"""One login throttle for every sign-in form (the site's and /admin/'s), counted in the database.

Two counters guard a login (登录限制):

* the account *from this address*: ``JIXIAO_LOGIN_MAX_FAILURES`` attempts that did not sign in lock that pair,
  so guessing a password from one machine stops there — while the rightful user, at another address, still
  signs in (a lockout never shuts out the account everywhere);
* the address alone: ``JIXIAO_LOGIN_MAX_ADDRESS_FAILURES`` failures over all accounts lock it (one machine
  trying many accounts).

An attempt is counted *before* the password is checked, atomically (a row lock), so twenty concurrent
guesses get exactly the allowed number of answers. The client address is the TCP peer, or — only when that
peer is one of ``JIXIAO_TRUSTED_PROXIES`` — the last address the proxies added to ``X-Forwarded-For``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import LoginAttempt
from .proxies import client_address


def _window() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=settings.JIXIAO_LOGIN_LOCK_SECONDS)


def _count(key: str, add: int) -> int:
    """The attempts of ``key`` in its window after adding ``add`` (0 only reads), under a row lock."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = LoginAttempt.objects.select_for_update().get_or_create(key=key, defaults={"expires": _window()})
        if row.expires <= now:
            row.count, row.expires = 0, _window()
        if add:
            row.count += add
            row.save(update_fields=["count", "expires"])
    return row.count


def _keys(request: HttpRequest) -> tuple[str, str]:
    username = str(request.POST.get("username", "")).strip().lower()[:150]
    address = client_address(request)
    return f"account:{username}@{address}", f"address:{address}"


def _locked_message() -> str:
    minutes = max(1, settings.JIXIAO_LOGIN_LOCK_SECONDS // 60)
    return f"登录失败次数过多，请 {minutes} 分钟后再试。"


def throttled(locked: Callable[[HttpRequest, str], HttpResponse]) -> Callable[[Any], Any]:
    """Wrap a login view: count each POST first, answer ``locked(request, message)`` (429) beyond the limits."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            pair, address = _keys(request)
            if (
                _count(address, 0) >= settings.JIXIAO_LOGIN_MAX_ADDRESS_FAILURES
                or _count(pair, 1) > settings.JIXIAO_LOGIN_MAX_FAILURES
            ):
                return locked(request, _locked_message())
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                LoginAttempt.objects.filter(key=pair).delete()
            else:
                _count(address, 1)
            return response

        return wrapper

    return decorate
