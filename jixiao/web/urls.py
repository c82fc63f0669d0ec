"""URL map of the web application."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .api import api
from .views import auth, forms, review

urlpatterns = [
    path("login/", auth.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", auth.home, name="home"),
    path("tokens/", auth.tokens, name="tokens"),
    path("units/<int:pk>/", forms.unit_page, name="unit"),
    path("units/<int:pk>/new/", forms.create, name="create"),
    path("units/<int:pk>/upload/", forms.upload, name="upload"),
    path("units/<int:pk>/upload/confirm/", forms.upload_confirm, name="upload_confirm"),
    path("units/<int:pk>/years/", forms.years, name="years"),
    path("forms/<int:pk>/", forms.form_page, name="form"),
    path("forms/<int:pk>/save/", forms.save, name="save"),
    path("forms/<int:pk>/confirm-doubt/", forms.confirm_doubt, name="confirm_doubt"),
    path("forms/<int:pk>/row/", forms.new_row, name="new_row"),
    path("forms/<int:pk>/submit/", forms.submit, name="submit"),
    path("forms/<int:pk>/rescore/", forms.rescore, name="rescore"),
    path("forms/<int:pk>/waive/", forms.waive, name="waive"),
    path("forms/<int:pk>/decide/", forms.decide, name="decide"),
    path("forms/<int:pk>/history/", forms.history, name="history"),
    path("forms/<int:pk>/compare/", forms.compare, name="compare"),
    path("forms/<int:pk>/download.<str:fmt>", forms.download, name="download"),
    path("bureaus/<int:pk>/", review.dashboard, name="dashboard"),
    path("bureaus/<int:pk>/export.<str:fmt>", review.export, name="export"),
    path("bureaus/<int:pk>/profile/", review.choose_profile, name="choose_profile"),
    path("api/", api.urls),
    path("admin/login/", auth.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

#: A database lock met outside a view answers 503 “数据库正忙” rather than the 500 page.
handler500 = "jixiao.web.middleware.server_error"
