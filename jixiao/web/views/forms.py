"""A unit's forms: list, create, upload, the live-scored entry page, workflow buttons, history."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ...errors import InputError
from ...io import jsonio
from ...model import FORM_LIMITS, Form, FundRow, Funds, Indicator
from .. import diffing, doubts, downloads, importing, services
from ..engine import Evaluation
from ..entry import data_from_post, double_weight, form_and_keys, human_place, new_row_key
from ..fragments import Fragments
from ..models import FormRecord, Organisation
from ..permissions import can_decide, can_edit, can_submit, is_unit_member
from ..yoy import compare_years
from .common import int_param, is_htmx, locked_visible_form, member_unit, visible_form

DEPARTMENT_FUND_ROWS = ("年度资金总额", "基本支出", "项目支出", "其他资金")
PROJECT_FUND_ROWS = ("年度资金总额", "本年财政拨款", "上年结转资金", "其他资金")


def blank_form(kind: str, year: int, unit: str, project: str | None) -> Form:
    """A new form with the official layout's fund rows and one indicator row to start from."""
    labels = DEPARTMENT_FUND_ROWS if kind == "department" else PROJECT_FUND_ROWS
    return Form(
        kind=kind,  # type: ignore[arg-type]
        year=year,
        unit=unit,
        project=project if kind == "project" else None,
        funds=Funds(weight=10, rows=[FundRow(label=label) for label in labels]),
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="（请填写三级指标）")],
    )


def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = member_unit(request, pk)
    forms = FormRecord.objects.filter(unit=unit).order_by("-year", "kind", "title")
    return render(
        request,
        "jixiao/unit.html",
        {"unit": unit, "forms": forms, "this_year": timezone.localdate().year - 1},
    )


@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = member_unit(request, pk)
    kind = "project" if request.POST.get("kind") == "project" else "department"
    year = int_param(request.POST.get("year"), timezone.localdate().year - 1)
    project = str(request.POST.get("project", "")).strip()[:300] or None
    if not 1990 <= year <= 2100 or (kind == "project" and not project):
        messages.error(request, "请填写有效的年度；项目支出表还需填写项目名称。")
        return redirect("unit", pk=unit.pk)
    try:
        saved = services.create_form(request.user, unit, blank_form(kind, year, unit.name, project))
    except services.Duplicate as duplicate:
        messages.info(request, f"{duplicate.message}，已为您打开。")
        return redirect("form", pk=duplicate.existing.pk)
    return redirect("form", pk=saved.record.pk)


def _pending_key(unit: Organisation) -> str:
    return f"jixiao-pending-upload-{unit.pk}"


@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A file becomes a draft; a file whose 单位 is another unit's waits for the user's confirmation."""
    unit = member_unit(request, pk)
    try:
        result = importing.read_upload(request.FILES.get("file"))
    except InputError as error:
        messages.error(request, f"上传失败：{error}")
        return redirect("unit", pk=unit.pk)
    form = (
        result.form
        if result.form.year
        else result.form.model_copy(update={"year": timezone.localdate().year - 1})
    )
    file_unit = importing.other_unit(form, unit.name)
    if file_unit is None:
        return _create_uploaded(request, unit, form, result.filename, result.notes, result.doubts)
    # The parsed form waits in the session (one per unit), not the file: nothing is written to disk.
    token = uuid.uuid4().hex
    request.session[_pending_key(unit)] = {
        "token": token, "filename": result.filename, "form": jsonio.dumps(form, indent=None),
        "notes": result.notes, "doubts": result.doubts, "file_unit": file_unit,
    }
    context = {"unit": unit, "filename": result.filename, "file_unit": file_unit, "token": token}
    return render(request, "jixiao/upload_confirm.html", context)


@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer to “this file is another unit's”: create the draft under this unit, or drop it."""
    unit = member_unit(request, pk)
    pending = request.session.get(_pending_key(unit))
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "上传确认已失效（可能已在其他页面处理），请重新上传文件。")
        return redirect("unit", pk=unit.pk)
    del request.session[_pending_key(unit)]
    if request.POST.get("decision") != "confirm":
        messages.info(request, f"已取消上传 {pending['filename']}。")
        return redirect("unit", pk=unit.pk)
    form = jsonio.loads(pending["form"], pending["filename"]).model_copy(update={"unit": unit.name})
    note = f"单位：文件中的单位为“{pending['file_unit']}”，上传时确认改为“{unit.name}”"
    notes = [*pending["notes"], note]
    return _create_uploaded(request, unit, form, pending["filename"], notes, pending["doubts"])


