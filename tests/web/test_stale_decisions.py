"""Decisions carry the version the user saw (issue 11, item 7): a submit, return, approve or waiver made from a
page (or an API read) older than the form answers 409 with the save's conflict words, and nothing changes."""

from __future__ import annotations

import re
from typing import Any

import simplejson
from django.test import Client

from jixiao.web import services
from jixiao.web.models import ApiToken, FormRecord

from .conftest import entry_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def _rendered_version(page: str, form_action: str) -> str:
    """The version a page's decision form sends (what the browser would post)."""
    form = page.split(f'action="{form_action}"')[1].split("</form>")[0]
    found = re.search(r'name="version" value="(\d+)"', form)
    assert found, f"the form {form_action} sends no version"
    return found.group(1)


def _unchanged(record: FormRecord) -> tuple[Any, ...]:
    fresh = FormRecord.objects.get(pk=record.pk)
    return fresh.status, fresh.version, fresh.data, fresh.transitions.count(), fresh.waivers.count()


def test_an_approval_from_a_page_older_than_the_resubmitted_form_is_refused(world: Any) -> None:
    """The probe's case: the reviewer's page predates a return, an edit and a resubmission."""
    record = world.form()
    approver, reviewer = world.client("approver_a1"), world.client("reviewer_a")
    services.submit(world.users["approver_a1"], record.pk)
    stale_page = reviewer.get(f"/forms/{record.pk}/").content.decode()
    seen = _rendered_version(stale_page, f"/forms/{record.pk}/decide/")
    # Meanwhile (another tab): returned, edited by the unit and handed over again.
    services.send_back(world.users["reviewer_a"], record.pk, "请核实", {})
    record.refresh_from_db()
    services.save_form(world.users["filler_a1"], record.pk, record.version,
                       world.seed.model_copy(update={"conclusion": "评审从未看到的结论"}))
    record.refresh_from_db()
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": record.version}).status_code == 302
    before = _unchanged(record)
    refused = reviewer.post(f"/forms/{record.pk}/decide/", {"decision": "approve", "version": seen})
    assert refused.status_code == 409
    text = refused.content.decode()
    conflict = services.Conflict(FormRecord.objects.get(pk=record.pk), "审核通过")
    assert conflict.changed in text and "审核通过冲突" in text and "评审从未看到的结论" in text  # the latest content
    assert _unchanged(record) == before
    # The page it answers with sends the current version: approving from it works.
    assert reviewer.post(f"/forms/{record.pk}/decide/", {
        "decision": "approve", "version": _rendered_version(text, f"/forms/{record.pk}/decide/")}).status_code == 302
    assert FormRecord.objects.get(pk=record.pk).status == "approved"


def test_decisions_and_save_share_the_conflict_words(world: Any) -> None:
    record = world.form()
    for action in ("保存", "提交", "退回", "审核通过", "豁免"):
        message = services.Conflict(record, action).message
        assert message.startswith(f"{action}冲突：此表已被 filler_a1 于 ") and "（当前为第 1 版）" in message


def test_a_return_and_a_submit_on_stale_versions_change_nothing(world: Any) -> None:
    record = world.form()
    approver, reviewer = world.client("approver_a1"), world.client("reviewer_a")
    page = approver.get(f"/forms/{record.pk}/").content.decode()
    seen = _rendered_version(page, f"/forms/{record.pk}/submit/")
    world.client("filler_a1").post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="改过"), **HTMX)
    before = _unchanged(record)
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": seen}).status_code == 409
    assert approver.post(f"/forms/{record.pk}/submit/").status_code == 409  # no version at all: refused too
    assert _unchanged(record) == before
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    before = _unchanged(record)
    stale = reviewer.post(f"/forms/{record.pk}/decide/",
                          {"decision": "return", "comment": "请核实", "comment_0": "佐证", "version": record.version - 1})
    assert stale.status_code == 409 and "退回冲突" in stale.content.decode()
    # What the reviewer typed comes back in the review form of the current page, not lost to the conflict.
    assert '<textarea name="comment" rows="3">请核实</textarea>' in stale.content.decode()
    assert '<textarea name="comment_0" rows="1">佐证</textarea>' in stale.content.decode()
    assert _unchanged(record) == before and before[0] == "submitted"


