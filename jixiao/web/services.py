"""Writes: every change of a stored form goes through here, inside one transaction.

A save checks the optimistic-lock version, re-scores, stores the canonical JSON and the derived columns and
bumps the version; the field-level history row (django-simple-history's model, written by the live save through
``FormRecord.save_edit``) goes in the same transaction, so a crash anywhere leaves the previous version intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from pydantic import TypeAdapter, ValidationError

from ..audit import Finding
from ..audit.waivers import waiver_for
from ..errors import InputError
from ..io import jsonio
from ..model import Form, LongText
from . import doubts as doubting
from .compiled import NO_ID, CompiledQuery
from .engine import Evaluation, evaluate_form
from .entry import human_place
from .models import FindingWaiver, FormRecord, Organisation, ReviewComment, RuleChoice, Transition
from .permissions import can_decide, can_edit, can_submit

Status = FormRecord.Status


class Forbidden(Exception):
    """The user may not do this (403)."""


class Conflict(Exception):
    """Someone else changed the form since the user loaded it: a save or a decision made on stale content."""

    def __init__(self, current: FormRecord, action: str = "保存") -> None:
        super().__init__("version conflict")
        self.current = current
        self.action = action

    @property
    def changed(self) -> str:
        """Who changed the form when, and its version now: the same words for a save and for a decision."""
        who = self.current.history.first()
        by = getattr(getattr(who, "history_user", None), "username", None) or "他人"
        when = timezone.localtime(self.current.updated_at).strftime("%H:%M:%S")
        return f"此表已被 {by} 于 {when} 修改（当前为第 {self.current.version} 版）"

    @property
    def message(self) -> str:
        if self.action == "保存":
            advice = "您的输入仍保留在页面上，没有丢失；可选择“用我的内容覆盖”，或复制后重新载入最新版本。"
        else:  # a decision is never forced through: the user looks at what changed first
            advice = f"本次{self.action}未执行。请查看最新内容后再{self.action}。"
        return f"{self.action}冲突：{self.changed}。{advice}"


class Duplicate(Exception):
    """The unit already has this form for that year (one 部门整体 form, one form per project).

    ``place`` is the field whose change would make the duplicate (``kind`` or ``project``), None at create.
    """

    def __init__(self, existing: FormRecord, place: str | None = None) -> None:
        super().__init__("duplicate form")
        self.existing = existing
        self.place = place

    @property
    def message(self) -> str:
        e = self.existing
        if self.place is None:
            return f"{e.year} 年度已有“{e.title}”（{e.get_status_display()}），不能重复建立"
        held = f"{e.year} 年度已有“{e.title}”（#{e.pk}，{e.get_status_display()}）"
        if e.kind == FormRecord.Kind.DEPARTMENT:
            return f"{held}：每个单位每个年度只有一张部门整体支出表，这张表不能改为部门整体支出表"
        return f"{held}：同一项目每个年度只有一张项目支出表，请换一个项目名称"


def holder(record: FormRecord) -> FormRecord | None:
    """Another form of the unit that holds the place ``record`` takes (the rule the database constraints enforce):
    one 部门整体支出 form per unit and year, one 项目支出 form per unit, year and project (its title)."""
    same = FormRecord.objects.filter(unit_id=record.unit_id, year=record.year, kind=record.kind)
    if record.kind == FormRecord.Kind.PROJECT:
        same = same.filter(title=record.title)
    return same.exclude(pk=record.pk).first() if record.pk is not None else same.first()


def _changed_place(before: tuple[str, str], record: FormRecord) -> str:
    """Which change of a stored form took a place already held: its kind, else its project name."""
    return "kind" if before[0] != record.kind else "project"


def store_in_place(record: FormRecord, place: str | None) -> None:
    """Save ``record`` in its own savepoint; two writers racing past :func:`holder` meet the unique constraint."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        existing = holder(record)
        if existing is None:
            raise
        raise Duplicate(existing, place) from None


def _stamp(record: FormRecord, user: Any, reason: str) -> None:
    """Who and why for the history row simple-history writes on the next save (API calls have no request)."""
    record._history_user = user  # type: ignore[attr-defined]
    record._change_reason = reason  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Saved:
    record: FormRecord
    evaluation: Evaluation


