"""The bureau dashboard, its export, rule profiles, year over year and the demo data."""

from __future__ import annotations

import csv
import io
import re
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from openpyxl import load_workbook

from jixiao.io import jsonio
from jixiao.web import services
from jixiao.web.demo import load_demo
from jixiao.web.models import WARNING_FIGURES, FormRecord, Organisation, RuleChoice


def _handed_over(world: Any, unit: Any = None, user: str = "filler_a1", approver: str = "approver_a1") -> Any:
    record = world.form(unit, user)
    services.submit(world.users[approver], record.pk)
    return FormRecord.objects.get(pk=record.pk)


def test_dashboard_lists_every_unit_and_hides_draft_scores(world: Any) -> None:
    submitted = _handed_over(world)
    world.form(world.a2, "filler_a2")  # a draft of a2
    page = world.client("reviewer_a").get(f"/bureaus/{world.bureau_a.pk}/", {"year": 2022}).content.decode()
    assert "甲一单位" in page and "甲二单位" in page and "乙一单位" not in page
    assert f'href="/forms/{submitted.pk}/"' in page
    assert page.count("<svg") == 4 and "等级分布" in page
    assert "尚未提交的单位（1）" in page
    drafts = FormRecord.objects.get(unit=world.a2)
    assert f'href="/forms/{drafts.pk}/"' not in page


def test_dashboard_scatter_shows_the_national_execution_warnings(world: Any) -> None:
    total = world.seed.funds.rows[0]
    spent_half = total.model_copy(update={"executed": total.budget / 2})
    funds = world.seed.funds.model_copy(update={"rows": [spent_half, *world.seed.funds.rows[1:]]})
    record = services.create_form(
        world.users["filler_a1"], world.a1, world.seed.model_copy(update={"funds": funds})
    ).record
    services.submit(world.users["approver_a1"], record.pk)
    page = world.client("reviewer_a").get(f"/bureaus/{world.bureau_a.pk}/", {"year": 2022}).content.decode()
    assert 'fill="#D55E00"' in page and "红色预警：指标完成度" in page  # claimed ~99 %, half the money spent


def test_migration_fills_the_warning_figures_of_existing_forms(world: Any) -> None:
    record = FormRecord.objects.get(pk=world.form().pk)
    assert record.budget is not None and record.indicators_weight is not None
    FormRecord.objects.filter(pk=record.pk).update(**dict.fromkeys(WARNING_FIGURES))
    import_module("jixiao.web.migrations.0003_execution_figures").fill_figures(django_apps, None)
    filled = FormRecord.objects.get(pk=record.pk)
    assert [getattr(filled, f) for f in WARNING_FIGURES] == [getattr(record, f) for f in WARNING_FIGURES]


def test_dashboard_not_started_filter_and_search(world: Any) -> None:
    _handed_over(world)
    reviewer = world.client("reviewer_a")
    url = f"/bureaus/{world.bureau_a.pk}/"

    def table(params: dict[str, Any]) -> str:
        return reviewer.get(url, {"year": 2022, **params}).content.decode().split('class="grid dashboard"')[1]

    not_started = table({"status": "not_started"})
    assert "甲二单位" in not_started and "甲一单位" not in not_started
    found = table({"q": "甲一"})
    assert "甲一单位" in found and "甲二单位" not in found


