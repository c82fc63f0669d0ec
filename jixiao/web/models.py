"""Organisations, people's roles, stored forms with their workflow, review comments and API tokens.

A form is stored as its canonical JSON text (exact decimals, the published contract) plus denormalised
score columns recomputed on every save, so the dashboard never re-scores 500 forms per request.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

from ..audit.waivers import Waiver
from ..io import jsonio
from ..model import Form
from .compiled import insert_copy, update_row
from .engine import DEFAULT_PROFILE, Evaluation
from .repair import fitted

#: Attribute of a user object holding its (organisation, role) pairs for the rest of the request.
MEMBERSHIP_CACHE = "_jixiao_memberships"


class _HistoryAccess(HistoryDescriptor):  # type: ignore[misc]
    """``record.history`` with its manager class made once: simple-history's own descriptor builds a new class
    (``Manager.from_queryset``, which inspects every method of the queryset) on each access, and a save reads it
    to write its history row."""

    def __init__(self, model: Any, manager: Any, queryset: Any) -> None:
        super().__init__(model, manager=manager, queryset=queryset)
        self.manager = manager.from_queryset(queryset)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.manager(self.model, instance)


class History(HistoricalRecords):  # type: ignore[misc]
    """django-simple-history's field-level history (:class:`HistoricalRecords`) with :class:`_HistoryAccess`."""

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:  # this model's own history (not one it merely inherits)
            setattr(sender, self.manager_name,
                    _HistoryAccess(descriptor.model, descriptor.manager_class, descriptor.queryset_class))


class Organisation(models.Model):
    """A node of the tree 财政局 (bureau) → 主管部门 (department) → 预算单位 (unit)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "财政局"
        DEPARTMENT = "department", "主管部门"
        UNIT = "unit", "预算单位"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )

    class Meta:
        ordering = ("name",)
        verbose_name = verbose_name_plural = "组织"

    def __str__(self) -> str:
        return self.name

    @property
    def bureau(self) -> Organisation:
        """The bureau at the root of this node's tree."""
        node = self
        while node.parent_id is not None and node.kind != self.Kind.BUREAU:
            node = node.parent  # type: ignore[assignment]
        return node

    def units(self) -> models.QuerySet[Organisation]:
        """All units under this node (two levels at most: bureau → department → unit)."""
        return Organisation.objects.filter(kind=self.Kind.UNIT).filter(
            models.Q(parent=self) | models.Q(parent__parent=self) | models.Q(pk=self.pk)
        )


class Membership(models.Model):
    """A user's role in an organisation: filler/approver of a unit, reviewer/admin of a bureau."""

    class Role(models.TextChoices):
        FILLER = "filler", "填报人"
        APPROVER = "approver", "审核人"
        REVIEWER = "reviewer", "财政审核人"
        ADMIN = "admin", "管理员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="用户")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name="组织")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        unique_together = (("user", "organisation", "role"),)
        verbose_name = verbose_name_plural = "人员角色"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.user.__dict__.pop(MEMBERSHIP_CACHE, None)  # permissions re-read the user's roles

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.user.__dict__.pop(MEMBERSHIP_CACHE, None)
        return super().delete(*args, **kwargs)


class RuleChoice(models.Model):
    """The rule profile a bureau applies to one year's forms."""

    bureau = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rule_choices",
                               verbose_name="财政局")
    year = models.PositiveIntegerField("年度")
    profile = models.CharField("评分规则", max_length=100, default=DEFAULT_PROFILE)

    class Meta:
        unique_together = (("bureau", "year"),)
        verbose_name = verbose_name_plural = "年度评分规则"

    @staticmethod
    def profile_for(bureau: Organisation, year: int) -> str:
        choice = RuleChoice.objects.filter(bureau=bureau, year=year).first()
        return choice.profile if choice else DEFAULT_PROFILE


#: The figures of :func:`jixiao.analytics.execution_figures` a FormRecord keeps (the others it has already).
WARNING_FIGURES = (
    "budget",
    "execution_weight",
    "execution_score",
    "indicators_weight",
    "indicators_declared",
    "indicators_score",
)


