"""One 部门整体支出 form per unit and year, one form per project (issue 11, item 15): held on every change —
PUT changing the kind or the project, the entry page renaming a project — and by database constraints."""

from __future__ import annotations

from typing import Any

import pytest
import simplejson
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from jixiao.io import jsonio
from jixiao.web import services
from jixiao.web.models import ApiToken, FormRecord

from .conftest import entry_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def _project(world: Any, name: str) -> Any:
    form = world.seed.model_copy(update={"kind": "project", "project": name})
    return services.create_form(world.users["filler_a1"], world.a1, form).record


def _put(world: Any, record: Any, form: Any) -> Any:
    _, key = ApiToken.issue(world.users["filler_a1"], "test")
    body = simplejson.dumps({"version": record.version, "form": jsonio.to_data(form)}, use_decimal=True)
    return Client().put(f"/api/forms/{record.pk}", body, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {key}")


def _state(record: Any) -> tuple[Any, ...]:
    fresh = FormRecord.objects.get(pk=record.pk)
    return fresh.kind, fresh.title, fresh.version, fresh.data


def test_put_cannot_rename_a_project_to_one_the_unit_has(world: Any) -> None:
    first, second = _project(world, "校舍维修"), _project(world, "营养午餐")
    before = _state(second)
    clash = _put(world, second, second.form().model_copy(update={"project": "校舍维修"}))
    assert clash.status_code == 409
    assert clash.json()["place"] == "form.project" and f"“校舍维修”（#{first.pk}" in clash.json()["detail"]
    assert "请换一个项目名称" in clash.json()["detail"]
    assert _state(second) == before
    assert _put(world, second, second.form().model_copy(update={"project": "营养午餐（二期）"})).status_code == 200


def test_put_cannot_turn_a_project_form_into_a_second_department_form(world: Any) -> None:
    department = world.form()
    project = _project(world, "校舍维修")
    before = _state(project)
    clash = _put(world, project, project.form().model_copy(update={"kind": "department", "project": None}))
    assert clash.status_code == 409 and clash.json()["place"] == "form.kind"
    assert f"#{department.pk}" in clash.json()["detail"] and "只有一张部门整体支出表" in clash.json()["detail"]
    assert _state(project) == before
    assert FormRecord.objects.filter(unit=world.a1, year=2022, kind="department").count() == 1


def test_the_entry_page_cannot_rename_a_project_to_one_the_unit_has(world: Any) -> None:
    _project(world, "校舍维修")
    second = _project(world, "营养午餐")
    before = _state(second)
    page = world.client("filler_a1")
    post = entry_post(second.form(), second.version, project="校舍维修")
    fragment = page.post(f"/forms/{second.pk}/save/", post, **HTMX)
    assert fragment.status_code == 409
    assert "未保存：项目名称：2022 年度已有“校舍维修”" in fragment.content.decode()
    whole = page.post(f"/forms/{second.pk}/save/", post)  # without htmx: the page, the input kept
    assert whole.status_code == 409 and 'value="校舍维修"' in whole.content.decode()
    assert _state(second) == before


def test_the_database_refuses_a_second_form_for_one_place(world: Any) -> None:
    department = world.form()
    project = _project(world, "校舍维修")
    for original in (department, project):
        copy = FormRecord(unit=original.unit, year=original.year, kind=original.kind, title=original.title,
                          data=original.data)
        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
    other_year = FormRecord(unit=project.unit, year=2023, kind="project", title=project.title, data=project.data)
    other_year.save()  # the same project another year is a place of its own


def test_a_writer_racing_past_the_check_meets_the_constraint_as_a_duplicate(world: Any) -> None:
    """Another writer stored the same project after our check (:func:`services.holder`) and before our save:
    the constraint's violation comes back as the same Duplicate, not a 500."""
    theirs = _project(world, "校舍维修")
    ours = FormRecord(unit=world.a1, year=theirs.year, kind="project", title="校舍维修", data=theirs.data)
    with pytest.raises(services.Duplicate) as raised:
        services.store_in_place(ours, "project")
    assert raised.value.existing.pk == theirs.pk and raised.value.place == "project"
    assert FormRecord.objects.filter(unit=world.a1, title="校舍维修").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_forms_stored_twice_a_place_of_their_own() -> None:
    """Duplicates stored before migration 0010 are renamed with a note, nothing lost, and the constraints hold."""
    executor = MigrationExecutor(connection)
    before, after = [("jixiao_web", "0009_chinese_names")], [("jixiao_web", "0010_one_form_per_place")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Organisation, Record = apps.get_model("jixiao_web", "Organisation"), apps.get_model("jixiao_web", "FormRecord")
    unit = Organisation.objects.create(name="甲一单位", kind="unit")
    rows = [Record.objects.create(unit=unit, year=2022, kind=kind, title=title, data=f"{{\"n\": {n}}}")
            for n, (kind, title) in enumerate([("department", "甲一单位"), ("department", "甲一单位"),
                                               ("project", "校舍维修"), ("project", "校舍维修"),
                                               ("project", "营养午餐")])]
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    stored = {r.pk: r for r in FormRecord.objects.all()}
    assert [(stored[r.pk].kind, stored[r.pk].title, stored[r.pk].data) for r in rows] == [
        ("department", "甲一单位", '{"n": 0}'),
        ("project", f"甲一单位（重复 #{rows[1].pk}）", '{"n": 1}'),
        ("project", "校舍维修", '{"n": 2}'),
        ("project", f"校舍维修（重复 #{rows[3].pk}）", '{"n": 3}'),
        ("project", "营养午餐", '{"n": 4}'),
    ]
    assert "已有部门整体支出表" in stored[rows[1].pk].import_notes
    assert "已有项目“校舍维修”的表" in stored[rows[3].pk].import_notes
    assert not stored[rows[0].pk].import_notes and not stored[rows[4].pk].import_notes
    with pytest.raises(IntegrityError), transaction.atomic():
        FormRecord.objects.create(unit_id=unit.pk, year=2022, kind="project", title="营养午餐", data="{}")
