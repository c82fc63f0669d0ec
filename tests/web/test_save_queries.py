"""The live save's round trips to the database, counted (a count, never a time), and the compiled reads behind it."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jixiao.web.compiled import CompiledQuery
from jixiao.web.models import FormRecord, Membership

from .conftest import entry_post

HTMX = {"HTTP_HX_REQUEST": "true"}
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def _statements(queries: CaptureQueriesContext) -> list[tuple[str, str]]:
    """(verb, table) of each statement that is not transaction control; a SELECT's table is its last FROM (the
    subqueries of its columns come before), a write's the table it writes (an INSERT may copy from another)."""
    found = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if TRANSACTION_CONTROL.match(sql):
            continue
        written = re.match(r'\s*(?:UPDATE|INSERT\s+INTO)\s+"(\w+)"', sql, re.I)
        tables = [written.group(1)] if written else re.findall(r'FROM\s+"(\w+)"', sql)
        found.append((sql.split()[0].upper(), tables[-1] if tables else ""))
    return found


def test_a_live_save_reads_four_rows_and_writes_two(world: Any) -> None:
    """Session, user, the user's roles and the locked form (with its waivers flag and last year's data) are read;
    the form row is updated and its history row inserted. Nothing else: no second read of anything."""
    record = world.form()
    FormRecord.objects.filter(pk=record.pk).update(import_notes="第3页的表格未能读取")  # a column the save leaves
    client = world.client("filler_a1")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/forms/{record.pk}/save/", entry_post(world.seed, record.version, conclusion="新结论"),
                               **HTMX)
    assert response.status_code == 200 and "已保存" in response.content.decode()
    assert _statements(queries) == [
        ("SELECT", "django_session"), ("SELECT", "auth_user"), ("SELECT", "jixiao_web_formrecord"),
        ("SELECT", "jixiao_web_membership"), ("UPDATE", "jixiao_web_formrecord"),
        ("INSERT", "jixiao_web_historicalformrecord"),
    ]
    update = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE"))
    assert '"data"' in update and '"version"' in update and '"import_notes"' not in update  # what changed only
    record.refresh_from_db()
    assert record.form().conclusion == "新结论" and record.history.count() == 2
    assert record.history.first().import_notes == "第3页的表格未能读取"  # the history row holds every field


