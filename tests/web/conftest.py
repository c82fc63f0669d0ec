"""pytest-django setup for the web tests: SQLite in a temp dir by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
os.environ.setdefault("JIXIAO_DATA_DIR", tempfile.mkdtemp(prefix="jixiao-test-"))
if "PYTEST_XDIST_WORKER" in os.environ:
    # The xdist controller loaded this file first and its workers inherit its directory: each worker gets
    # its own (SQLite files, secret key).
    os.environ["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-test-")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in the e2e tests

import django

django.setup()  # pytest-django is configured from the root; these tests bring their own settings module

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "examples" / "qiannan-2022.json"
PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any, request: pytest.FixtureRequest) -> None:
    """MD5 for test users (argon2 is asserted separately), and a clean cache."""
    from django.core.cache import caches

    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches["default"].clear()


class World:
    """Two bureaus: A with units a1, a2 (a1 in a department), B with one unit; one user per role."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from jixiao.io import jsonio
        from jixiao.web.models import Membership, Organisation

        Role, Kind = Membership.Role, Organisation.Kind
        users = get_user_model().objects
        self.bureau_a = Organisation.objects.create(name="甲财政局", kind=Kind.BUREAU)
        dept = Organisation.objects.create(name="甲部门", kind=Kind.DEPARTMENT, parent=self.bureau_a)
        self.a1 = Organisation.objects.create(name="甲一单位", kind=Kind.UNIT, parent=dept)
        self.a2 = Organisation.objects.create(name="甲二单位", kind=Kind.UNIT, parent=self.bureau_a)
        self.bureau_b = Organisation.objects.create(name="乙财政局", kind=Kind.BUREAU)
        self.b1 = Organisation.objects.create(name="乙一单位", kind=Kind.UNIT, parent=self.bureau_b)
        self.users: dict[str, Any] = {}
        for name, org, role in (
            ("filler_a1", self.a1, Role.FILLER),
            ("approver_a1", self.a1, Role.APPROVER),
            ("filler_a2", self.a2, Role.FILLER),
            ("reviewer_a", self.bureau_a, Role.REVIEWER),
            ("admin_a", self.bureau_a, Role.ADMIN),
            ("reviewer_b", self.bureau_b, Role.REVIEWER),
            ("filler_b1", self.b1, Role.FILLER),
        ):
            user = users.create_user(name, password=PASSWORD)
            Membership.objects.create(user=user, organisation=org, role=role)
            self.users[name] = user
        self.seed = jsonio.read(SEED)

    def form(self, unit: Any = None, user: str = "filler_a1") -> Any:
        from jixiao.web import services

        return services.create_form(self.users[user], unit or self.a1, self.seed).record

    def client(self, name: str, **kwargs: Any) -> Any:
        from django.test import Client

        client = Client(**kwargs)
        client.force_login(self.users[name])
        return client


@pytest.fixture
def world(db: Any) -> World:
    return World()


def entry_post(form: Any, version: int, **changes: Any) -> dict[str, Any]:
    """The entry page's POST for a Form (what the browser sends), with field overrides."""
    from jixiao.web.entry import post_from_form

    return {**post_from_form(form), "version": str(version), **changes}


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "argon2: keep the production argon2 password hasher")
    config.addinivalue_line("markers", "e2e: end-to-end browser tests (Playwright + /usr/bin/chromium)")
