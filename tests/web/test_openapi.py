"""The OpenAPI description matches what the API answers (issue 11, item 10).

A bounded schemathesis run against the app in-process (WSGI, with a real token) applies its default checks —
no 5xx, documented status codes and content types, response bodies valid against the documented schemas —
to every operation; half the generated form ids are replaced by a real form's, so the 200 answers (the
Decimals, the typed ``form``) are checked as well as the 404s. Direct tests pin the description's choices.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
import simplejson
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from jixiao.web.models import ApiToken
from jixiao.web.wsgi import application

#: Generated examples per operation; with schemathesis's coverage cases (boundaries, missing and wrong-typed
#: fields, no token) the run sends about 1,800 requests — some 15 s on SQLite, under a minute on PostgreSQL.
EXAMPLES_PER_OPERATION = 30

#: The default checks, as configured out of the box but for one status: a form can be valid JSON Schema and
#: still break a rule the schema cannot say (a lone surrogate, a blank indicator name, weights summing to 0,
#: 项目 forms without a project): the API answers 400 with a Chinese message naming the field — documented on
#: each operation — so 400 counts as an answer to schema-valid data too.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]}}})

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

#: The token of the current test (schemathesis asks its auth provider for it before each case).
CURRENT: dict[str, Any] = {}


@schema.auth(refresh_interval=None)
class CurrentToken:
    """The bearer token as a client sends it; schemathesis leaves it out where it tests a missing one."""

    def get(self, case: Any, context: Any) -> str:
        return str(CURRENT.get("key", ""))  # asked once at collection too, before any test

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def token(world: Any) -> Iterator[dict[str, Any]]:
    """An approver's token and the ids of a form and a unit it may act on.

    As Django's test client does, requests keep the test's database connection (with its transaction) open:
    the WSGI client schemathesis uses would otherwise close it at each request's end (PostgreSQL).
    """
    record = world.form()
    _, key = ApiToken.issue(world.users["approver_a1"], "schemathesis")
    CURRENT.update(key=key, form=record.pk, unit=world.a1.pk)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield CURRENT
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_description_says(case: Any, token: dict[str, Any]) -> None:
    parameters = case.path_parameters or {}
    for name, real in (("form_id", token["form"]), ("unit_id", token["unit"])):
        if isinstance(parameters.get(name), int) and parameters[name] % 2 == 0:
            parameters[name] = real
    case.call_and_validate()


def _openapi() -> dict[str, Any]:
    return simplejson.loads(Client().get("/api/openapi.json").content)


def test_decimals_are_documented_as_the_numbers_the_api_returns(world: Any) -> None:
    described = _openapi()["components"]["schemas"]
    assert described["FormSummary"]["properties"]["total_computed"]["type"] == "number"
    record = world.form()
    _, key = ApiToken.issue(world.users["filler_a1"], "t")
    answer = Client().get(f"/api/forms/{record.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer["Cache-Control"] == "no-store"  # a form's content stays out of caches, as its downloads do
    detail = simplejson.loads(answer.content, use_decimal=True)
    assert isinstance(detail["summary"]["total_computed"], Decimal)  # a JSON number, not a string
    assert detail["summary"]["total_computed"] == record.total_computed


def test_form_is_typed_and_every_error_status_is_described(db: Any) -> None:
    described = _openapi()
    schemas = described["components"]["schemas"]
    assert schemas["FormDetail"]["properties"]["form"] == {"$ref": "#/components/schemas/Form"}
    assert schemas["ScoreIn"]["properties"]["form"] == {"$ref": "#/components/schemas/Form"}
    assert "indicators" in schemas["Form"]["required"] and "Indicator" in schemas
    for path, operations in described["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "422"} <= codes, (method, path, codes)
            if "{form_id}" in path or "{unit_id}" in path:
                assert "404" in codes, (method, path)


def test_validation_and_authentication_errors_are_chinese_problems(world: Any) -> None:
    no_token = Client().get("/api/forms")
    assert no_token.status_code == 401 and "令牌" in no_token.json()["detail"]
    _, key = ApiToken.issue(world.users["filler_a1"], "t")
    bad = Client().get("/api/forms", {"year": "abc"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bad.status_code == 422 and bad.json()["place"] == "year" and "整数" in bad.json()["detail"]