class FormRecord(models.Model):
    """One 绩效自评表 of a unit for a year, with its workflow status and optimistic-lock version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "部门整体支出"
        PROJECT = "project", "项目支出"

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="forms", verbose_name="单位")
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=300)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    profile = models.CharField("评分规则", max_length=100, default=DEFAULT_PROFILE)
    #: ``id@version`` of the rules the stored totals were computed with; a newer version re-scores only when asked.
    scored_with = models.CharField("评分规则版本", max_length=120, blank=True)
    data = models.TextField("表单内容（规范 JSON）")
    # Denormalised from the scorer on every save (dashboard columns).
    total_declared = models.DecimalField("申报总分", max_digits=24, decimal_places=4, null=True)
    total_computed = models.DecimalField("计算总分", max_digits=24, decimal_places=4, default=Decimal(0))
    grade = models.CharField("等级", max_length=4, blank=True)
    execution_rate = models.DecimalField("执行率", max_digits=30, decimal_places=4, null=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    warning_count = models.PositiveIntegerField("警告数", default=0)
    finding_codes = models.CharField("问题代码", max_length=2000, blank=True)
    # The execution warning's inputs (rules-digest §2.7), as in the batch forms table.
    budget = models.DecimalField("全年预算数", max_digits=30, decimal_places=6, null=True)
    execution_weight = models.DecimalField("执行率分值", max_digits=26, decimal_places=6, null=True)
    execution_score = models.DecimalField("执行率得分", max_digits=26, decimal_places=6, null=True)
    indicators_weight = models.DecimalField("指标分值合计", max_digits=26, decimal_places=6, null=True)
    indicators_declared = models.DecimalField("指标自评得分合计", max_digits=26, decimal_places=6, null=True)
    indicators_score = models.DecimalField("指标计算得分合计", max_digits=26, decimal_places=6, null=True)
    import_notes = models.TextField("导入提示（未能读取的内容）", blank=True)
    #: Fields the importer doubted (jixiao.web.doubts), open until the filler confirms or corrects them.
    doubts = models.JSONField("导入存疑的字段", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="创建人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = History(excluded_fields=("updated_at",))

    class Meta:
        ordering = ("unit__name", "year", "kind", "title")
        indexes = (models.Index(fields=["year", "status"]),)
        # One 部门整体支出 form per unit and year, one 项目支出 form per unit, year and project: the services check
        # first (a Chinese message naming the field), these constraints hold against races and any other writer.
        constraints = (
            models.UniqueConstraint(fields=["unit", "year"], condition=models.Q(kind="department"),
                                    name="jixiao_one_department_form_per_year"),
            models.UniqueConstraint(fields=["unit", "year", "title"], condition=models.Q(kind="project"),
                                    name="jixiao_one_form_per_project_and_year"),
        )
        verbose_name = verbose_name_plural = "自评表"

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} {self.title}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> FormRecord:
        record = super().from_db(db, field_names, values)
        record._as_read = _as_stored(zip(field_names, values, strict=True))
        return record

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._stored(kwargs.get("update_fields"))

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._stored(kwargs.get("fields", args[1] if len(args) > 1 else None))

    def _stored(self, names: Any) -> None:
        """The row now holds these columns' current values (all of them if ``names`` is None): what
        changed_columns compares with from now on."""
        fields = [f for f in self._meta.concrete_fields if not f.primary_key and f.attname in self.__dict__]  # not deferred
        if names is not None:
            wanted = set(names)
            fields = [f for f in fields if f.name in wanted or f.attname in wanted]
        as_read: dict[str, Any] = self.__dict__.get("_as_read") or {}
        as_read.update(_as_stored((f.attname, getattr(self, f.attname)) for f in fields))
        self._as_read = as_read

    def changed_columns(self) -> list[str] | None:
        """The columns whose value differs from the row as read, with ``updated_at`` (every save sets it): what a
        save need write. None for a form not read from the database (a save then writes every column)."""
        as_read: dict[str, Any] | None = self.__dict__.get("_as_read")
        if as_read is None:
            return None
        changed = [f.attname for f in self._meta.concrete_fields
                   if not f.primary_key and (f.attname not in as_read or getattr(self, f.attname) != as_read[f.attname])]
        return sorted({*changed, "updated_at"})

    def save_edit(self, user: Any, reason: str) -> None:
        """Write a change of a form read from the database (the live save): the columns that changed, and its
        history row — every field, who, when and why — as ``save(update_fields=self.changed_columns())`` with
        django-simple-history's row does, in two statements compiled once (:func:`.compiled.update_row`): the ORM's
        build of them was a fifth of a save's CPU. The caller holds the row locked inside its transaction; a form
        whose place may be taken (a new title or kind) is saved by the ORM instead, against the unique constraints."""
        columns = self.changed_columns()
        if columns is None:
            raise ValueError("save_edit needs a form read from the database")
        if update_row(self, columns) != 1:
            raise FormRecord.DoesNotExist(f"no form {self.pk}")
        insert_copy(FormRecord, FormRecord.history.model, _history_columns(),
                    {"history_date": timezone.now(), "history_type": "~", "history_change_reason": reason,
                     "history_user_id": getattr(user, "pk", None)}, self.pk)
        self._stored(columns)

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def form(self) -> Form:
        return jsonio.loads(self.data, f"表单#{self.pk}")

    def core_waivers(self) -> list[Waiver]:
        """The reviewers' waivers (审核豁免) of this form's findings, oldest first (the latest of one finding applies)."""
        if self.pk is None or not self.__dict__.get("has_waivers", True):  # none, as read with the row
            return []
        return [w.as_core() for w in self.waivers.select_related("by")]

    def apply(self, form: Form, evaluation: Evaluation, data: str | None = None) -> None:
        """Store ``form`` (``data``: its canonical JSON, if the caller has it) and the columns derived from its
        evaluation (the caller saves)."""
        self.data = data if data is not None else jsonio.dumps(form)
        self.kind = form.kind
        self.title = form.project or form.unit or self.title or "未命名"
        self.scored_with = evaluation.profile
        self.grade = evaluation.grade
        self.error_count = evaluation.errors
        self.warning_count = evaluation.warnings
        self.finding_codes = ",".join(f.code for f in evaluation.findings)[:2000]
        figures = {
            "total_declared": evaluation.total_declared,
            "total_computed": evaluation.total,
            "execution_rate": evaluation.execution_rate,
            **{name: evaluation.figures.get(name) for name in WARNING_FIGURES},
        }
        for name, value in figures.items():
            # The form limits keep every figure within its column; a value that still would not fit is
            # left out (the dashboard shows "—") rather than stored as a row no query could read back.
            column = self._meta.get_field(name)
            stored = fitted(value, column.max_digits, column.decimal_places)
            setattr(self, name, column.get_default() if stored is None else stored)


@cache
def _history_columns() -> tuple[str, ...]:
    """The form's columns its history rows copy (all but ``updated_at``): those of the history model it also has."""
    own = {f.attname for f in FormRecord._meta.concrete_fields}
    return tuple(f.attname for f in FormRecord.history.model._meta.concrete_fields if f.attname in own)


