"""JSON API (django-ninja, OpenAPI at /api/openapi.json) for budget systems: forms, scoring and audit.

Authentication is a bearer token (``Authorization: Bearer jx_…``, issued on the 令牌 page); the same
per-unit permissions as the web pages apply. Numbers are written exactly (Decimals as JSON numbers), and the
description says so (:data:`Number`); ``form`` is described by the form model's own schema (``Form``, the
published contract of docs/form.schema.json) while the API still reads it itself, for Chinese messages naming
the field. Every error is a :class:`Problem` in Chinese — 400, 401, 403, 404, 409, 413 and 422 alike.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import simplejson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field, WithJsonSchema

from ..errors import InputError, field_path
from ..io import jsonio
from ..model import FORM_LIMITS, Form, LongText, Reason
from .engine import Evaluation, available_profiles, evaluate_form
from .models import ApiToken, FindingWaiver, FormRecord, Organisation
from .permissions import unit_ids, visible_forms
from .services import (
    Conflict,
    Duplicate,
    Forbidden,
    approve,
    create_form,
    evaluate_record,
    save_form,
    send_back,
    submit,
    waive,
)


class ExactJSON(BaseRenderer):
    """Decimals as exact JSON numbers, Chinese kept readable."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return str(simplejson.dumps(data, use_decimal=True, ensure_ascii=False, default=str))


class BadBody(Exception):
    """The request body is not JSON the API can read (400 with a Chinese message)."""


def _check_text(value: Any) -> None:
    """Refuse lone UTF-16 surrogates (``"\\ud800"``) anywhere: no database or response can encode them."""
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            raise BadBody("请求中含有无效的 Unicode 字符（孤立的代理项 \\ud800–\\udfff），请删除后重试")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class ExactParser(Parser):
    """Request numbers become Decimals, never binary floats."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = simplejson.loads(request.body, use_decimal=True)
        except RecursionError:
            raise BadBody("请求的 JSON 嵌套过深") from None
        except (ValueError, UnicodeDecodeError) as exc:  # also a 5,000-digit integer (int limit)
            raise BadBody(f"请求不是有效的 JSON：{getattr(exc, 'msg', exc)}") from None
        _check_text(data)
        return data


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return ApiToken.user_for(token)


#: Where the form model's JSON schema sits in the OpenAPI components (added by :meth:`JixiaoAPI.get_openapi_schema`).
FORM_REF = "#/components/schemas/{model}"

#: A Decimal as the API writes it: an exact JSON number (never a string, never through a float).
Number = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "精确的十进制数（JSON 数字）"})]

#: A form in the canonical JSON (the ``Form`` schema). The API validates it itself (:func:`jsonio.form_from_data`)
#: for a Chinese message naming the bad field, so here it stays the decoded object; its description is a
#: marker that :meth:`JixiaoAPI.get_openapi_schema` turns into the reference (pydantic would resolve a ``$ref``).
_FORM_MARK = {"x-jixiao": "Form"}
FormData = Annotated[dict[str, Any], WithJsonSchema(_FORM_MARK)]

#: Ids are database keys (64-bit): a larger number in a path is not a form, not an overflow.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class JixiaoAPI(NinjaAPI):
    """The API whose description also carries the ``Form`` schema that :data:`FormData` refers to, and whose
    answers (a form's content, a unit's figures) stay out of shared and browser caches."""

    def create_response(self, request: HttpRequest, data: Any, **kwargs: Any) -> HttpResponse:
        response = super().create_response(request, data, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        described = super().get_openapi_schema(*args, **kwargs)
        form = Form.model_json_schema(ref_template=FORM_REF, mode="validation")
        components = described.setdefault("components", {}).setdefault("schemas", {})
        components.update(form.pop("$defs", {}))
        components["Form"] = form
        return _with_form_refs(described)


def _with_form_refs(node: Any) -> Any:
    """The description with each :data:`FormData` marker replaced by the reference to ``Form``."""
    if isinstance(node, dict) and node.get("x-jixiao") == "Form":  # pydantic adds a title beside the marker
        return {"$ref": FORM_REF.format(model="Form")}
    if isinstance(node, dict):
        return {key: _with_form_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_form_refs(value) for value in node]
    return node


api = JixiaoAPI(
    title="jixiao 预算绩效自评 API",
    version="1",
    description="表单、评分与复核。所有请求需携带 `Authorization: Bearer <令牌>`。",
    auth=TokenAuth(),
    renderer=ExactJSON(),
    parser=ExactParser(),
    urls_namespace="api",
)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024
    return api.create_response(request, {"detail": f"请求过大，超过 {limit} MB 上限"}, status=413)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "需要有效的接口令牌：请求头 Authorization: Bearer <令牌>（登录后在“API 令牌”页生成）"
    return api.create_response(request, {"detail": detail}, status=401)


def _request_place(loc: Any) -> str:
    """ninja's ``("body", "body", "form")`` or ``("query", "year")`` → ``form`` / ``year``."""
    parts = list(loc)
    while parts and parts[0] in ("body", "query", "path"):
        parts.pop(0)
    return field_path(tuple(parts)) or "请求"