def create_form(
    user: Any, unit: Organisation, form: Form, reason: str = "新建", notes: Sequence[str] = (),
    doubts: Sequence[dict[str, Any]] = (),
) -> Saved:
    """A new draft for ``unit``, scored under the bureau's profile for the form's year.

    ``notes`` are what an importer could not read, ``doubts`` the fields it was not sure of
    (:mod:`jixiao.web.doubts`); both stay on the form for the filler to check.
    """
    year = form.year or timezone.localdate().year
    profile = RuleChoice.profile_for(unit.bureau, year)
    evaluation = evaluate_form(form, profile, doubted_paths(doubts, form))
    record = FormRecord(
        unit=unit, year=year, profile=profile, created_by=user, title="", import_notes="\n".join(notes),
        doubts=list(doubts),
    )
    record.apply(form, evaluation)
    existing = holder(record)
    if existing is not None:
        raise Duplicate(existing)
    _stamp(record, user, reason)
    store_in_place(record, None)
    return Saved(record, evaluation)


def save_form(user: Any, record_id: int, expected_version: int, form: Form) -> Saved:
    """Store a new content of a form the user is editing from ``expected_version``."""
    with transaction.atomic():
        return save_locked(user, locked_for_saving(record_id), expected_version, form)


def save_locked(user: Any, record: FormRecord, expected_version: int, form: Form) -> Saved:
    """:func:`save_form` on a row the caller holds from :func:`locked_for_saving`, inside the same transaction."""
    if not can_edit(user, record):
        raise Forbidden("此表当前不可编辑")
    _check_seen(record, expected_version, "保存")
    form = form.model_copy(update={"year": record.year})
    open_doubts = doubting.remaining(record.doubts, form) if record.doubts else []  # editing a cell ends its doubt
    evaluation = evaluate_form(form, record.profile, doubted_paths(open_doubts, form), record.core_waivers(),
                               last_year(record))
    data = jsonio.dumps(form)
    if data == record.data:
        # Nothing changed (an autosave of an untouched page): no new version, no history row.
        return Saved(record, evaluation)
    before = (record.kind, record.title)
    record.apply(form, evaluation, data)
    moved = (record.kind, record.title) != before  # a renamed project or a changed kind
    if moved and (existing := holder(record)) is not None:
        raise Duplicate(existing, _changed_place(before, record))
    record.doubts = open_doubts
    record.version += 1
    if moved:
        _stamp(record, user, "编辑")
        store_in_place(record, _changed_place(before, record))
    else:  # the place it holds is its own: no unique constraint can refuse it, no savepoint is needed
        record.save_edit(user, "编辑")  # the changed columns; the history row still holds every field
    return Saved(record, evaluation)


_COMMENT = TypeAdapter(LongText)


def _written(text: str, place: str) -> str:
    """A reviewer's comment as it can be stored: free-text length at most, no NUL or lone surrogate (PostgreSQL
    refuses a NUL: it was a 500)."""
    try:
        return str(_COMMENT.validate_python(text.strip()))
    except ValidationError as exc:
        raise InputError(jsonio.explain(dict(exc.errors()[0])), place) from None


def waive(
    user: Any, record_id: int, code: str, path: str, reason: str, *, expected_version: int | None = None
) -> FindingWaiver:
    """A reviewer waives one open finding of a form (审核豁免): a change like any other — the stored counts follow,
    the form's version goes up (a page or client holding the version before must read it again) and the history
    keeps who and why."""
    reason = _written(reason, "豁免理由")
    with transaction.atomic():
        record = _locked(record_id)
        if not can_decide(user, record):
            raise Forbidden("只有财政局复核人员可以豁免复核意见")
        _check_seen(record, expected_version, "豁免")
        form = record.form()
        evaluation = evaluate_record(record, form)
        finding = next((f for f in evaluation.findings if f.code == code and (f.path or "") == path), None)
        if finding is None:
            raise InputError(f"这张表没有代码为 {code} 的复核意见（字段 {path or '—'}）", "code")
        core = waiver_for(Finding(finding.code, finding.severity, finding.location, finding.message, finding.path),
                          form, by=user.get_username(), reason=reason, identified=False)
        waiver = FindingWaiver.objects.create(form=record, code=code, path=path, reason=core.reason, by=user,
                                              fingerprint=core.fingerprint)
        record.apply(form, evaluate_record(record, form))
        record.version += 1
        _stamp(record, user, f"审核豁免 {code}：{core.reason}")
        record.save()
    return waiver