def _as_stored(columns: Any) -> dict[str, Any]:
    """(column, value) pairs as changed_columns keeps them: a JSON value copied, so that changing it in place still
    counts as a change."""
    return {name: copy.deepcopy(value) if isinstance(value, list | dict) else value for name, value in columns}


class FindingWaiver(models.Model):
    """审核豁免: a reviewer waived one finding of one form, with a reason; rows are never edited, only added.

    ``fingerprint`` is the finding's field as it was: when the field changes, the waiver lapses (失效).
    """

    form = models.ForeignKey(FormRecord, on_delete=models.CASCADE, related_name="waivers")
    code = models.CharField("问题代码", max_length=8)
    path = models.CharField("字段", max_length=300, blank=True)
    reason = models.TextField("豁免理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("豁免时间", auto_now_add=True)
    fingerprint = models.CharField("豁免时的内容指纹", max_length=32)
    history = History()

    class Meta:
        ordering = ("at", "pk")
        verbose_name = verbose_name_plural = "审核豁免"

    def as_core(self) -> Waiver:
        by = self.by.get_full_name() or self.by.get_username()
        return Waiver(code=self.code, path=self.path or None, reason=self.reason, by=by, at=self.at,
                      fingerprint=self.fingerprint)


class Transition(models.Model):
    """A workflow step: who moved the form from which status to which, when, and why."""

    form = models.ForeignKey(FormRecord, on_delete=models.CASCADE, related_name="transitions", verbose_name="自评表")
    from_status = models.CharField("原状态", max_length=20, choices=FormRecord.Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=FormRecord.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = verbose_name_plural = "流转记录"


class ReviewComment(models.Model):
    """A reviewer's comment on one indicator (or the whole form when ``indicator`` is None) at a return."""

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="comments",
                                   verbose_name="流转记录")
    indicator = models.PositiveIntegerField("指标序号", null=True, blank=True)
    indicator_name = models.CharField("指标名称", max_length=300, blank=True)
    text = models.TextField("意见")

    class Meta:
        ordering = ("transition", "indicator")
        verbose_name = verbose_name_plural = "审核意见"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="用户")
    name = models.CharField("名称", max_length=100)
    digest = models.CharField("SHA-256 摘要", max_length=64, unique=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        key = "jx_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(key)), key

    @classmethod
    def user_for(cls, key: str) -> Any:
        token = cls.objects.select_related("user").filter(digest=_digest(key)).first()
        return token.user if token and token.user.is_active else None


class LoginAttempt(models.Model):
    """Login attempts counted for one key (登录限制): an account from one address, or one address.

    A row per key, changed only under a row lock (``select_for_update``), so the count is exact across
    threads and worker processes; it restarts once ``expires`` has passed.
    """

    key = models.CharField(max_length=300, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField()