#: ninja's request errors (it drops the input, so the words cannot quote it) in Chinese.
_REQUEST_ERRORS = {
    "missing": "缺少必填字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "dict_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}


def _request_error(error: dict[str, Any]) -> str:
    limits = error.get("ctx") or {}
    if error.get("type") in ("value_error", "string_pattern_mismatch", "string_unicode"):
        return jsonio.explain(error)  # the form model's own refusals (a NUL character) in its Chinese words
    if error.get("type") in ("string_too_long", "too_long"):
        return f"过长（上限 {limits.get('max_length')}）"
    if "ge" in limits or "gt" in limits:
        return f"不能小于 {limits.get('ge', limits.get('gt'))}"
    if "le" in limits or "lt" in limits:
        return f"不能大于 {limits.get('le', limits.get('lt'))}"
    return _REQUEST_ERRORS.get(str(error.get("type")), "取值不符合接口说明")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A request that does not fit the description: the first problem in Chinese, naming the field."""
    first = dict(exc.errors[0]) if exc.errors else {"type": "missing", "loc": ()}
    more = f"（另有 {len(exc.errors) - 1} 处错误）" if len(exc.errors) > 1 else ""
    place = _request_place(first.get("loc", ()))
    return api.create_response(request, {"detail": f"{place}：{_request_error(first)}{more}", "place": place},
                               status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's errors in Chinese; a body the parser refused says why (ninja wraps it as its cause)."""
    cause = exc.__cause__
    detail = str(cause) if isinstance(cause, BadBody) else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


class FormSummary(Schema):
    id: int
    unit: str
    year: int
    kind: str
    title: str
    status: str
    version: int
    total_declared: Number | None
    total_computed: Number
    scored_with: str  # id@version of the rules that computed total_computed
    grade: str
    execution_rate: Number | None
    errors: int
    warnings: int


class FindingOut(Schema):
    code: str
    severity: str
    location: str
    path: str | None
    message: str
    doubt: bool = False  # rests on a field the importer doubted (导入存疑)
    waived: bool = False  # 审核豁免 applies: the finding stays listed but does not count


class WaiverIn(Schema):
    version: int  # the version the reviewer saw (409 if the form changed since)
    code: str
    path: str | None = None
    reason: str


class WaiverOut(Schema):
    code: str
    path: str | None
    reason: str
    by: str
    at: datetime


class WaivedOut(WaiverOut):
    version: int  # the form's version after the waiver (a waiver is a change: send it with the next decision)


class IndicatorOut(Schema):
    index: int
    score: Number | None
    declared: Number | None
    weight: Number | None
    explanation: str


class EvaluationOut(Schema):
    profile: str  # id@version
    total: Number
    grade: str
    total_declared: Number | None
    execution_rate: Number | None
    execution_score: Number | None
    total_explanation: str  # how the total came about (caps, declared vs computed), empty when plain
    indicators: list[IndicatorOut]
    findings: list[FindingOut]


class FormDetail(Schema):
    summary: FormSummary
    form: FormData
    evaluation: EvaluationOut


class ScoreIn(Schema):
    form: FormData
    profile: str = "auto"


class SaveIn(Schema):
    version: int
    form: FormData


class SubmitIn(Schema):
    version: int  # the version the approver saw (409 if the form changed since)


class ApproveIn(Schema):
    version: int  # the version the reviewer saw (409 if the form changed since)
    comment: LongText = ""


class IndicatorComment(Schema):
    index: int = Field(ge=0, lt=FORM_LIMITS.max_indicators)  # the indicator's place in form.indicators (0 = first)
    text: Reason


class ReturnIn(Schema):
    version: int  # the version the reviewer saw (409 if the form changed since)
    comment: LongText = ""
    indicators: list[IndicatorComment] = Field(default_factory=list, max_length=FORM_LIMITS.max_indicators)


class CreateIn(Schema):
    form: FormData