def rescore(user: Any, record_id: int, *, expected_version: int | None = None) -> Saved:
    """Recompute the stored totals under the rules shipped now — only when asked, with the change in the history."""
    with transaction.atomic():
        record = _locked(record_id)
        if not (can_edit(user, record) or can_decide(user, record)):
            raise Forbidden("无权重新评分此表")
        _check_seen(record, expected_version, "重新评分")
        evaluation = evaluate_record(record)
        if evaluation.profile == record.scored_with:
            return Saved(record, evaluation)
        before = record.scored_with or "未记录"
        record.apply(record.form(), evaluation)
        record.version += 1
        _stamp(record, user, f"按现行规则重新评分：{before} → {evaluation.profile}")
        record.save()
    return Saved(record, evaluation)


def doubted_paths(doubts: Sequence[dict[str, Any]], form: Form) -> set[str]:
    """Where the open doubts of a stored form are now (the auditor labels findings resting on them)."""
    return {doubt.path for doubt in doubting.located(doubts, form)}


def evaluate_record(record: FormRecord, form: Form | None = None) -> Evaluation:
    """Score and audit a stored form (or a new content of it) with its open doubts, its waivers and the same
    unit's form of the year before (relative targets such as 比上年增长5% are scored against its actuals)."""
    form = form or record.form()
    return evaluate_form(form, record.profile, doubted_paths(record.doubts, form), record.core_waivers(),
                         last_year(record))


def _year_before(unit: Any, year: Any, kind: Any, title: Any) -> Q:
    """The place of a form's predecessor: same unit, kind and title, one year earlier (values or column references)."""
    return Q(unit_id=unit, year=year - 1, kind=kind, title=title)


def last_year(record: FormRecord) -> Form | None:
    """The same unit's form of the same kind and title, one year earlier, if the web app holds it."""
    if hasattr(record, "last_year_data"):  # read with the row (:func:`locked_for_saving`)
        data = record.last_year_data
    else:
        earlier = FormRecord.objects.filter(_year_before(record.unit_id, record.year, record.kind, record.title))
        data = earlier.order_by().values_list("data", flat=True).first()
    return jsonio.loads(data, f"{record.year - 1} 年度的表单") if data is not None else None


def confirm_doubt(user: Any, record_id: int, key: str) -> FormRecord:
    """The filler confirms a doubted cell as read: its doubt ends, the history says who confirmed it."""
    with transaction.atomic():
        record = _locked(record_id)
        if not can_edit(user, record):
            raise Forbidden("此表当前不可编辑，不能确认导入存疑的字段")
        form = record.form()
        doubt = next((d for d in doubting.located(record.doubts, form) if d.key == key), None)
        if doubt is None:
            return record  # already confirmed or corrected (a second click, another tab)
        record.doubts = doubting.remaining(record.doubts, form, confirmed=key)
        record.apply(form, evaluate_record(record, form))
        record.version += 1
        _stamp(record, user, f"确认导入存疑：{human_place(doubt.path)}")
        record.save()
    return record


def _move(record: FormRecord, user: Any, to: str, comment: str = "") -> Transition:
    step = Transition.objects.create(
        form=record, from_status=record.status, to_status=to, by=user, comment=comment
    )
    record.status = to
    record.version += 1
    _stamp(record, user, f"{Status(step.from_status).label} → {Status(to).label}")
    record.save()
    return step


def _locked(record_id: int) -> FormRecord:
    """The form's row under a lock: only its own row, the unit's stays free for the unit's other forms."""
    return FormRecord.objects.select_for_update(of=("self",)).select_related("unit").get(pk=record_id)


