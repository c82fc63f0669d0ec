"""A demo bureau: the seed form and the real corpus forms as units, in several statuses and two years.

Demo years are normalised (the corpus spans 2016–2024): every unit gets a form for ``DEMO_YEAR``, half of them
also last year's, so the dashboard, the year-over-year page and the workflow all have something to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import simplejson
from django.contrib.auth import get_user_model
from django.db import transaction

from ..errors import InputError
from ..io import jsonio
from ..model import Form, Indicator
from . import services
from .models import Membership, Organisation

DEMO_YEAR = 2023
DEMO_PASSWORD = "jixiao-demo-2024"
BUREAU_NAME = "黔南州财政局（演示）"
DEPARTMENTS = ("党群口", "政府口", "乡镇与事业单位")
#: Cycle of workflow end states given to the demo units' current-year forms.
STATUSES = ("draft", "submitted", "returned", "approved", "submitted", "approved")
REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_KEYS = set(Form.model_fields) - {"provenance"}


@dataclass
class DemoSummary:
    bureau: Organisation
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, where)
    skipped: list[str] = field(default_factory=list)
    forms: int = 0


def default_sources() -> list[Path]:
    """The seed transcription and the corpus truth files (the repository's ``tests/data/corpus``)."""
    corpus = REPO_ROOT / "tests" / "data" / "corpus"
    return [REPO_ROOT / "examples" / "qiannan-2022.json", *sorted(corpus.glob("*.truth.json"))]


def read_source(path: Path) -> Form:
    """A canonical form, or a corpus truth file with its annotation keys (``notes`` …) dropped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:  # e.g. an installed package without the repository's examples and corpus
        raise InputError(f"无法读取演示表单：{exc.strerror or exc}", str(path)) from None
    data: Any = simplejson.loads(raw, use_decimal=True)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k in MODEL_KEYS}
    return jsonio.form_from_data(data, path.name)


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
def load_demo(sources: Iterable[Path] | None = None) -> DemoSummary:
    """Create the demo bureau (refuses if it exists)."""
    if Organisation.objects.filter(name=BUREAU_NAME).exists():
        raise InputError("演示数据已存在；如需重建请使用新的数据目录", BUREAU_NAME)
    bureau = Organisation.objects.create(name=BUREAU_NAME, kind=Organisation.Kind.BUREAU)
    departments = [
        Organisation.objects.create(name=n, kind=Organisation.Kind.DEPARTMENT, parent=bureau)
        for n in DEPARTMENTS
    ]
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
    units: dict[str, Organisation] = {}
    for number, path in enumerate(sources or default_sources(), start=1):
        try:
            form = read_source(path)
        except InputError as error:
            summary.skipped.append(str(error))
            continue
        name = form.unit or f"演示单位{number:02d}"
        unit = units.get(name)
        if unit is None:
            unit = units[name] = Organisation.objects.create(
                name=name, kind=Organisation.Kind.UNIT, parent=departments[len(units) % len(departments)]
            )
            n = len(units)
            filler, approver = _user(f"filler{n}", f"{name}填报人"), _user(f"approver{n}", f"{name}审核人")
            Membership.objects.create(user=filler, organisation=unit, role=Membership.Role.FILLER)
            Membership.objects.create(user=approver, organisation=unit, role=Membership.Role.APPROVER)
            summary.logins += [(f"filler{n}", "填报人", name), (f"approver{n}", "审核人", name)]
        approver = Membership.objects.get(organisation=unit, role=Membership.Role.APPROVER).user
        filler = Membership.objects.get(organisation=unit, role=Membership.Role.FILLER).user
        current = form.model_copy(update={"year": DEMO_YEAR})
        first = current.indicators[0] if current.indicators else None
        if number % 2 == 1:
            previous = services.create_form(filler, unit, _last_year(form), reason=f"演示数据 {path.name}")
            _walk(previous.record.pk, "approved", approver, reviewer, first)
            summary.forms += 1
        record = services.create_form(filler, unit, current, reason=f"演示数据 {path.name}").record
        _walk(record.pk, STATUSES[number % len(STATUSES)], approver, reviewer, first)
        summary.forms += 1
    for extra in ("黔南州档案馆（演示，未开始）", "黔南州地方志办公室（演示，未开始）"):
        Organisation.objects.create(name=extra, kind=Organisation.Kind.UNIT, parent=departments[0])
    return summary