def test_the_submit_button_follows_the_pages_own_autosave(world: Any) -> None:
    """The approver edits and then submits from the same page: the autosave hands the button the new version."""
    record = world.form()
    approver = world.client("approver_a1")
    saved = approver.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="审核人修改"), **HTMX)
    fragment = saved.content.decode()
    assert 'id="submit-version" name="version" value="2" hx-swap-oob="true"' in fragment
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": "2"}).status_code == 302


def test_a_waiver_on_a_stale_page_is_refused(world: Any) -> None:
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    finding = next(f for f in services.evaluate_record(record).findings if f.severity == "error")
    reviewer = world.client("reviewer_a")
    page = reviewer.get(f"/forms/{record.pk}/").content.decode()
    assert _rendered_version(page, f"/forms/{record.pk}/waive/") == str(record.version)
    services.rescore(world.users["reviewer_a"], record.pk)  # changes nothing when the rules are current
    FormRecord.objects.filter(pk=record.pk).update(version=record.version + 1)  # someone else's step
    before = _unchanged(record)
    refused = reviewer.post(f"/forms/{record.pk}/waive/", {
        "code": finding.code, "path": finding.path or "", "reason": "已核实", "version": record.version})
    assert refused.status_code == 409 and "豁免冲突" in refused.content.decode()
    assert _unchanged(record) == before