def locked_for_saving(record_id: int) -> FormRecord:
    """The form's own row, locked until the caller's transaction ends, read in one query with what re-scoring a new
    content needs: whether any finding is waived, and last year's form. DoesNotExist if there is no such form.

    The live save is the hot path, and building and compiling this query in the ORM cost five times what the
    database takes to answer it: it is compiled once per process and database vendor (:mod:`.compiled`).
    """
    rows = _SAVING_QUERY.instances(FormRecord, record_id)  # none for an id beyond the column's range
    if not rows:
        raise FormRecord.DoesNotExist(f"no form {record_id}")
    return rows[0]


def _saving_query(record_id: int) -> QuerySet[FormRecord]:
    """The query of :func:`locked_for_saving`."""
    earlier = FormRecord.objects.filter(
        _year_before(OuterRef("unit_id"), OuterRef("year"), OuterRef("kind"), OuterRef("title"))
    ).order_by()
    return (
        FormRecord.objects.select_for_update(of=("self",))
        .annotate(
            has_waivers=Exists(FindingWaiver.objects.filter(form=OuterRef("pk"))),
            last_year_data=Subquery(earlier.values("data")[:1]),
        )
        .filter(pk=record_id)
        .order_by()
    )


_SAVING_QUERY = CompiledQuery(_saving_query, NO_ID)


def _check_seen(record: FormRecord, expected_version: int | None, action: str) -> None:
    """A decision stands only on the version the user saw (checked under the row lock, after the permission).

    Every decision from a page or the API (submit, return, approve, waive, rescore) passes the version it was
    shown, so nobody approves content they never saw. ``None`` is for server-side callers (demo data,
    benchmarks) that act on whatever is current.
    """
    if expected_version is not None and record.version != expected_version:
        raise Conflict(record, action)


def submit(user: Any, record_id: int, *, expected_version: int | None = None) -> FormRecord:
    """The unit's approver hands the form to the bureau (draft or returned → submitted), as of the version seen."""
    with transaction.atomic():
        record = _locked(record_id)
        if not can_submit(user, record):
            raise Forbidden("只有本单位审核人可以提交草稿或退回的表")
        _check_seen(record, expected_version, "提交")
        _move(record, user, Status.SUBMITTED)
    return record


def send_back(
    user: Any, record_id: int, comment: str, per_indicator: dict[int, str], *, expected_version: int | None = None
) -> FormRecord:
    """The bureau reviewer returns a submitted form with a general and per-indicator comments."""
    comment = _written(comment, "总体意见")
    per_indicator = {i: _written(text, f"第{i + 1}个指标的意见") for i, text in per_indicator.items() if text.strip()}
    if not comment.strip() and not per_indicator:
        raise Forbidden("退回时请填写意见")
    with transaction.atomic():
        record = _locked(record_id)
        if not can_decide(user, record):
            raise Forbidden("只有本财政局审核人可以退回已提交的表")
        _check_seen(record, expected_version, "退回")
        names = [i.name for i in record.form().indicators]
        step = _move(record, user, Status.RETURNED, comment)
        ReviewComment.objects.bulk_create(
            ReviewComment(
                transition=step, indicator=i, indicator_name=names[i] if i < len(names) else "", text=t
            )
            for i, t in sorted(per_indicator.items())
        )
    return record


def approve(
    user: Any, record_id: int, comment: str = "", *, expected_version: int | None = None
) -> FormRecord:
    """The bureau reviewer approves the version they saw; the form is frozen from now on."""
    comment = _written(comment, "总体意见")
    with transaction.atomic():
        record = _locked(record_id)
        if not can_decide(user, record):
            raise Forbidden("只有本财政局审核人可以通过已提交的表")
        _check_seen(record, expected_version, "审核通过")
        _move(record, user, Status.APPROVED, comment)
    return record


def latest_return(record: FormRecord) -> Transition | None:
    """The last return step, whose comments the unit is working on."""
    return record.transitions.filter(to_status=Status.RETURNED).order_by("-at", "-pk").first()
