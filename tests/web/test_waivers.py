"""审核豁免 in the web: a reviewer waives a finding with a reason; it stays visible as waived on the page, in the
API and in exports, the stored counts leave it out, the history says who, and only reviewers may waive."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import simplejson
from django.test import Client

from jixiao.web import services
from jixiao.web.models import ApiToken


def _submitted(world: Any) -> Any:
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    return record


def _first_error(record: Any) -> Any:
    return next(f for f in services.evaluate_record(record).findings if f.severity == "error")


def test_a_waived_finding_stays_visible_as_waived(world: Any) -> None:
    record = _submitted(world)
    finding, errors = _first_error(record), record.error_count
    reviewer = world.client("reviewer_a")
    posted = reviewer.post(f"/forms/{record.pk}/waive/",
                           {"code": finding.code, "path": finding.path or "", "reason": "财政局已核实，属批准的调整",
                            "version": record.version})
    assert posted.status_code == 302
    record.refresh_from_db()
    assert record.error_count == errors - 1 and record.history.first().history_change_reason.startswith("审核豁免")
    page = reviewer.get(f"/forms/{record.pk}/").content.decode()
    assert "已豁免：财政局已核实，属批准的调整" in page and "reviewer_a" in page
    _, key = ApiToken.issue(world.users["reviewer_a"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    detail = simplejson.loads(Client().get(f"/api/forms/{record.pk}", **auth).content)
    waived = [f for f in detail["evaluation"]["findings"] if f["waived"]]
    assert [(f["code"], f["path"]) for f in waived] == [(finding.code, finding.path)]
    listed = simplejson.loads(Client().get(f"/api/forms/{record.pk}/waivers", **auth).content)
    assert listed[0]["by"] == "reviewer_a" and listed[0]["reason"] == "财政局已核实，属批准的调整"
    workbook = openpyxl.load_workbook(io.BytesIO(reviewer.get(f"/forms/{record.pk}/download.xlsx").content))
    cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    assert any("已豁免：财政局已核实" in c for c in cells)


def test_only_a_reviewer_may_waive_and_a_reason_is_required(world: Any) -> None:
    record = _submitted(world)
    finding = _first_error(record)
    filler = world.client("filler_a1")
    refused = filler.post(f"/forms/{record.pk}/waive/", {"code": finding.code, "path": finding.path or "",
                                                          "reason": "我认为没问题"})
    assert refused.status_code == 403 and not record.waivers.exists()
    _, key = ApiToken.issue(world.users["reviewer_a"], "test")
    body = simplejson.dumps({"code": finding.code, "path": finding.path, "reason": " ", "version": record.version})
    empty = Client().post(f"/api/forms/{record.pk}/waivers", body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {key}")
    assert empty.status_code == 400 and "豁免理由" in empty.json()["detail"]
    body = simplejson.dumps({"code": finding.code, "path": finding.path, "reason": "已核实",
                             "version": record.version})
    made = Client().post(f"/api/forms/{record.pk}/waivers", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {key}")
    assert made.status_code == 201 and record.waivers.count() == 1


def test_rescoring_under_a_newer_rules_version_is_explicit(world: Any) -> None:
    record = world.form()
    current = record.scored_with
    assert "@" in current  # the stored total says which rules version computed it
    type(record).objects.filter(pk=record.pk).update(scored_with="national@2019.0", total_computed=0)
    filler = world.client("filler_a1")
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "评分规则已更新" in page and "national@2019.0" in page and current in page
    record.refresh_from_db()
    assert record.total_computed == 0  # viewing the page does not re-score
    assert filler.post(f"/forms/{record.pk}/rescore/", {"version": record.version}).status_code == 302
    record.refresh_from_db()
    assert record.scored_with == current and record.total_computed > 0
    assert "按现行规则重新评分：national@2019.0 → " in record.history.first().history_change_reason
    assert "评分规则已更新" not in filler.get(f"/forms/{record.pk}/").content.decode()


def test_a_relative_target_is_scored_against_last_years_form_in_the_web(world: Any) -> None:
    from jixiao.web.models import FormRecord

    seed = world.seed.model_copy(deep=True)
    i = next(n for n, ind in enumerate(seed.indicators) if ind.name == "服务人才人数")
    last = seed.model_copy(deep=True, update={"year": 2021})
    last.indicators[i].actual = "3000人"
    seed.indicators[i].target, seed.indicators[i].actual = "比上年增长10%", "3200人"
    now = services.create_form(world.users["filler_a1"], world.a1, seed).record
    alone = services.evaluate_record(now).indicators[i]
    assert "缺少上年同一指标的实际完成值" in alone.explanation
    earlier = services.create_form(world.users["filler_a1"], world.a1, last).record
    FormRecord.objects.filter(pk=earlier.pk).update(title=now.title)
    scored = services.evaluate_record(now).indicators[i]
    assert "3000 × (1 + 10%) = 3300" in scored.explanation and scored.score < 2
