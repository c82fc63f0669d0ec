"""Live re-scoring saves, optimistic locking, transactions, the workflow and the history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from jixiao.io import jsonio
from jixiao.web import services
from jixiao.web.engine import evaluate_form
from jixiao.web.models import FormRecord

from .conftest import entry_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_create_blank_form_and_live_rescore(world: Any) -> None:
    filler = world.client("filler_a1")
    response = filler.post(
        f"/units/{world.a1.pk}/new/", {"kind": "project", "year": "2023", "project": "示范项目"}
    )
    record = FormRecord.objects.get(unit=world.a1)
    assert response["Location"] == f"/forms/{record.pk}/"
    assert record.status == "draft" and record.kind == "project" and record.title == "示范项目"
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "项目支出绩效自评表" in page and 'hx-post="/forms/' in page
    # A filler types the seed form in; the panel answers with the score of what was typed.
    post = entry_post(world.seed.model_copy(update={"kind": "project", "project": "示范项目"}), 1)
    panel = filler.post(f"/forms/{record.pk}/save/", post, **HTMX)
    expected = evaluate_form(
        world.seed.model_copy(update={"kind": "project", "year": 2023, "project": "示范项目"})
    )
    text = panel.content.decode()
    assert panel.status_code == 200 and "已保存（第 2 版" in text
    assert f'<strong id="total">{expected.total}</strong>' in text
    assert 'id="version" name="version" value="2" hx-swap-oob="true"' in text
    assert text.count('hx-swap-oob="true"') == 2 + 5 + len(world.seed.indicators)
    record.refresh_from_db()
    assert record.total_computed == expected.total and record.version == 2
    assert record.form().indicators == world.seed.indicators


def test_money_stays_exact_through_the_page(world: Any) -> None:
    record = world.form()
    budgets = [str(r.budget or "") for r in world.seed.funds.rows]
    budgets[0] = "3989.0700001"
    world.client("filler_a1").post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, 1, fund_budget=budgets), **HTMX
    )
    record.refresh_from_db()
    assert record.form().funds.rows[0].budget == Decimal("3989.0700001")
    assert '"budget": 3989.0700001' in record.data


def test_invalid_number_is_named_and_not_saved(world: Any) -> None:
    record = world.form()
    weights = [str(i.weight) for i in world.seed.indicators]
    weights[2] = "十分"
    response = world.client("filler_a1").post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, 1, ind_weight=weights), **HTMX
    )
    text = response.content.decode()
    assert "未保存：第3个指标 分值：应为数字" in text
    record.refresh_from_db()
    assert record.version == 1


def test_indicator_remove_and_reorder(world: Any) -> None:
    record = world.form()
    post = entry_post(world.seed, 1)
    for field in [k for k in post if k.startswith("ind_")]:
        post[field] = list(reversed(post[field]))[:-1]  # reversed, the (former) first one removed
    world.client("filler_a1").post(f"/forms/{record.pk}/save/", post, **HTMX)
    names = [i.name for i in FormRecord.objects.get(pk=record.pk).form().indicators]
    assert names == [i.name for i in reversed(world.seed.indicators)][:-1]


def test_second_saver_gets_conflict_and_keeps_input(world: Any) -> None:
    record = world.form()
    first, second = world.client("filler_a1"), world.client("approver_a1")
    assert (
        first.post(
            f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="甲的结论"), **HTMX
        ).status_code
        == 200
    )
    clash = second.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="乙的结论"), **HTMX)
    assert clash.status_code == 409
    text = clash.content.decode()
    assert "保存冲突" in text and "filler_a1" in text and "用我的内容覆盖" in text
    record.refresh_from_db()
    assert record.form().conclusion == "甲的结论" and record.version == 2
    # Without htmx the whole page comes back with the second person's input still in the fields.
    page = second.post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="乙的结论")
    ).content.decode()
    assert 'value="乙的结论"' in page and "保存冲突" in page
    # Choosing "overwrite" stores the second person's content on top of the current version.
    done = second.post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="乙的结论", overwrite="1"), **HTMX
    )
    assert done.status_code == 200
    record.refresh_from_db()
    assert record.form().conclusion == "乙的结论" and record.version == 3


def test_conflict_panel_scores_the_savers_own_input(world: Any) -> None:
    """After a 409 the page still holds the second person's input: its panel shows their total and findings."""
    record = world.form()
    weights = [str(i.weight) for i in world.seed.indicators]
    weights[0] = str(world.seed.indicators[0].weight + 5)  # 分值 no longer add up: another total, other findings
    changed = world.client("filler_a1").post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, 1, ind_weight=weights), **HTMX
    )
    assert changed.status_code == 200
    clash = world.client("approver_a1").post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1), **HTMX)
    text = clash.content.decode()
    own, theirs = evaluate_form(world.seed), services.evaluate_record(FormRecord.objects.get(pk=record.pk))
    assert clash.status_code == 409 and own.total != theirs.total
    assert f'<strong id="total">{own.total}</strong>' in text
    own_codes, their_codes = {f.code for f in own.findings}, {f.code for f in theirs.findings}
    assert own_codes != their_codes
    assert all(f"<b>{code}</b>" in text for code in own_codes)
    assert not any(f"<b>{code}</b>" in text for code in their_codes - own_codes)
    assert f"{own.errors} 错误" in text and f"{own.warnings} 警告" in text