def _create_uploaded(
    request: HttpRequest, unit: Organisation, form: Form, filename: str, notes: list[str],
    doubts: list[dict[str, Any]],
) -> HttpResponse:
    try:
        saved = services.create_form(
            request.user, unit, form, reason=f"上传 {filename}", notes=notes, doubts=doubts
        )
    except services.Duplicate as duplicate:
        messages.error(request, f"上传失败：{duplicate.message}；请在已有的表中修改。")
        return redirect("form", pk=duplicate.existing.pk)
    messages.success(request, f"已从 {filename} 建立草稿。")
    return redirect("form", pk=saved.record.pk)


def _row_results(evaluation: Evaluation, keys: list[str]) -> list[dict[str, Any]]:
    return [
        {"key": key, "result": result, "findings": evaluation.findings_for(result.index)}
        for key, result in zip(keys, evaluation.indicators, strict=False)
    ]


_RESULT_CELLS = Fragments("jixiao/_result.html")


def _result_cell(row: dict[str, Any]) -> str:
    """The out-of-band ``<td id="res-KEY">`` of one indicator row (score, explanation, findings)."""
    result = row["result"]
    shown = (
        row["key"],
        str(result.score),
        str(result.declared),
        result.explanation,
        tuple((f.severity, f.code, f.message) for f in row["findings"]),
    )
    return _RESULT_CELLS.render(shown, {"key": row["key"], "res": row, "oob": True})


def _back_link(record: FormRecord, user: Any) -> tuple[str, str]:
    """Where the user came from: their unit's page, or the bureau's dashboard of that year."""
    if is_unit_member(user, record):
        return reverse("unit", args=[record.unit_id]), record.unit.name
    bureau = record.unit.bureau
    return f"{reverse('dashboard', args=[bureau.pk])}?year={record.year}", f"{bureau.name} 复核看板"


def _entry_context(
    record: FormRecord, data: dict[str, Any], evaluation: Evaluation, user: Any
) -> dict[str, Any]:
    keys = [str(i) for i in range(len(data["indicators"]))]
    results = {r["key"]: r for r in _row_results(evaluation, keys)}
    last_return = services.latest_return(record)
    comments = list(last_return.comments.all()) if last_return else []
    # Comments follow their indicator by name, so reordering rows does not move them.
    by_name = {c.indicator_name: c for c in comments if c.indicator_name}
    by_index = {c.indicator: c for c in comments if not c.indicator_name}
    indicators = [
        {
            "key": key,
            "values": values,
            "res": results.get(key),
            "comment": by_name.get(values.get("name") or "") or by_index.get(int(key)),
        }
        for key, values in zip(keys, data["indicators"], strict=True)
    ]
    return {
        "record": record,
        "data": data,
        "double_weight": double_weight(data["indicators"]),
        "indicators": indicators,
        "evaluation": evaluation,
        "last_return": last_return,
        "back": _back_link(record, user),
        "editable": can_edit(user, record),
        "can_submit": can_submit(user, record),
        "can_decide": can_decide(user, record),
    }


def form_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, visible_form(request, pk))


