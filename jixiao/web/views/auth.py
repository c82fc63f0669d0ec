"""Sign-in with throttling, sign-out, home page and API tokens."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from ..models import ApiToken, FormRecord, Organisation
from ..permissions import bureau_ids, unit_ids, visible_forms
from ..throttle import throttled
from .common import int_param


def _locked_page(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "jixiao/login.html", {"locked": message}, status=429)


@method_decorator(throttled(_locked_page), name="post")
class ThrottledLoginView(auth_views.LoginView):
    """Django's login behind the login throttle (:mod:`jixiao.web.throttle`)."""

    template_name = "jixiao/login.html"
    redirect_authenticated_user = True


#: /admin/login/ behind the same throttle as the site's login.
admin_login = throttled(_locked_page)(admin.site.login)


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
            ApiToken.objects.filter(user=request.user, pk=int_param(request.POST["delete"], 0)).delete()
        else:
            name = str(request.POST.get("name", "")).strip()[:100] or "未命名"
            _, new_key = ApiToken.issue(request.user, name)
    response = render(
        request,
        "jixiao/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "new_key": new_key},
    )
    response["Cache-Control"] = "no-store"  # a new key is shown once: never from a cache
    return response