def _columns(row: Any, names: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def test_the_history_row_of_a_live_save_is_the_row_saved_with_who_when_and_why(world: Any) -> None:
    """The audit trail of the compiled writes: the history row copies every column the form row holds after the
    save (as read back from the database), names the user, the time and the reason, and is the newest row."""
    from jixiao.web.models import _history_columns

    record = world.form()
    started = timezone.now()
    client = world.client("filler_a1")
    response = client.post(f"/forms/{record.pk}/save/", entry_post(world.seed, record.version, conclusion="改过"),
                           **HTMX)
    assert response.status_code == 200 and "已保存" in response.content.decode()
    stored = FormRecord.objects.get(pk=record.pk)
    newest = stored.history.first()
    assert set(_history_columns()) == {f.attname for f in FormRecord._meta.concrete_fields} - {"updated_at"}
    assert _columns(newest, _history_columns()) == _columns(stored, _history_columns())
    assert (newest.history_user, newest.history_change_reason, newest.history_type) == (
        world.users["filler_a1"], "编辑", "~")
    assert started <= newest.history_date <= timezone.now() and started <= stored.updated_at <= timezone.now()
    assert stored.version == record.version + 1 and stored.form().conclusion == "改过"


@pytest.mark.parametrize(("total", "doubts", "notes"), [
    (Decimal("87.1000"), [{"path": "indicators.0.score", "key": "分值"}], "第3页的表格未能读取"),
    (Decimal("-0.0001"), [], "引号 ' \" 反斜杠 \\ 百分号 %s %% 😀"),
    (Decimal("12345678901.2345"), [{"path": "", "key": "", "nested": {"a": [1, "二", None]}}], ""),
])
def test_the_compiled_writes_store_what_the_orms_save_stores(world: Any, total: Decimal, doubts: Any,
                                                             notes: str) -> None:
    """Decimals, JSON and text through :meth:`FormRecord.save_edit` read back as the ORM's own save (with
    simple-history's row) of the same values reads back, in the form row and in its history row."""
    mine, theirs = world.form(), world.form(world.a2, "filler_a2")
    for pk, user in ((mine.pk, "filler_a1"), (theirs.pk, "filler_a2")):
        record = FormRecord.objects.get(pk=pk)
        record.total_computed, record.doubts, record.import_notes, record.version = total, doubts, notes, 9
        if pk == mine.pk:
            record.save_edit(world.users[user], "编辑")
        else:
            record._history_user, record._change_reason = world.users[user], "编辑"  # type: ignore[attr-defined]
            record.save(update_fields=record.changed_columns())
    names = ("total_computed", "doubts", "import_notes", "version")
    a, b = FormRecord.objects.get(pk=mine.pk), FormRecord.objects.get(pk=theirs.pk)
    assert _columns(a, names) == _columns(b, names) == {"total_computed": total, "doubts": doubts,
                                                         "import_notes": notes, "version": 9}
    assert _columns(a.history.first(), names) == _columns(b.history.first(), names) == _columns(b, names)


def test_changed_columns_sees_a_value_changed_in_place(world: Any) -> None:
    record = FormRecord.objects.get(pk=world.form().pk)
    assert record.changed_columns() == ["updated_at"]
    record.doubts.append({"path": "unit", "key": "x"})
    record.version += 1
    assert record.changed_columns() == ["doubts", "updated_at", "version"]
    assert FormRecord(data="{}").changed_columns() is None  # never read: every column is written


def test_a_column_set_back_to_its_read_value_after_a_save_is_written(world: Any) -> None:
    """What changed_columns compares with is the row as last saved or refreshed, not as first read."""
    record = FormRecord.objects.get(pk=world.form().pk)
    read_title = record.title
    record.title = "另一个项目"
    record.save()
    assert record.changed_columns() == ["updated_at"]
    record.title = read_title  # back to the value first read, which is no longer the row's
    assert "title" in record.changed_columns()
    record.save(update_fields=record.changed_columns())
    assert FormRecord.objects.get(pk=record.pk).title == read_title
    FormRecord.objects.filter(pk=record.pk).update(title="别处改的")
    record.refresh_from_db()
    record.title = read_title
    record.save(update_fields=record.changed_columns())
    assert FormRecord.objects.get(pk=record.pk).title == read_title
    record.refresh_from_db(fields=["title"])
    assert record.changed_columns() == ["updated_at"]


def test_an_expired_session_is_no_session(world: Any) -> None:
    client = world.client("filler_a1")
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302  # to the login page


def test_an_inactive_user_loses_the_session(world: Any) -> None:
    client = world.client("filler_a1")
    assert client.get("/").status_code == 200
    user = world.users["filler_a1"]
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


HUGE = 10**26  # beyond any database integer


@pytest.mark.parametrize("route", ["/forms/{pk}/save/", "/forms/{pk}/", "/forms/{pk}/submit/"])
def test_an_id_beyond_the_databases_integers_is_no_form(world: Any, route: str) -> None:
    client = world.client("filler_a1")
    assert client.post(route.format(pk=HUGE), entry_post(world.seed, 1), **HTMX).status_code == 404


def test_a_user_id_beyond_the_databases_integers_in_the_session_is_no_user(world: Any) -> None:
    client = world.client("filler_a1")
    session = client.session
    session["_auth_user_id"] = str(HUGE)
    session.save()
    assert client.get("/").status_code == 302  # to the login page


def test_every_compiled_query_answers_no_row_for_an_integer_beyond_the_column(world: Any) -> None:
    from django.contrib.auth import get_user_model

    from jixiao.web.accounts import _user_query
    from jixiao.web.permissions import _ROLES
    from jixiao.web.services import locked_for_saving

    users = get_user_model()
    for value in (HUGE, -HUGE):
        assert _ROLES.rows(value) == [] and _user_query(users).instances(users, value) == []
        with pytest.raises(FormRecord.DoesNotExist):
            locked_for_saving(value)
    user = world.users["filler_a1"]
    assert _user_query(users).instances(users, str(user.pk)) == [user]  # a value prepared by its field


def test_a_password_change_ends_the_users_other_sessions(world: Any) -> None:
    client = world.client("filler_a1")
    assert client.get("/").status_code == 200
    user = world.users["filler_a1"]
    user.set_password("another-horse-7")
    user.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_logging_in_issues_a_new_session_key(world: Any) -> None:
    from django.test import Client

    from .conftest import PASSWORD

    client = Client()
    before = client.session  # a session from before the login (an anonymous visitor's)
    before["seen"] = True
    before.save()
    client.get("/login/")
    response = client.post("/login/", {"username": "filler_a1", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before.session_key and not Session.objects.filter(session_key=before.session_key).exists()
    assert client.get("/").status_code == 200


def test_a_compiled_query_gives_what_the_orm_gives_for_other_values(world: Any) -> None:
    """Compiled with a stand-in, run with real values: the same rows, converted alike (dates on SQLite are text)."""
    first, second = world.form(), world.form(world.a2, "filler_a2")
    query = CompiledQuery(lambda pk: FormRecord.objects.filter(pk=pk).order_by().values_list("id", "updated_at"), -5)
    for record in (first, second):
        assert query.rows(record.pk) == list(FormRecord.objects.filter(pk=record.pk).values_list("id", "updated_at"))
    assert query.rows(-5) == []
    roles = CompiledQuery(lambda user_id: Membership.objects.filter(user_id=user_id).order_by(), -1)
    user = world.users["filler_a2"]
    assert roles.instances(Membership, user.pk) == list(Membership.objects.filter(user_id=user.pk))


def test_a_stand_in_missing_from_the_query_is_refused(world: Any) -> None:
    query = CompiledQuery(lambda pk: FormRecord.objects.filter(pk=1).order_by(), -5)
    with pytest.raises(RuntimeError, match="stand-in"):
        query.rows(3)


CELL = st.one_of(st.just(""), st.text(alphabet=" \t\u3000\n", max_size=3), st.text(max_size=4))


@given(st.lists(st.lists(CELL, max_size=4), min_size=1, max_size=3))
def test_the_pages_rows_read_each_cell_as_value_does(columns: list[list[str]]) -> None:
    """The entry page's inline cell reading agrees with :func:`jixiao.web.entry._value` on every cell, a shorter
    column reading as empty cells."""
    from django.http import QueryDict

    from jixiao.web.entry import _positioned, _value

    fields = tuple(f"f{k}" for k in range(len(columns)))
    post = QueryDict(mutable=True)
    for name, column in zip(fields, columns, strict=True):
        post.setlist(f"p_{name}", column)
    expected = []
    for i in range(max(len(c) for c in columns)):
        row = {name: _value(column[i] if i < len(column) else None) for name, column in zip(fields, columns, strict=True)}
        if any(v is not None for v in row.values()):
            expected.append((i, row))
    assert _positioned(post, "p", fields) == expected