def _form_page(request: HttpRequest, record: FormRecord, status: int = 200, draft: Any = None) -> HttpResponse:
    """The entry page; ``draft`` is a refused decision's POST, whose comments the review form shows again."""
    form = record.form()
    evaluation = services.evaluate_record(record, form)
    context = _entry_context(record, jsonio.to_data(form), evaluation, request.user)
    if draft is not None:  # what the reviewer typed is not lost to a conflict
        context["draft"] = {"comment": str(draft.get("comment", ""))}
        for i, ind in enumerate(context["indicators"]):
            ind["draft"] = str(draft.get(f"comment_{i}", ""))
    # Stored totals keep the rules version they were computed with until someone asks to re-score.
    context["current_rules"] = evaluation.profile if record.scored_with != evaluation.profile else None
    context["can_waive"] = can_decide(request.user, record)
    context["waivers"] = list(record.waivers.select_related("by"))
    context.update(_doubt_context(record, form))
    return render(request, "jixiao/form.html", context, status=status)


def _doubt_context(record: FormRecord, form: Form) -> dict[str, Any]:
    """The open doubts by the path of their cell (highlighted) and as a list to confirm (导入存疑)."""
    found = doubts.located(record.doubts, form)
    return {"doubts": {d.path: d for d in found},
            "doubt_list": [{"doubt": d, "where": human_place(d.path)} for d in found]}


@require_POST
def confirm_doubt(request: HttpRequest, pk: int) -> HttpResponse:
    """The filler confirms a highlighted cell as read from the file (确认无误)."""
    record = visible_form(request, pk)
    try:
        services.confirm_doubt(request.user, record.pk, str(request.POST.get("doubt", ""))[:200])
    except services.Forbidden as denied:
        return HttpResponseForbidden(str(denied))
    messages.success(request, "已确认该字段，导入存疑标记已取消。")
    return redirect("form", pk=record.pk)


@require_GET
def new_row(request: HttpRequest, pk: int) -> HttpResponse:
    record = visible_form(request, pk)
    if not can_edit(request.user, record):
        return HttpResponseForbidden("此表当前不可编辑")
    row = {"key": new_row_key(), "values": {"level1": "", "level2": ""}, "res": None, "comment": None}
    columns = double_weight(jsonio.to_data(record.form())["indicators"])  # the row has the table's columns
    return render(request, "jixiao/_indicator_row.html", {"ind": row, "editable": True, "double_weight": columns})


@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the whole entry page; htmx gets the score panel plus out-of-band per-row results."""
    version = int_param(request.POST.get("version"), -1)
    status, code = {"level": "ok", "text": ""}, 200
    keys: list[str] = []  # the page keys of the saved rows (the out-of-band result cells), read with the form
    try:
        # One query finds the form among those the user may see (else 404) and locks it for the save.
        with transaction.atomic():
            record = locked_visible_form(request, pk)
            if not can_edit(request.user, record):
                return HttpResponseForbidden("此表当前不可编辑（只有草稿或退回的表可以修改）")
            if request.POST.get("overwrite") == "1":
                version = record.version
            form, keys = form_and_keys(request.POST, record.kind, record.year)
            saved = services.save_locked(request.user, record, version, form)
        record, evaluation = saved.record, saved.evaluation
        status["text"] = f"已保存（第 {record.version} 版，{timezone.localtime().strftime('%H:%M:%S')}）"
    except InputError as error:
        status = {"level": "error", "text": f"未保存：{human_place(error.place)}：{error.message}"}
        evaluation = services.evaluate_record(record)
    except services.Duplicate as duplicate:  # a project renamed to one the unit already has for the year
        status = {"level": "error", "text": f"未保存：{human_place(duplicate.place)}：{duplicate.message}"}
        record = visible_form(request, pk)  # as stored: the refused save changed only the rolled-back copy
        evaluation, code = services.evaluate_record(record), 409
    except services.Conflict as conflict:
        # The page keeps the user's input: the panel scores and audits that, not the other person's version.
        status = {"level": "conflict", "text": conflict.message}
        record, evaluation, code = conflict.current, services.evaluate_record(conflict.current, form), 409
    except services.Forbidden as denied:
        return HttpResponseForbidden(str(denied))
    if is_htmx(request):
        keys = keys if status["level"] == "ok" else []
        context = {
            "record": record,
            "evaluation": evaluation,
            "status": status,
            "cells": [_result_cell(row) for row in _row_results(evaluation, keys)],
            "oob": True,
            "can_submit": can_submit(request.user, record),  # its button sends the version saved now
        }
        return render(
            request, "jixiao/_panel.html", context, status=code
        )
    data = data_from_post(request.POST, record.kind, record.year)
    data["indicators"] = [dict(row) for row in data["indicators"]]
    context = _entry_context(record, data, evaluation, request.user)
    context["status"] = status
    context.update(_doubt_context(record, record.form()))
    return render(request, "jixiao/form.html", context, status=code)


def _seen_version(request: HttpRequest) -> int:
    """The version the page showed when the user decided (a POST without one matches no version: refused)."""
    return int_param(request.POST.get("version"), -1)


def _transition(request: HttpRequest, action: Any, pk: int, *args: Any) -> HttpResponse:
    """A decision on the version the user saw; on stale content, the current page with the conflict (409)."""
    try:
        action(request.user, pk, *args, expected_version=_seen_version(request))
    except services.Forbidden as denied:
        return HttpResponseForbidden(str(denied))
    except services.Conflict as conflict:
        messages.error(request, conflict.message)
        return _form_page(request, conflict.current, status=409, draft=request.POST)
    except InputError as error:  # a comment or reason that cannot be stored: nothing done, say which
        messages.error(request, f"未办理：{error}")
        return _form_page(request, visible_form(request, pk), status=400, draft=request.POST)
    return redirect("form", pk=pk)


@require_POST
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    """审核豁免 of one finding, with the reviewer's reason; the page shows it as waived from now on."""
    visible_form(request, pk)
    return _transition(request, services.waive, pk, str(request.POST.get("code", "")),
                       str(request.POST.get("path", "")), str(request.POST.get("reason", "")))


