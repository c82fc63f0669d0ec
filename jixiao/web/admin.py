"""The administrator's pages (/admin/): organisations, people and their roles, rule profiles, tokens.

Forms are read-only here: every change of a form goes through the workflow and its history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, FormRecord, Membership, Organisation, RuleChoice

admin.site.site_header = "jixiao 预算绩效自评 · 系统管理"
admin.site.site_title = "jixiao 管理"
admin.site.index_title = "组织、人员与规则"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user", "organisation")


@admin.register(RuleChoice)
class RuleChoiceAdmin(admin.ModelAdmin):
    list_display = ("bureau", "year", "profile")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created")
    readonly_fields = ("user", "name", "digest", "created")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued by their owner on the 令牌 page (shown once)


@admin.register(FormRecord)
class FormRecordAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "kind", "title", "status", "version", "total_computed", "grade")
    list_filter = ("status", "year", "kind")
    search_fields = ("unit__name", "title")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