def test_export_is_formula_safe(world: Any) -> None:
    hostile = world.seed.model_copy(update={"project": '=HYPERLINK("http://evil")'})
    record = services.create_form(world.users["filler_a1"], world.a1, hostile).record
    services.submit(world.users["approver_a1"], record.pk)
    reviewer = world.client("reviewer_a")
    raw = reviewer.get(f"/bureaus/{world.bureau_a.pk}/export.csv", {"year": 2022}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0][:3] == ["单位", "主管部门", "表名"]
    titles = [r[2] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in titles
    xlsx = reviewer.get(f"/bureaus/{world.bureau_a.pk}/export.xlsx", {"year": 2022})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in cells and not any(str(c).startswith("=") for c in cells if c)
    assert reviewer.get(f"/bureaus/{world.bureau_a.pk}/export.exe").status_code == 404


def test_profile_choice_is_admin_only_and_applies_to_new_forms(world: Any) -> None:
    url = f"/bureaus/{world.bureau_a.pk}/profile/"
    assert world.client("reviewer_a").post(url, {"year": 2022, "profile": "national"}).status_code == 403
    assert world.client("admin_a").post(url, {"year": 2022, "profile": "nope"}).status_code == 403
    assert (
        world.client("admin_a").post(url, {"year": 2022, "profile": "seed-qiannan-2022"}).status_code == 302
    )
    assert RuleChoice.profile_for(world.bureau_a, 2022) == "seed-qiannan-2022"
    assert world.form().profile == "seed-qiannan-2022"


def _lowered_target(world: Any) -> None:
    """a1's 2021 form achieved 8个; its 2022 form sets the target at ≥6个 (D06)."""
    last = world.seed.model_copy(update={"year": 2021})
    first = world.seed.indicators[0].model_copy(update={"target": "≥5个", "actual": "8个"})
    last = last.model_copy(update={"indicators": [first, *world.seed.indicators[1:]]})
    now = world.seed.indicators[0].model_copy(update={"target": "≥6个"})
    this = world.seed.model_copy(update={"indicators": [now, *world.seed.indicators[1:]]})
    services.create_form(world.users["filler_a1"], world.a1, last)
    services.create_form(world.users["filler_a1"], world.a1, this)


def test_year_over_year_flags_lowered_target(world: Any) -> None:
    _lowered_target(world)
    page = world.client("filler_a1").get(f"/units/{world.a1.pk}/years/").content.decode()
    assert "2021" in page and "2022" in page
    assert "<td >≥5个 / 8个</td>" in page  # the first year has nothing to compare with
    assert '<td class="flag" title="目标低于上年实际完成值">≥6个 / 1个 ⚠ 目标低于上年实际' in page


def test_year_over_year_runs_under_the_forms_profile_checks(world: Any, tmp_path: Path) -> None:
    """A profile that disables D06: the web's year view flags no lowered target, as ``audit --last-year`` does not."""
    profile = tmp_path / "no-d06.toml"
    profile.write_text("""id = "no-d06"
extends = "national"
title = "不查目标低于上年实际"
version = "1"
effective_from = 2020-01-01
reference = { doc = "mof-2020-10", part = "单位自评" }

[checks]
disabled = ["D06"]
reference.disabled = { doc = "mof-2020-10", part = "单位自评" }
""", encoding="utf-8")
    _lowered_target(world)
    FormRecord.objects.filter(unit=world.a1).update(profile=str(profile))
    page = world.client("filler_a1").get(f"/units/{world.a1.pk}/years/").content.decode()
    assert "≥6个 / 1个" in page and "目标低于上年实际" not in page


def test_year_over_year_flags_unchanged_target_with_grown_budget(world: Any) -> None:
    last = world.seed.model_copy(update={"year": 2021})
    total = world.seed.funds.rows[0]
    grown = total.model_copy(update={"budget": total.budget * 2, "executed": total.executed * 2})
    funds = world.seed.funds.model_copy(update={"rows": [grown, *world.seed.funds.rows[1:]]})
    this = world.seed.model_copy(update={"funds": funds})
    services.create_form(world.users["filler_a1"], world.a1, last)
    services.create_form(world.users["filler_a1"], world.a1, this)
    page = world.client("filler_a1").get(f"/units/{world.a1.pk}/years/").content.decode()
    assert 'title="预算明显增加而指标值未变"' in page and "项预算增加而目标未变" in page
    assert "目标低于上年实际完成值" not in page


def test_demo_loads_its_packaged_units(db: Any) -> None:
    summary = load_demo()
    units = summary.bureau.units()
    assert units.filter(forms__isnull=False).distinct().count() >= 15
    assert Organisation.objects.filter(name="中共黔南州委组织部").exists()
    assert not units.filter(name__contains="演示").exists()
    totals = list(FormRecord.objects.values_list("total_computed", flat=True))
    assert totals and all(0 <= total <= 100 for total in totals)
    drafts = FormRecord.objects.filter(status="draft", year=2023)
    assert drafts.exists() and all(record.import_notes for record in drafts)
    statuses = set(FormRecord.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "approved"}
    assert set(FormRecord.objects.values_list("year", flat=True)) == {2022, 2023}
    assert ("reviewer", "财政审核人", summary.bureau.name) in summary.logins
    approved = FormRecord.objects.filter(status="approved").first()
    assert approved is not None and approved.transitions.count() == 4


def test_home_lists_work_waiting_for_each_role(world: Any) -> None:
    draft = services.create_form(
        world.users["filler_a1"], world.a1, world.seed.model_copy(update={"year": 2021})
    ).record
    submitted = _handed_over(world, world.a1)
    filler_home = world.client("filler_a1").get("/").content.decode()
    assert f'href="/forms/{draft.pk}/"' in filler_home and "待办" in filler_home
    assert f'href="/forms/{submitted.pk}/"' not in filler_home  # handed over: nothing to do for the unit
    reviewer_home = world.client("reviewer_a").get("/").content.decode()
    assert f'href="/forms/{submitted.pk}/"' in reviewer_home and "待复核" in reviewer_home
    assert f'href="/forms/{draft.pk}/"' not in reviewer_home
    assert "待办" not in world.client("reviewer_b").get("/").content.decode()


def test_form_downloads_in_official_layout(world: Any) -> None:
    record = world.form()
    client = world.client("filler_a1")
    book = load_workbook(io.BytesIO(client.get(f"/forms/{record.pk}/download.xlsx").content))
    text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "中共黔南州委组织部" in text and world.seed.indicators[0].name in text
    assert client.get(f"/forms/{record.pk}/download.pdf").content.startswith(b"%PDF-")
    assert jsonio.loads(client.get(f"/forms/{record.pk}/download.json").content) == world.seed
    assert client.get(f"/forms/{record.pk}/download.exe").status_code == 404


def test_dashboard_rebuilds_only_the_rows_of_forms_that_changed_and_never_shows_a_stale_one(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _handed_over(world)
    project = world.seed.model_copy(update={"kind": "project", "project": "示范项目"})
    second = services.submit(world.users["approver_a1"],
                             services.create_form(world.users["filler_a1"], world.a1, project).record.pk)
    reviewer, url = world.client("reviewer_a"), f"/bureaus/{world.bureau_a.pk}/"

    def reread() -> tuple[str, set[int]]:
        """The page, and the forms whose rows were read in full."""
        with CaptureQueriesContext(connection) as queries:
            page = reviewer.get(url, {"year": 2022}).content.decode()
        full = [q["sql"] for q in queries.captured_queries if '"finding_codes"' in q["sql"]]
        return page, {pk for pk in (first.pk, second.pk) for sql in full if re.search(rf"\b{pk}\b", sql.split(" IN ")[-1])}

    reread()
    assert reread()[1] == set()  # nothing changed: nothing read again
    # A waiver changes the counts without a new version.
    finding = next(f for f in services.evaluate_record(first).findings if f.severity == "error")
    services.waive(world.users["reviewer_a"], first.pk, finding.code, finding.path or "", "已核实")
    page, reread_forms = reread()
    first.refresh_from_db()
    assert reread_forms == {first.pk}
    line = page[page.index(f'href="/forms/{first.pk}/"'):]
    assert f">{first.error_count}<" in line[: line.index("</tr>")]
    # A renamed unit renames its rows.
    Organisation.objects.filter(pk=world.a1.pk).update(name="甲一单位（更名）")
    page, reread_forms = reread()
    assert reread_forms == {first.pk, second.pk} and page.count("甲一单位（更名）") >= 2
