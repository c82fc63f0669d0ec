"""Sign-in with throttling, sign-out, home page and API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..models import ApiToken, FormRecord, Organisation
from ..permissions import bureau_ids, unit_ids, visible_forms
from .common import client_ip


def _throttle_key(request: HttpRequest) -> str:
    username = str(request.POST.get("username", "")).strip().lower()[:150]
    return f"jixiao:login-failures:{username}:{client_ip(request)}"


def _failures() -> Any:
    return caches["throttle"]


class ThrottledLoginView(auth_views.LoginView):
    """Django's login, locked for a while after too many failures for the same username and address."""

    template_name = "jixiao/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _failures().get(_throttle_key(request), 0) >= settings.JIXIAO_LOGIN_MAX_FAILURES:
            minutes = max(1, settings.JIXIAO_LOGIN_LOCK_SECONDS // 60)
            form = self.get_form()
            form.errors.clear()
            context = self.get_context_data(form=form, locked=f"登录失败次数过多，请 {minutes} 分钟后再试。")
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        key = _throttle_key(self.request)
        _failures().add(key, 0, settings.JIXIAO_LOGIN_LOCK_SECONDS)
        _failures().incr(key)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        _failures().delete(_throttle_key(self.request))
        return super().form_valid(form)


def home(request: HttpRequest) -> HttpResponse:
    """The work list: my units and bureaus, and the forms waiting for me."""
    units = Organisation.objects.filter(pk__in=unit_ids(request.user)).select_related("parent")
    bureaus = Organisation.objects.filter(pk__in=bureau_ids(request.user), kind=Organisation.Kind.BUREAU)
    forms = visible_forms(request.user).select_related("unit").defer("data")
    Status = FormRecord.Status
    to_fill = forms.filter(unit__in=units, status__in=(Status.DRAFT, Status.RETURNED)).order_by("-updated_at")
    to_review = forms.exclude(unit__in=units).filter(status=Status.SUBMITTED).order_by("updated_at")
    context = {"units": units, "bureaus": bureaus, "to_fill": to_fill[:50], "to_review": to_review[:50]}
    return render(request, "jixiao/home.html", context)


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if request.POST.get("delete"):
            ApiToken.objects.filter(user=request.user, pk=request.POST["delete"]).delete()
        else:
            name = str(request.POST.get("name", "")).strip()[:100] or "未命名"
            _, new_key = ApiToken.issue(request.user, name)
    return render(
        request,
        "jixiao/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "new_key": new_key},
    )