class Problem(Schema):
    """Every error answer: what is wrong, in Chinese, and the field it concerns when there is one."""

    detail: str
    place: str | None = None


#: What any operation may answer besides its own: no or a bad token, a request that does not fit this description.
ALWAYS = {401: Problem, 422: Problem}
#: What an operation with a JSON body may answer too: a body that is not JSON (400) or too large (413).
WITH_BODY = {**ALWAYS, 400: Problem, 413: Problem}


def _summary(r: FormRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit": r.unit.name,
        "year": r.year,
        "kind": r.kind,
        "title": r.title,
        "status": r.status,
        "version": r.version,
        "total_declared": r.total_declared,
        "total_computed": r.total_computed,
        "scored_with": r.scored_with,
        "grade": r.grade,
        "execution_rate": r.execution_rate,
        "errors": r.error_count,
        "warnings": r.warning_count,
    }


def _evaluation(e: Evaluation) -> dict[str, Any]:
    return {
        "profile": e.profile,
        "total": e.total,
        "grade": e.grade,
        "total_declared": e.total_declared,
        "execution_rate": e.execution_rate,
        "execution_score": e.execution_score,
        "total_explanation": e.total_explanation,
        "indicators": [vars(i) for i in e.indicators],
        "findings": [vars(f) for f in e.findings],
    }


def _detail(record: FormRecord, evaluation: Evaluation) -> dict[str, Any]:
    return {
        "summary": _summary(record),
        "form": jsonio.to_data(record.form()),
        "evaluation": _evaluation(evaluation),
    }


@api.get("/profiles", response={200: list[str], **ALWAYS}, summary="可选的评分规则")
def profiles(request: HttpRequest) -> list[str]:
    return available_profiles()


@api.get("/forms", response={200: list[FormSummary], **ALWAYS}, summary="当前用户可见的表")
def list_forms(request: HttpRequest, year: int | None = Query(None, ge=1990, le=2100)) -> list[dict[str, Any]]:
    records = visible_forms(request.auth).select_related("unit").defer("data")
    if year is not None:
        records = records.filter(year=year)
    return [_summary(r) for r in records]


@api.get("/forms/{form_id}", response={200: FormDetail, 404: Problem, **ALWAYS},
         summary="一张表：内容、评分与复核问题")
def get_form(request: HttpRequest, form_id: Id) -> Any:
    record = visible_forms(request.auth).select_related("unit").filter(pk=form_id).first()
    if record is None:
        return Status(404, {"detail": "没有这张表或无权查看"})
    return Status(200, _detail(record, evaluate_record(record)))


@api.put(
    "/forms/{form_id}",
    response={200: FormDetail, 403: Problem, 404: Problem, 409: Problem, **WITH_BODY},
    summary="保存表单内容（乐观锁：需提供读取时的 version）",
)
def put_form(request: HttpRequest, form_id: Id, body: SaveIn) -> Any:
    record = visible_forms(request.auth).filter(pk=form_id).first()
    if record is None:
        return Status(404, {"detail": "没有这张表或无权查看"})
    try:
        form = jsonio.form_from_data(body.form, "form")
        saved = save_form(request.auth, record.pk, body.version, form)
    except InputError as error:
        return Status(400, {"detail": error.message, "place": error.place})
    except Forbidden as denied:
        return Status(403, {"detail": str(denied)})
    except Duplicate as duplicate:
        return Status(409, {"detail": duplicate.message, "place": f"form.{duplicate.place}"})
    except Conflict as conflict:
        return Status(409, {"detail": conflict.message, "place": "version"})
    return Status(200, _detail(saved.record, saved.evaluation))


@api.post(
    "/units/{unit_id}/forms",
    response={201: FormDetail, 404: Problem, 409: Problem, **WITH_BODY},
    summary="为本单位新建一张表（草稿）",
)
def create(request: HttpRequest, unit_id: Id, body: CreateIn) -> Any:
    unit = Organisation.objects.filter(
        pk=unit_id, kind=Organisation.Kind.UNIT, pk__in=unit_ids(request.auth)
    ).first()
    if unit is None:
        return Status(404, {"detail": "没有这个单位或不是本单位人员"})
    try:
        saved = create_form(request.auth, unit, jsonio.form_from_data(body.form, "form"), reason="接口新建")
    except InputError as error:
        return Status(400, {"detail": error.message, "place": error.place})
    except Duplicate as duplicate:
        return Status(409, {"detail": duplicate.message})
    return Status(201, _detail(saved.record, saved.evaluation))