@require_POST
def rescore(request: HttpRequest, pk: int) -> HttpResponse:
    visible_form(request, pk)
    return _transition(request, services.rescore, pk)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    visible_form(request, pk)
    return _transition(request, services.submit, pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    visible_form(request, pk)
    if request.POST.get("decision") == "approve":
        return _transition(request, services.approve, pk, str(request.POST.get("comment", "")))
    per_indicator = {
        int_param(name.removeprefix("comment_"), -1): str(text)
        for name, text in request.POST.items()
        if name.startswith("comment_")
    }
    # only indicator rows a form can have: comment_-5 or a 20-digit index is not a row (was a 500)
    per_indicator = {i: text for i, text in per_indicator.items() if 0 <= i < FORM_LIMITS.max_indicators}
    return _transition(request, services.send_back, pk, str(request.POST.get("comment", "")), per_indicator)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    record = visible_form(request, pk)
    versions = record.history.select_related("history_user").all()
    transitions = record.transitions.select_related("by").prefetch_related("comments")
    return render(
        request, "jixiao/history.html", {"record": record, "versions": versions, "transitions": transitions}
    )


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    record = visible_form(request, pk)
    versions = record.history.all()
    old = versions.filter(history_id=int_param(request.GET.get("a"), -1)).first()
    new = versions.filter(history_id=int_param(request.GET.get("b"), -1)).first()
    if old is None or new is None:
        raise Http404("没有这个版本")
    changes = diffing.diff(
        jsonio.loads(old.data).model_dump(mode="json"), jsonio.loads(new.data).model_dump(mode="json")
    )
    return render(
        request, "jixiao/compare.html", {"record": record, "old": old, "new": new, "changes": changes}
    )


def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    record = visible_form(request, pk)
    if fmt not in downloads.FORMATS:
        raise Http404("只支持 json、xlsx 和 pdf")
    form = record.form()
    content, content_type = downloads.render(form, record.profile, fmt, services.doubted_paths(record.doubts, form),
                                             record.core_waivers())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="form-{record.pk}-{record.year}.{fmt}"'
    response["Cache-Control"] = "no-store"  # a form's content stays out of shared and browser caches
    return response


def years(request: HttpRequest, pk: int) -> HttpResponse:
    unit = member_unit(request, pk)
    records = list(FormRecord.objects.filter(unit=unit).order_by("year"))
    return render(request, "jixiao/years.html", {"unit": unit, **compare_years(records)})
