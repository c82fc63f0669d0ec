"""Every forbidden access, CSRF, escaping, login throttling, argon2, cookies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jixiao.web import services

from .conftest import PASSWORD, entry_post


def test_anonymous_is_sent_to_login(world: Any) -> None:
    record = world.form()
    for url in ("/", f"/forms/{record.pk}/", f"/units/{world.a1.pk}/", f"/bureaus/{world.bureau_a.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("suffix", ["", "history/", "download.json", "download.xlsx", "download.pdf", "row/"])
def test_other_units_form_is_404(world: Any, suffix: str) -> None:
    record = world.form()
    assert world.client("filler_a2").get(f"/forms/{record.pk}/{suffix}").status_code == 404
    assert world.client("filler_b1").get(f"/forms/{record.pk}/{suffix}").status_code == 404


def test_other_unit_cannot_save_or_submit(world: Any) -> None:
    record = world.form()
    intruder = world.client("filler_a2")
    assert intruder.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1)).status_code == 404
    assert intruder.post(f"/forms/{record.pk}/submit/").status_code == 404
    assert world.client("filler_a2").get(f"/units/{world.a1.pk}/").status_code == 404
    assert (
        intruder.post(f"/units/{world.a1.pk}/new/", {"kind": "department", "year": "2023"}).status_code == 404
    )


def test_reviewer_sees_only_own_bureaus_handed_over_forms(world: Any) -> None:
    record = world.form()
    reviewer_a, reviewer_b = world.client("reviewer_a"), world.client("reviewer_b")
    assert reviewer_a.get(f"/forms/{record.pk}/").status_code == 404  # still a draft
    services.submit(world.users["approver_a1"], record.pk)
    assert reviewer_a.get(f"/forms/{record.pk}/").status_code == 200
    assert reviewer_b.get(f"/forms/{record.pk}/").status_code == 404
    assert reviewer_b.get(f"/bureaus/{world.bureau_a.pk}/").status_code == 404
    assert reviewer_b.post(f"/forms/{record.pk}/decide/", {"decision": "approve"}).status_code == 404


def test_filler_cannot_submit_and_unit_cannot_decide(world: Any) -> None:
    record = world.form()
    assert world.client("filler_a1").post(f"/forms/{record.pk}/submit/").status_code == 403
    services.submit(world.users["approver_a1"], record.pk)
    assert (
        world.client("approver_a1").post(f"/forms/{record.pk}/decide/", {"decision": "approve"}).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.status == "submitted"


def test_reviewer_cannot_edit_a_units_form(world: Any) -> None:
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    response = world.client("reviewer_a").post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, record.version + 1)
    )
    assert response.status_code == 403


def test_approved_form_is_frozen(world: Any) -> None:
    record = world.form()
    services.submit(world.users["approver_a1"], record.pk)
    services.approve(world.users["reviewer_a"], record.pk)
    record.refresh_from_db()
    filler = world.client("filler_a1")
    response = filler.post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, record.version, conclusion="改")
    )
    assert response.status_code == 403
    assert filler.post(f"/forms/{record.pk}/submit/").status_code == 403
    assert world.client("approver_a1").post(f"/forms/{record.pk}/submit/").status_code == 403
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "hx-post" not in page and "disabled" in page
    with pytest.raises(services.Forbidden):
        services.save_form(world.users["filler_a1"], record.pk, record.version, world.seed)


def test_csrf_is_enforced(world: Any) -> None:
    record = world.form()
    client = world.client("filler_a1", enforce_csrf_checks=True)
    assert client.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1)).status_code == 403
    page = client.get(f"/forms/{record.pk}/")
    token = page.cookies["csrftoken"].value
    response = client.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_user_text_is_escaped(world: Any) -> None:
    record = world.form()
    hostile = "<script>alert('x')</script>"
    rows = [i.reason or "" for i in world.seed.indicators]
    rows[0] = hostile
    filler = world.client("filler_a1")
    filler.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, ind_reason=rows))
    services.submit(world.users["approver_a1"], record.pk)
    services.send_back(world.users["reviewer_a"], record.pk, hostile, {0: hostile})
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert hostile not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    history = filler.get(f"/forms/{record.pk}/history/").content.decode()
    assert hostile not in history and "&lt;script&gt;" in history


def test_login_throttling_locks_username_and_address(world: Any) -> None:
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"username": "filler_a1", "password": "wrong"}).status_code == 200
    locked = client.post("/login/", {"username": "filler_a1", "password": PASSWORD})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    other = Client().post("/login/", {"username": "filler_a2", "password": PASSWORD})
    assert other.status_code == 302


def test_successful_login_resets_failures(world: Any) -> None:
    client = Client()
    for _ in range(4):
        client.post("/login/", {"username": "filler_a1", "password": "wrong"})
    assert client.post("/login/", {"username": "filler_a1", "password": PASSWORD}).status_code == 302
    for _ in range(4):
        Client().post("/login/", {"username": "filler_a1", "password": "wrong"})
    assert Client().post("/login/", {"username": "filler_a1", "password": PASSWORD}).status_code == 302


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(db: Any) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("someone", password=PASSWORD)
    assert user.password.startswith("argon2$")


def test_session_cookie_flags(world: Any, settings: Any) -> None:
    response = Client().post("/login/", {"username": "filler_a1", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_SECURE is False  # only with JIXIAO_SECURE_COOKIES=1 (HTTPS deployments)


def test_pages_load_nothing_from_outside(world: Any) -> None:
    """Air-gapped networks: every script and stylesheet is served by the application itself."""
    import re

    record = world.form()
    pages = [
        world.client("filler_a1").get(f"/forms/{record.pk}/"),
        Client().get("/login/"),
        Client().get("/api/docs"),
    ]
    for page in pages:
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
        assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert Client().get("/static/jixiao/htmx.min.js").status_code == 200


def test_new_membership_takes_effect_for_the_same_user_object(world: Any) -> None:
    from jixiao.web.models import Membership

    record = world.form()
    filler = world.users["filler_a1"]
    with pytest.raises(services.Forbidden):
        services.submit(filler, record.pk)
    Membership.objects.create(user=filler, organisation=world.a1, role=Membership.Role.APPROVER)
    assert services.submit(filler, record.pk).status == "submitted"


def test_admin_site_is_staff_only_and_forms_are_read_only(world: Any) -> None:
    from django.contrib.auth import get_user_model

    record = world.form()
    assert world.client("reviewer_a").get("/admin/").status_code == 302  # not staff → admin login
    boss = get_user_model().objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/jixiao_web/organisation/").status_code == 200
    page = client.get(f"/admin/jixiao_web/formrecord/{record.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        client.post(f"/admin/jixiao_web/formrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def _forms_in_every_status(world: Any) -> None:
    """A draft of each unit (a1 sits in a department, a2 and b1 straight under their bureau), and forms of a1 of
    other years submitted, returned and approved."""
    approver, reviewer = world.users["approver_a1"], world.users["reviewer_a"]
    world.form(world.a1), world.form(world.a2, "filler_a2"), world.form(world.b1, "filler_b1")

    def handed_over(year: int) -> int:
        form = world.seed.model_copy(update={"year": year})
        record = services.create_form(world.users["filler_a1"], world.a1, form).record
        return services.submit(approver, record.pk).pk

    handed_over(2019)
    services.send_back(reviewer, handed_over(2020), "请修改", {})
    services.approve(reviewer, handed_over(2021))


def test_one_form_visibility_is_the_rule_of_the_form_list(world: Any) -> None:
    """``can_see`` (the save reads and locks the row first, then asks) answers as ``visible_forms`` does."""
    from jixiao.web.models import FormRecord
    from jixiao.web.permissions import can_see, visible_forms

    _forms_in_every_status(world)
    for user in world.users.values():
        seen = set(visible_forms(user).values_list("pk", flat=True))
        for record in FormRecord.objects.all():
            assert can_see(user, record) == (record.pk in seen), (user.username, record.status, record.unit.name)


def test_save_of_a_form_one_may_not_see_is_404_and_of_one_one_may_not_edit_403(world: Any) -> None:
    from jixiao.web.models import FormRecord

    _forms_in_every_status(world)
    for name in world.users:
        client = world.client(name)
        for record in FormRecord.objects.all():
            page = client.get(f"/forms/{record.pk}/").status_code
            saved = client.post(f"/forms/{record.pk}/save/", entry_post(world.seed, record.version)).status_code
            assert (page, saved) in ((404, 404), (200, 403), (200, 200)), (name, record.status, page, saved)
