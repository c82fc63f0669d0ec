"""The bureau's review dashboard, its export and the per-year rule profile."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from ... import analytics as an
from ...report import charts
from ...report.dashboard import execution_chart
from ...report.spreadsheet import defused
from .. import analytics
from ..engine import available_profiles
from ..fragments import Fragments
from ..models import WARNING_FIGURES, FormRecord, Membership, Organisation, RuleChoice
from ..permissions import REVIEWABLE, has_role
from .common import int_param, reviewed_bureau

COLUMNS = (
    ("unit", "单位"),
    ("department", "主管部门"),
    ("title", "表名"),
    ("kind", "类型"),
    ("status", "状态"),
    ("declared", "申报总分"),
    ("computed", "计算总分"),
    ("gap", "差额"),
    ("grade", "等级"),
    ("rate", "执行率%"),
    ("errors", "错误"),
    ("warnings", "警告"),
)


#: The columns a dashboard row is built from (after the form's id).
_ROW_COLUMNS = ("title", "kind", "status", "year", "total_declared", "total_computed", "grade", "execution_rate",
                "error_count", "warning_count", "finding_codes", *WARNING_FIGURES)
#: Each form's dashboard row as last built, by form id, with the stamp it was built from. A 500-unit dashboard
#: reads every form's stamp (cheap integers and a time) and builds again only the rows of forms that changed:
#: converting all their decimals was most of the request. Every write of a form moves its ``updated_at``; the
#: unit's and department's names are in the stamp too.
_ROWS: dict[int, tuple[tuple[Any, ...], analytics.Row]] = {}
_ROWS_LIMIT = 50_000  # forms held per process at most: emptied when reached, it refills with what is shown


def bureau_rows(bureau: Organisation, year: int) -> list[analytics.Row]:
    """One row per form of the year, plus one 'not started' row per unit without a form.

    Scores of forms the unit has not handed over yet are not shown to the bureau.
    """
    units = list(bureau.units().values_list("pk", "name", "parent_id", "parent__name"))

    def department(parent_id: int | None, parent_name: str | None) -> str:
        return (parent_name or "") if parent_id not in (None, bureau.pk) else ""

    names = {pk: (name, department(parent_id, parent)) for pk, name, parent_id, parent in units}
    forms = FormRecord.objects.filter(unit__in=list(names), year=year)
    stamps, started = {}, set()
    for pk, unit_id, version, updated_at in forms.values_list("pk", "unit_id", "version", "updated_at"):
        stamps[pk] = (version, updated_at, *names[unit_id])
        started.add(unit_id)
    # a snapshot of the cache: the server's other threads may clear or fill it meanwhile
    known: dict[int, analytics.Row] = {}
    for pk, stamp in stamps.items():
        cached = _ROWS.get(pk)
        if cached is not None and cached[0] == stamp:
            known[pk] = cached[1]
    stale = [pk for pk in stamps if pk not in known]
    if len(_ROWS) + len(stale) > _ROWS_LIMIT:
        _ROWS.clear()
    for pk, unit_id, *values in FormRecord.objects.filter(pk__in=stale).values_list("pk", "unit_id", *_ROW_COLUMNS):
        known[pk] = _form_row(pk, *names[unit_id], *values)
        _ROWS[pk] = (stamps[pk], known[pk])
    rows = [known[pk] for pk in stamps]
    rows += [analytics.Row(unit=name, department=dept, title="", kind="", status="not_started")
             for pk, (name, dept) in names.items() if pk not in started]
    return rows


_KINDS = dict(FormRecord.Kind.choices)


def _form_row(pk: int, unit: str, department: str, title: str, kind: str, status: str, year: int,
              declared: Any, computed: Any, grade: str, rate: Any, errors: int, warnings: int, codes: str,
              *figures: Any) -> analytics.Row:
    """The dashboard row of one form (its scores only once the unit has handed it over)."""
    shown = status in REVIEWABLE
    return analytics.Row(
        unit=unit,
        department=department,
        title=title,
        kind=_KINDS.get(kind, kind),
        status=status,
        form_id=pk if shown else None,
        year=year,
        total_declared=declared if shown else None,
        total_computed=computed if shown else None,
        grade=grade if shown else "",
        execution_rate=rate if shown else None,
        errors=errors if shown else 0,
        warnings=warnings if shown else 0,
        codes=tuple(c for c in codes.split(",") if c) if shown else (),
        figures=dict(zip(WARNING_FIGURES, figures, strict=True)) if shown else {},
    )


_LINES = Fragments("jixiao/_dashboard_row.html")


def _line(row: analytics.Row) -> str:
    """The table line of one row (everything ``_dashboard_row.html`` shows is in the signature)."""
    shown = (
        row.form_id,
        row.unit,
        row.department,
        row.title,
        row.kind,
        row.status,
        str(row.total_declared),
        str(row.total_computed),
        row.grade,
        str(row.execution_rate),
        row.errors,
        row.warnings,
    )
    return _LINES.render(shown, {"r": row})


def _year(request: HttpRequest, bureau: Organisation) -> int:
    """The requested year, else the latest year with forms, else last calendar year."""
    asked = int_param(request.GET.get("year"), 0)
    if asked:  # the latest year is looked up only when none was asked for
        return asked
    latest = (
        FormRecord.objects.filter(unit__in=bureau.units()).order_by("-year").values_list("year", flat=True)
    )
    return latest.first() or timezone.localdate().year - 1


def _selected(request: HttpRequest, everything: list[analytics.Row]) -> list[analytics.Row]:
    """The rows the request's filters, search and sort ask for."""
    rows = analytics.select(
        everything,
        status=str(request.GET.get("status", "")),
        grade=str(request.GET.get("grade", "")),
        search=str(request.GET.get("q", ""))[:100],
    )
    return analytics.order(rows, str(request.GET.get("sort", "unit")))


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = reviewed_bureau(request, pk)
    year = _year(request, bureau)
    everything = bureau_rows(bureau, year)
    rows = _selected(request, everything)
    forms = analytics.form_rows(everything)
    grades = an.grade_counts(forms)
    chart_svgs = [
        ("等级分布（已提交的表）", charts.grouped_bars(list(grades), [("表数", list(grades.values()))])),
        ("计算总分分布", charts.histogram(an.totals(forms), bins=10, x_label="计算总分")),
        (
            "最常见问题代码",
            charts.top_bars(
                [(t.code, t.count) for t in an.top_findings(analytics.finding_rows(everything), 8)],
                label_width=60,
            ),
        ),
        ("预算执行率与自评指标完成度（红黄预警）", execution_chart(an.execution_points(forms), title="")),
    ]
    years = sorted(
        set(FormRecord.objects.filter(unit__in=bureau.units()).values_list("year", flat=True)) | {year}
    )
    context: dict[str, Any] = {
        "bureau": bureau,
        "year": year,
        "years": years,
        "lines": [_line(r) for r in rows],
        "columns": COLUMNS,
        "counts": {
            analytics.STATUS_LABELS[status]: n
            for status, n in an.status_counts(
                analytics.workflow_rows(everything), tuple(analytics.STATUS_LABELS)
            ).items()
        },
        "pending": [r for r in everything if r.status in ("not_started", "draft")],
        "charts": [(title, mark_safe(svg)) for title, svg in chart_svgs],  # labels escaped in charts.py
        "params": request.GET,
        "profile": RuleChoice.profile_for(bureau, year),
        "profiles": available_profiles(),
        "is_admin": has_role(request.user, bureau, Membership.Role.ADMIN),
        "statuses": analytics.STATUS_LABELS,
        "grades": an.GRADES,
    }
    return render(request, "jixiao/dashboard.html", context)