def _api(world: Any, user: str) -> dict[str, str]:
    _, key = ApiToken.issue(world.users[user], "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(path: str, body: dict[str, Any], auth: dict[str, str]) -> Any:
    return Client().post(path, simplejson.dumps(body), content_type="application/json", **auth)


def test_the_api_submit_and_waiver_need_the_version_read(world: Any) -> None:
    record = world.form()
    approver, reviewer = _api(world, "approver_a1"), _api(world, "reviewer_a")
    assert _post(f"/api/forms/{record.pk}/submit", {}, approver).status_code == 422  # the version is required
    services.save_form(world.users["filler_a1"], record.pk, 1, world.seed.model_copy(update={"conclusion": "新"}))
    before = _unchanged(record)
    stale = _post(f"/api/forms/{record.pk}/submit", {"version": 1}, approver)
    assert stale.status_code == 409 and stale.json()["place"] == "version"
    assert "提交冲突：此表已被 filler_a1" in stale.json()["detail"]
    assert _unchanged(record) == before
    done = _post(f"/api/forms/{record.pk}/submit", {"version": 2}, approver)
    assert done.status_code == 200 and done.json()["status"] == "submitted" and done.json()["version"] == 3
    finding = next(f for f in services.evaluate_record(FormRecord.objects.get(pk=record.pk)).findings)
    waiver = {"code": finding.code, "path": finding.path, "reason": "财政局已核实"}
    assert _post(f"/api/forms/{record.pk}/waivers", {**waiver, "version": 2}, reviewer).status_code == 409
    assert not FormRecord.objects.get(pk=record.pk).waivers.exists()
    made = _post(f"/api/forms/{record.pk}/waivers", {**waiver, "version": 3}, reviewer)
    # a waiver is a change: the version goes up, the reply says it, a decision on the version before is stale
    assert made.status_code == 201 and made.json()["version"] == 4 == FormRecord.objects.get(pk=record.pk).version
    assert _post(f"/api/forms/{record.pk}/approve", {"version": 3}, reviewer).status_code == 409
    assert _post(f"/api/forms/{record.pk}/approve", {"version": 4}, reviewer).status_code == 200


def test_the_api_returns_and_approves_only_the_version_read(world: Any) -> None:
    record = world.form()
    reviewer = _api(world, "reviewer_a")
    services.submit(world.users["approver_a1"], record.pk)
    seen = FormRecord.objects.get(pk=record.pk).version
    returned = {"version": seen, "comment": "请核实", "indicators": [{"index": 1, "text": "第二项请附佐证"}]}
    assert _post(f"/api/forms/{record.pk}/approve", {"version": seen - 1}, reviewer).status_code == 409
    assert _post(f"/api/forms/{record.pk}/return", {**returned, "version": seen - 1}, reviewer).status_code == 409
    assert FormRecord.objects.get(pk=record.pk).status == "submitted"
    missing = _post(f"/api/forms/{record.pk}/return", {"version": seen}, reviewer)
    assert missing.status_code == 400 and missing.json()["place"] == "comment"
    beyond = _post(f"/api/forms/{record.pk}/return",
                   {**returned, "indicators": [{"index": len(world.seed.indicators), "text": "无此行"}]}, reviewer)
    assert beyond.status_code == 400 and beyond.json()["place"] == "indicators[0].index"
    nul = _post(f"/api/forms/{record.pk}/approve", {"version": seen, "comment": "同意\x00"}, reviewer)
    assert nul.status_code == 422 and "NUL" in nul.json()["detail"] and nul.json()["place"] == "comment"
    assert _post(f"/api/forms/{record.pk}/approve", {"version": seen}, _api(world, "reviewer_b")).status_code == 404
    done = _post(f"/api/forms/{record.pk}/return", returned, reviewer)
    assert done.status_code == 200 and done.json()["status"] == "returned"
    step = services.latest_return(FormRecord.objects.get(pk=record.pk))
    assert step is not None and [(c.indicator, c.text) for c in step.comments.all()] == [(1, "第二项请附佐证")]
    services.submit(world.users["approver_a1"], record.pk)
    approved = _post(f"/api/forms/{record.pk}/approve",
                     {"version": FormRecord.objects.get(pk=record.pk).version, "comment": "同意"}, reviewer)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_comment_no_database_can_store_is_refused_by_name(world: Any) -> None:
    """A NUL in a review comment or a waiver's reason was a 500 on PostgreSQL: now a 400 naming the field."""
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    reviewer = world.client("reviewer_a")
    before = _unchanged(record)
    returned = reviewer.post(f"/forms/{record.pk}/decide/",
                             {"decision": "return", "comment": "请核实", "comment_1": "佐证\x00", "version": record.version})
    assert returned.status_code == 400 and "未办理：第2个指标的意见: 含有不可见的 NUL 字符" in returned.content.decode()
    finding = next(f for f in services.evaluate_record(record).findings)
    waived = reviewer.post(f"/forms/{record.pk}/waive/", {"code": finding.code, "path": finding.path or "",
                                                          "reason": "已\x00核实", "version": record.version})
    assert waived.status_code == 400 and "豁免理由: 含有不可见的 NUL 字符" in waived.content.decode()
    too_long = reviewer.post(f"/forms/{record.pk}/decide/",
                             {"decision": "approve", "comment": "长" * 10_001, "version": record.version})
    assert too_long.status_code == 400 and "总体意见: 文字过长" in too_long.content.decode()
    assert _unchanged(record) == before


def test_after_a_save_conflict_the_page_keeps_the_version_it_shows(world: Any) -> None:
    """A conflicted autosave must not hand the page the newer version: its next save and its submit button would
    otherwise go through on content the user never saw. Only “用我的内容覆盖” (overwrite) or a reload moves on."""
    record = world.form()
    approver = world.client("approver_a1")
    world.client("filler_a1").post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="甲"), **HTMX)
    clash = approver.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="乙"), **HTMX)
    assert clash.status_code == 409
    fragment = clash.content.decode()
    assert 'id="version"' not in fragment and 'id="submit-version"' not in fragment
    again = approver.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="乙改"), **HTMX)
    assert again.status_code == 409 and FormRecord.objects.get(pk=record.pk).form().conclusion == "甲"
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": "1"}).status_code == 409
