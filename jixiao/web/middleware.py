"""Request and response guards: login required, proxy headers only from our proxies, the content security policy
and a busy database answered as such.

Login is required everywhere except the login page, static files and the token-authenticated API.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

from .proxies import trusted

OPEN_PREFIXES = ("/login/", "/static/", "/api/", "/admin/login/")

#: What a write blocked by the database's lock answers (503): the user's input stays on the page.
BUSY_MESSAGE = "数据库正忙，请稍后重试（本次操作没有执行，页面上的内容仍在）"


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class TrustedProxyMiddleware:
    """``X-Forwarded-Proto`` counts only from ``JIXIAO_TRUSTED_PROXIES`` (first in the chain, before Django's
    SecurityMiddleware reads it through ``SECURE_PROXY_SSL_HEADER``): anyone else could claim HTTPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not trusted(str(request.META.get("REMOTE_ADDR", ""))):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """``Content-Security-Policy: JIXIAO_CSP`` on every response (all scripts and styles ship with the package)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.JIXIAO_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.JIXIAO_CSP
        return response


def is_busy(exc: BaseException | None) -> bool:
    """A database lock that did not come free within the busy timeout (SQLite: “database is locked”)."""
    return isinstance(exc, OperationalError) and "locked" in str(exc)


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with the Chinese message: JSON for the API, text for a page or an htmx save; retry in a few seconds."""
    if request.path.startswith("/api/"):
        response = HttpResponse(json.dumps({"detail": BUSY_MESSAGE}, ensure_ascii=False), status=503,
                                content_type="application/json")
    else:
        response = HttpResponse(BUSY_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(max(1, math.ceil(settings.JIXIAO_SQLITE_BUSY_SECONDS)))  # whole seconds
    return response


class DatabaseBusyMiddleware:
    """A view whose write found the database locked answers 503 “数据库正忙” instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exc) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lock met outside a view (a session saved by the middleware) is still “busy”, not a 500."""
    from django.views.defaults import server_error as django_server_error

    if is_busy(sys.exc_info()[1]):
        return busy_response(request)
    return django_server_error(request)