def test_crash_mid_save_leaves_previous_version(world: Any, transactional_db: Any) -> None:
    record = world.form()
    before = FormRecord.objects.get(pk=record.pk)
    history_rows = record.history.count()

    history_table = FormRecord.history.model._meta.db_table

    def crash(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        """The database fails the history row's INSERT, after the form row's UPDATE went through."""
        if sql.startswith("INSERT") and history_table in sql:
            raise RuntimeError("disk full")
        return execute(sql, params, many, context)

    changed = world.seed.model_copy(update={"conclusion": "不应出现"})
    with connection.execute_wrapper(crash), pytest.raises(RuntimeError):
        services.save_form(world.users["filler_a1"], record.pk, 1, changed)
    after = FormRecord.objects.get(pk=record.pk)
    assert (after.version, after.data, after.total_computed) == (
        before.version,
        before.data,
        before.total_computed,
    )
    assert record.history.count() == history_rows


def test_full_workflow_with_comments_and_history(world: Any) -> None:
    record = world.form()
    filler, approver, reviewer = (
        world.client("filler_a1"),
        world.client("approver_a1"),
        world.client("reviewer_a"),
    )
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": 1}).status_code == 302
    assert (
        reviewer.post(f"/forms/{record.pk}/decide/", {"decision": "return", "version": 2}).status_code == 403
    )  # needs a comment
    response = reviewer.post(
        f"/forms/{record.pk}/decide/",
        {"decision": "return", "comment": "请核实", "comment_1": "第二项实际值请附佐证", "version": 2},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "returned"
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "审核意见：第二项实际值请附佐证" in page and "请核实" in page
    assert f'href="/units/{world.a1.pk}/">← 甲一单位' in page
    back = f'href="/bureaus/{world.bureau_a.pk}/?year=2022">← 甲财政局 复核看板'
    assert back in reviewer.get(f"/forms/{record.pk}/").content.decode()
    filler.post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, record.version, conclusion="已补充"), **HTMX
    )
    assert approver.post(f"/forms/{record.pk}/submit/", {"version": 4}).status_code == 302
    assert reviewer.post(f"/forms/{record.pk}/decide/", {"decision": "approve", "version": 5}).status_code == 302
    record.refresh_from_db()
    assert record.status == "approved"
    steps = [(t.from_status, t.to_status, t.by.username) for t in record.transitions.all()]
    assert steps == [
        ("draft", "submitted", "approver_a1"),
        ("submitted", "returned", "reviewer_a"),
        ("returned", "submitted", "approver_a1"),
        ("submitted", "approved", "reviewer_a"),
    ]
    history = list(record.history.order_by("history_id"))
    assert [h.history_user.username for h in history] == [
        "filler_a1",
        "approver_a1",
        "reviewer_a",
        "filler_a1",
        "approver_a1",
        "reviewer_a",
    ]
    page = filler.get(f"/forms/{record.pk}/history/").content.decode()
    assert "已退回" in page and "第二项实际值请附佐证" in page
    diff = filler.get(
        f"/forms/{record.pk}/compare/", {"a": history[0].history_id, "b": history[3].history_id}
    )
    text = diff.content.decode()
    assert "<code>conclusion</code>" in text and "已补充" in text


def test_new_row_fragment(world: Any) -> None:
    record = world.form()
    fragment = world.client("filler_a1").get(f"/forms/{record.pk}/row/").content.decode()
    assert 'name="ind_name"' in fragment and 'name="ind_key"' in fragment


def test_stored_json_is_canonical(world: Any) -> None:
    record = world.form()
    assert record.data == jsonio.dumps(world.seed)


def test_review_comment_follows_its_indicator_when_rows_move(world: Any) -> None:
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    services.send_back(world.users["reviewer_a"], record.pk, "", {1: "请补充佐证"})
    record.refresh_from_db()
    moved = world.seed.model_copy(update={"indicators": list(reversed(world.seed.indicators))})
    services.save_form(world.users["filler_a1"], record.pk, record.version, moved)
    page = world.client("filler_a1").get(f"/forms/{record.pk}/").content.decode()
    second = world.seed.indicators[1].name
    row = page.split(f">{second}</textarea>")[1].split("</tr>")[0]
    assert "审核意见：请补充佐证" in row


def test_one_department_form_per_unit_and_year(world: Any) -> None:
    record = world.form()
    filler = world.client("filler_a1")
    again = filler.post(f"/units/{world.a1.pk}/new/", {"kind": "department", "year": "2022"}, follow=True)
    assert again.redirect_chain[-1][0] == f"/forms/{record.pk}/" and "不能重复建立" in again.content.decode()
    project = {"kind": "project", "year": "2022", "project": "示范项目"}
    first = filler.post(f"/units/{world.a1.pk}/new/", project)
    second = filler.post(f"/units/{world.a1.pk}/new/", project)
    assert first["Location"] == second["Location"] != f"/forms/{record.pk}/"
    assert FormRecord.objects.filter(unit=world.a1).count() == 2
