"""The jixiao Django app."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "jixiao_web"
    verbose_name = "绩效自评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production settings checks)
