"""A demo bureau: the units and forms of :mod:`jixiao.demo` (package data), in several statuses and two years.

Demo years are normalised (the corpus spans 2016–2024): every unit gets a form for ``DEMO_YEAR``, the
units marked ``last_year`` also last year's, so the dashboard, the year-over-year page and the workflow
all have something to show. Nothing is read from outside the installed package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import demo
from ..errors import InputError
from ..model import Form, Indicator
from . import services
from .models import Membership, Organisation

DEMO_YEAR = 2023
DEMO_PASSWORD = "jixiao-demo-2024"
#: The demo's bureau-level accounts (the units' are filler1…, approver1…).
DEMO_STAFF = ("admin", "reviewer")
BUREAU_NAME = "黔南州财政局（演示）"


@dataclass
class DemoSummary:
    bureau: Organisation
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, where)
    forms: int = 0


def _user(username: str, full_name: str, **flags: Any) -> Any:
    user = get_user_model().objects.create_user(
        username, password=DEMO_PASSWORD, first_name=full_name, **flags
    )
    return user


def _last_year(form: Form) -> Form:
    """Last year's version of a demo form: same indicators, actuals as written, targets as they were."""
    return form.model_copy(update={"year": DEMO_YEAR - 1})


def _walk(
    record_id: int, status: str, approver: Any, reviewer: Any, first_indicator: Indicator | None
) -> None:
    """Drive a draft through the real workflow to ``status`` (transitions and history included)."""
    if status == "draft":
        return
    services.submit(approver, record_id)
    if status in ("returned", "approved"):
        comment = {0: f"“{first_indicator.name}”的实际完成值请附佐证材料。"} if first_indicator else {}
        services.send_back(reviewer, record_id, "请核实预算执行率和自评得分。", comment)
    if status == "approved":
        services.submit(approver, record_id)
        services.approve(reviewer, record_id, "同意。")


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo bureau (refuses if it exists)."""
    if Organisation.objects.filter(name=BUREAU_NAME).exists():
        raise InputError("演示数据已存在；如需重建请使用新的数据目录", BUREAU_NAME)
    bureau = Organisation.objects.create(name=BUREAU_NAME, kind=Organisation.Kind.BUREAU)
    departments = {
        name: Organisation.objects.create(name=name, kind=Organisation.Kind.DEPARTMENT, parent=bureau)
        for name in demo.departments()
    }
    summary = DemoSummary(bureau)
    admin = _user("admin", "系统管理员", is_staff=True, is_superuser=True)
    reviewer = _user("reviewer", "财政审核人")
    for who, role in (
        (admin, Membership.Role.ADMIN),
        (admin, Membership.Role.REVIEWER),
        (reviewer, Membership.Role.REVIEWER),
    ):
        Membership.objects.create(user=who, organisation=bureau, role=role)
    summary.logins += [("admin", "管理员", BUREAU_NAME), ("reviewer", "财政审核人", BUREAU_NAME)]
    for n, entry in enumerate(demo.units(), start=1):
        unit = Organisation.objects.create(
            name=entry.name, kind=Organisation.Kind.UNIT, parent=departments[entry.department]
        )
        filler, approver = _user(f"filler{n}", f"{entry.name}填报人"), _user(f"approver{n}", f"{entry.name}审核人")
        Membership.objects.create(user=filler, organisation=unit, role=Membership.Role.FILLER)
        Membership.objects.create(user=approver, organisation=unit, role=Membership.Role.APPROVER)
        summary.logins += [(f"filler{n}", "填报人", entry.name), (f"approver{n}", "审核人", entry.name)]
        current = entry.form.model_copy(update={"year": DEMO_YEAR})
        first = current.indicators[0] if current.indicators else None
        reason = f"演示数据（{entry.source}）"
        if entry.last_year:
            previous = services.create_form(filler, unit, _last_year(entry.form), reason=reason)
            _walk(previous.record.pk, "approved", approver, reviewer, first)
            summary.forms += 1
        record = services.create_form(filler, unit, current, reason=reason, notes=entry.notes).record
        _walk(record.pk, entry.status, approver, reviewer, first)
        summary.forms += 1
    for name, department in demo.not_started():
        Organisation.objects.create(name=name, kind=Organisation.Kind.UNIT, parent=departments[department])
    return summary
