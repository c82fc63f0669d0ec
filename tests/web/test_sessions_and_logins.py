"""Findings 5, 6, 13 and the weak-password part of 20: sessions, the login throttle, passwords."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from .conftest import PASSWORD


def _login(client: Client, username: str, password: str, url: str = "/login/", **extra: Any) -> int:
    return int(client.post(url, {"username": username, "password": password}, **extra).status_code)


def test_a_session_dies_with_logout_in_every_worker(world: Any) -> None:
    """Finding 5: with ``cached_db`` on a per-process cache, the other worker kept serving a logged-out session.

    A worker's logout deletes the session row; another worker only sees the database. Deleting the row here
    (without touching this process's cache) is what the other worker's logout looks like from this one.
    """
    client = Client()
    assert _login(client, "filler_a1", PASSWORD) == 302
    assert client.get("/").status_code == 200  # the session is now in every cache there is
    Session.objects.all().delete()
    assert client.get("/").status_code == 302


def test_admin_login_is_throttled_like_the_site_login(world: Any, settings: Any) -> None:
    """Finding 6: 8 wrong passwords at /admin/login/ and then the right one logged in."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    for _ in range(settings.JIXIAO_LOGIN_MAX_FAILURES):
        assert _login(client, "root", "wrong", "/admin/login/") == 200
    locked = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in


def test_a_lockout_never_blocks_the_rightful_user_from_another_address(world: Any, settings: Any) -> None:
    """Finding 13: 5 wrong attempts locked the real user out from that address — and, behind a proxy, everywhere."""
    settings.JIXIAO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(settings.JIXIAO_LOGIN_MAX_FAILURES):
        assert _login(Client(), "filler_a1", "wrong", **attacker) == 200
    assert _login(Client(), "filler_a1", PASSWORD, **attacker) == 429
    # the same proxy, another client: the rightful user signs in
    assert _login(Client(), "filler_a1", PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9") == 302
    # an untrusted peer cannot choose its address by writing X-Forwarded-For
    for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"):
        assert _login(Client(), "filler_a2", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forged) == 200
    assert _login(Client(), "filler_a2", PASSWORD, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4") == 429


def test_one_address_trying_many_accounts_is_locked(world: Any, settings: Any) -> None:
    settings.JIXIAO_LOGIN_MAX_ADDRESS_FAILURES = 6
    for name in ("a", "b", "c", "d", "e", "f"):
        assert _login(Client(), name, "wrong", REMOTE_ADDR="192.0.2.9") == 200
    assert _login(Client(), "filler_a1", PASSWORD, REMOTE_ADDR="192.0.2.9") == 429
    assert _login(Client(), "filler_a1", PASSWORD, REMOTE_ADDR="192.0.2.10") == 302


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_logins_get_exactly_the_allowed_answers(world: Any, settings: Any) -> None:
    """Finding 13: 20 concurrent wrong logins were 12 processed, not 5 (the counter raced)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    codes: list[int] = []

    def attempt() -> None:
        codes.append(_login(Client(), "filler_a1", "wrong", REMOTE_ADDR="192.0.2.50"))
        from django.db import connections

        connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes.count(200) == settings.JIXIAO_LOGIN_MAX_FAILURES and codes.count(429) == 20 - codes.count(200)


@pytest.mark.parametrize("weak", ["20232023", "password123", "filler_a1x"])
def test_weak_passwords_are_refused(world: Any, weak: str) -> None:
    """Finding 20: ``20232023`` was accepted."""
    with pytest.raises(ValidationError):
        validate_password(weak, world.users["filler_a1"])
    validate_password("correct-horse-9", world.users["filler_a1"])


def test_malformed_token_and_comment_keys_are_not_a_500(world: Any) -> None:
    """Finding 12: ``POST /tokens/ delete=abc`` and review comments keyed ``comment_-5`` or a 20-digit index."""
    from jixiao.web import services

    client = world.client("filler_a1")
    assert client.post("/tokens/", {"delete": "abc"}).status_code == 200
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    reviewer = world.client("reviewer_a")
    response = reviewer.post(
        f"/forms/{record.pk}/decide/",
        {"decision": "return", "comment": "请修改", "comment_-5": "负数", "comment_" + "9" * 20: "太大", "comment_0": "第一行",
         "version": record.version},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    step = services.latest_return(record)
    assert record.status == "returned" and step is not None
    assert [(c.indicator, c.text) for c in step.comments.all()] == [(0, "第一行")]


def test_secrets_and_downloads_are_not_cached(world: Any) -> None:
    """Finding 20: no ``Cache-Control: no-store`` on /tokens/ and downloads."""
    from jixiao.web import services

    record = world.form()
    client = world.client("filler_a1")
    for url in ("/tokens/", f"/forms/{record.pk}/download.json", f"/forms/{record.pk}/download.xlsx"):
        assert client.get(url)["Cache-Control"] == "no-store", url
    assert client.post("/tokens/", {"name": "k"})["Cache-Control"] == "no-store"
    services.submit(world.users["approver_a1"], record.pk)
    reviewer = world.client("reviewer_a")
    for fmt in ("csv", "xlsx"):
        assert reviewer.get(f"/bureaus/{world.bureau_a.pk}/export.{fmt}")["Cache-Control"] == "no-store"