def _waiver(w: FindingWaiver) -> dict[str, Any]:
    return {"code": w.code, "path": w.path or None, "reason": w.reason,
            "by": w.by.get_full_name() or w.by.get_username(), "at": w.at}


@api.get("/forms/{form_id}/waivers", response={200: list[WaiverOut], 404: Problem, **ALWAYS},
         summary="这张表的审核豁免（含历史，按时间先后）")
def list_waivers(request: HttpRequest, form_id: Id) -> Any:
    record = visible_forms(request.auth).filter(pk=form_id).first()
    if record is None:
        return Status(404, {"detail": "没有这张表或无权查看"})
    return Status(200, [_waiver(w) for w in record.waivers.select_related("by")])


@api.post("/forms/{form_id}/waivers",
          response={201: WaivedOut, 403: Problem, 404: Problem, 409: Problem, **WITH_BODY},
          summary="豁免一条复核意见（财政局复核人员，须写明理由；需提供读取时的 version）")
def add_waiver(request: HttpRequest, form_id: Id, body: WaiverIn) -> Any:
    if not visible_forms(request.auth).filter(pk=form_id).exists():
        return Status(404, {"detail": "没有这张表或无权查看"})
    try:
        waiver = waive(request.auth, form_id, body.code, body.path or "", body.reason,
                       expected_version=body.version)
    except InputError as error:
        return Status(400, {"detail": error.message, "place": error.place})
    except Forbidden as denied:
        return Status(403, {"detail": str(denied)})
    except Conflict as conflict:
        return Status(409, {"detail": conflict.message, "place": "version"})
    return Status(201, {**_waiver(waiver), "version": waiver.form.version})


def _decide(request: HttpRequest, form_id: int, action: Any, *args: Any, version: int) -> Any:
    """A workflow step on the version the caller read: 404 unseen, 403 not theirs to take, 409 stale."""
    if not visible_forms(request.auth).filter(pk=form_id).exists():
        return Status(404, {"detail": "没有这张表或无权查看"})
    try:
        return Status(200, _summary(action(request.auth, form_id, *args, expected_version=version)))
    except Forbidden as denied:
        return Status(403, {"detail": str(denied)})
    except Conflict as conflict:
        return Status(409, {"detail": conflict.message, "place": "version"})


DECISION = {200: FormSummary, 403: Problem, 404: Problem, 409: Problem, **WITH_BODY}


@api.post("/forms/{form_id}/submit", response=DECISION, summary="提交财政局审核（本单位审核人；需提供读取时的 version）")
def submit_form(request: HttpRequest, form_id: Id, body: SubmitIn) -> Any:
    return _decide(request, form_id, submit, version=body.version)


@api.post("/forms/{form_id}/approve", response=DECISION,
          summary="审核通过（本财政局复核人员；需提供读取时的 version，通过后表单不可再修改）")
def approve_form(request: HttpRequest, form_id: Id, body: ApproveIn) -> Any:
    return _decide(request, form_id, approve, body.comment, version=body.version)


@api.post("/forms/{form_id}/return", response=DECISION,
          summary="退回修改（本财政局复核人员；需提供读取时的 version 和总体或逐项意见）")
def return_form(request: HttpRequest, form_id: Id, body: ReturnIn) -> Any:
    record = visible_forms(request.auth).filter(pk=form_id).first()
    if record is None:
        return Status(404, {"detail": "没有这张表或无权查看"})
    count = len(record.form().indicators)
    for n, comment in enumerate(body.indicators):
        if comment.index >= count:
            return Status(400, {"detail": f"本表只有 {count} 个指标，没有序号为 {comment.index} 的指标（从 0 起）",
                                "place": f"indicators[{n}].index"})
    per_indicator = {c.index: c.text for c in body.indicators}
    if not body.comment.strip() and not any(text.strip() for text in per_indicator.values()):
        return Status(400, {"detail": "退回时请填写总体意见或逐项意见", "place": "comment"})
    return _decide(request, form_id, send_back, body.comment, per_indicator, version=body.version)


@api.post("/score", response={200: EvaluationOut, **WITH_BODY}, summary="为一张表评分并复核（不保存）")
def score_form(request: HttpRequest, body: ScoreIn) -> Any:
    if body.profile not in available_profiles():
        return Status(400, {"detail": f"未知的评分规则：{body.profile}", "place": "profile"})
    try:
        form = jsonio.form_from_data(body.form, "form")
    except InputError as error:
        return Status(400, {"detail": error.message, "place": error.place})
    return Status(200, _evaluation(evaluate_form(form, body.profile)))