def _table(rows: list[analytics.Row]) -> list[list[Any]]:
    header = [label for _, label in COLUMNS]
    body = [
        [
            r.unit,
            r.department,
            r.title,
            r.kind,
            r.status_label,
            r.total_declared,
            r.total_computed,
            r.gap,
            r.grade,
            r.execution_rate,
            r.errors,
            r.warnings,
        ]
        for r in rows
    ]
    return [header, *([defused(v) for v in line] for line in body)]


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    bureau = reviewed_bureau(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("只支持 csv 和 xlsx")
    year = _year(request, bureau)
    table = _table(_selected(request, bureau_rows(bureau, year)))
    filename = f"review-{bureau.pk}-{year}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(["" if v is None else str(v) for v in line] for line in table)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = f"{year}年度复核"
        for line in table:
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def choose_profile(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = reviewed_bureau(request, pk)
    if not has_role(request.user, bureau, Membership.Role.ADMIN):
        return HttpResponseForbidden("只有财政局管理员可以选择评分规则")
    year = int_param(request.POST.get("year"), 0)
    profile = str(request.POST.get("profile", ""))
    if profile not in available_profiles() or not 1990 <= year <= 2100:
        return HttpResponseForbidden("无效的年度或评分规则")
    RuleChoice.objects.update_or_create(bureau=bureau, year=year, defaults={"profile": profile})
    messages.success(request, f"{year} 年度新建的表将按“{profile}”评分。")
    return redirect(f"/bureaus/{bureau.pk}/?year={year}")
