"""JSON API: token auth, permissions, exact numbers, optimistic locking, OpenAPI."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import simplejson
from django.test import Client

from jixiao.io import jsonio
from jixiao.web.engine import evaluate_form
from jixiao.web.models import ApiToken


def _auth(world: Any, name: str) -> dict[str, str]:
    _, key = ApiToken.issue(world.users[name], "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_openapi_is_public_json(db: Any) -> None:
    response = Client().get("/api/openapi.json")
    spec = json.loads(response.content)
    assert (
        response.status_code == 200
        and "/api/forms/{form_id}" in spec["paths"]
        and "/api/score" in spec["paths"]
    )


def test_token_required(world: Any) -> None:
    assert Client().get("/api/forms").status_code == 401
    assert Client().get("/api/forms", HTTP_AUTHORIZATION="Bearer jx_forged").status_code == 401


def test_forms_are_filtered_by_permission(world: Any) -> None:
    record = world.form()
    mine = simplejson.loads(Client().get("/api/forms", **_auth(world, "filler_a1")).content, use_decimal=True)
    assert [f["id"] for f in mine] == [record.pk]
    assert simplejson.loads(Client().get("/api/forms", **_auth(world, "filler_a2")).content) == []
    assert Client().get(f"/api/forms/{record.pk}", **_auth(world, "filler_b1")).status_code == 404
    detail = simplejson.loads(
        Client().get(f"/api/forms/{record.pk}", **_auth(world, "filler_a1")).content, use_decimal=True
    )
    assert jsonio.form_from_data(detail["form"]) == world.seed
    assert detail["evaluation"]["total"] == evaluate_form(world.seed).total


def test_put_with_version_and_conflict(world: Any) -> None:
    record = world.form()
    auth = _auth(world, "filler_a1")
    data = jsonio.to_data(world.seed)
    data["conclusion"] = "接口写入"
    body = simplejson.dumps({"version": 1, "form": data}, use_decimal=True)
    ok = Client().put(f"/api/forms/{record.pk}", body, content_type="application/json", **auth)
    assert ok.status_code == 200
    assert simplejson.loads(ok.content)["summary"]["version"] == 2
    again = Client().put(f"/api/forms/{record.pk}", body, content_type="application/json", **auth)
    assert again.status_code == 409 and "保存冲突" in again.json()["detail"]
    data["indicators"][0]["weight"] = "abc"
    bad = simplejson.dumps({"version": 2, "form": data}, use_decimal=True)
    response = Client().put(f"/api/forms/{record.pk}", bad, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["place"] == "form: indicators[0].weight"


def test_score_keeps_decimals_exact(world: Any) -> None:
    data = jsonio.to_data(world.seed)
    data["funds"]["rows"][0]["executed"] = Decimal("3967.2900000001")
    body = simplejson.dumps({"form": data, "profile": "national"}, use_decimal=True)
    response = Client().post("/api/score", body, content_type="application/json", **_auth(world, "filler_a1"))
    result = simplejson.loads(response.content, use_decimal=True)
    expected = evaluate_form(jsonio.form_from_data(data), "national")
    assert result["total"] == expected.total and result["execution_rate"] == expected.execution_rate
    assert isinstance(result["total"], Decimal)


def test_create_and_submit_through_the_api(world: Any) -> None:
    body = simplejson.dumps({"form": jsonio.to_data(world.seed)}, use_decimal=True)
    filler = _auth(world, "filler_a1")
    url = f"/api/units/{world.a1.pk}/forms"
    assert (
        Client()
        .post(f"/api/units/{world.b1.pk}/forms", body, content_type="application/json", **filler)
        .status_code
        == 404
    )
    created = Client().post(url, body, content_type="application/json", **filler)
    assert created.status_code == 201
    form_id = created.json()["summary"]["id"]
    assert Client().post(url, body, content_type="application/json", **filler).status_code == 409
    seen = simplejson.dumps({"version": created.json()["summary"]["version"]})
    submit = f"/api/forms/{form_id}/submit"
    assert Client().post(submit, seen, content_type="application/json", **filler).status_code == 403
    assert Client().post(submit, seen, content_type="application/json", **_auth(world, "filler_b1")).status_code == 404
    done = Client().post(submit, seen, content_type="application/json", **_auth(world, "approver_a1"))
    assert done.status_code == 200 and done.json()["status"] == "submitted"
