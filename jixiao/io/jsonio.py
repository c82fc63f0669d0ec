"""Canonical JSON of a :class:`~jixiao.model.Form` (the published contract).

Numbers are JSON numbers written exactly as their decimals (``3989.07``): they are
read with ``parse_float=Decimal`` and written by simplejson's exact Decimal output,
so nothing ever passes through a binary float. (pydantic's ``model_validate_json`` would save the Python dicts,
but it reads a JSON number for a ``Decimal`` field through a float: ``1234567890.1234567891`` would become
``1234567890.1234567`` and ``0.1000000000`` would lose its written zeros.)
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson
from pydantic import ValidationError

from ..errors import InputError, LimitError, field_path
from ..model import FORM_LIMITS, Form

MAX_JSON_BYTES = 20 * 1024 * 1024  # a form is a few KB; anything near this is hostile


#: What pydantic's error types mean, in the words of the form (any other type: 取值无效).
_KIND_TEXT = {
    "dict_type": "应为 JSON 对象（{…}）",
    "model_type": "应为 JSON 对象（{…}）",
    "model_attributes_type": "应为 JSON 对象（{…}）",
    "list_type": "应为 JSON 列表（[…]）",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}
#: The JSON decoder's messages (their start) in Chinese.
_JSON_TEXT = (
    ("Expecting value", "此处应为一个值"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting property name", "应为用双引号括起的字段名"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Invalid control character", "字符串中有控制字符"),
    ("Invalid \\escape", "无效的转义字符"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
    ("Extra data", "JSON 结束后还有多余内容"),
)


def _json_reason(message: str) -> str:
    return next((zh for en, zh in _JSON_TEXT if message.startswith(en)), "格式错误")


def _shown(value: Any) -> str:
    """A refused input as the message quotes it: a 1,000,000-digit number is cut, not printed in full."""
    text = str(value)
    return text if len(text) <= 40 else text[:20] + "…" + text[-10:]


def explain(error: dict[str, Any]) -> str:
    """A pydantic error in Chinese (the place is named by the caller)."""
    kind = error["type"]
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段（请检查拼写）"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "int_parsing", "int_type"):
        return f"应为数字，实际为 {error.get('input')!r}"
    if kind in ("greater_than_equal", "greater_than"):
        limit = (error.get("ctx") or {}).get("ge", 0)
        return f"不能小于 {limit}：{_shown(error.get('input'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"超出可保存的范围（最大 {(error.get('ctx') or {}).get('le')}）：{_shown(error.get('input'))}"
    if kind == "decimal_max_places":
        return f"小数位数过多（最多 {FORM_LIMITS.max_decimals} 位）：{_shown(error.get('input'))}"
    if kind == "finite_number":
        return "应为有限的数字（不接受 NaN 或无穷大）"
    if kind == "string_too_long":
        return f"文字过长（{len(str(error.get('input')))} 字，上限 {(error.get('ctx') or {}).get('max_length')} 字）"
    if kind == "too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        return f"行数过多（{len(error.get('input') or ())} 行，上限 {limit} 行）"
    if kind == "string_pattern_mismatch":  # the only pattern of the form model: no NUL (model.KEEPABLE)
        return "含有不可见的 NUL 字符（\\x00），请删除后再保存"
    if kind == "string_unicode":
        return "含有无效的 Unicode 字符（孤立的代理项），请删除后再保存"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error") or error.get("msg", kind))
    if kind == "literal_error":
        return f"取值无效 {error.get('input')!r}，应为 department 或 project"
    return _KIND_TEXT.get(kind, f"取值无效 {error.get('input')!r}")


def refusal(exc: ValidationError, place: str) -> LimitError:
    """A value a reader built that the form limits refuse (a 30-digit amount in a text), named in Chinese."""
    first = exc.errors()[0]
    return LimitError(f"读出的内容不构成有效表格：{field_path(first['loc'])} {explain(dict(first))}", place)


def form_from_data(data: Any, place: str = "<json>") -> Form:
    """Validate already-decoded JSON data into a Form, naming the bad field on error."""
    if not isinstance(data, dict):
        raise InputError("顶层应为 JSON 对象（表单）", place)
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f"（另有 {exc.error_count() - 1} 处错误）" if exc.error_count() > 1 else ""
        raise InputError(explain(dict(first)) + more, f"{place}: {field_path(first['loc'])}") from None
    weights = [i.weight for i in form.indicators if i.weight is not None]
    if weights and sum(weights) == 0:
        raise InputError("所有指标分值之和为 0，无法评分", f"{place}: indicators[*].weight")
    return form


def loads(text: str | bytes, place: str = "<json>") -> Form:
    """Parse canonical JSON text into a Form."""
    if len(text) > MAX_JSON_BYTES:
        raise InputError(f"文件过大（{len(text)} 字节），超过 {MAX_JSON_BYTES} 字节上限", place)
    try:
        # the standard library's C scanner with exact decimals: the same values as simplejson's reader, faster
        data = json.loads(text, parse_float=Decimal)
    except UnicodeDecodeError:
        raise InputError("不是有效的 JSON：文件不是 UTF-8 编码", place) from None
    except ValueError as exc:
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f"第{line}行第{column}列" if line else ""
        raise InputError(f"不是有效的 JSON {where}：{_json_reason(str(getattr(exc, 'msg', exc)))}", place) from None
    except RecursionError:
        raise InputError("JSON 嵌套过深", place) from None
    return form_from_data(data, place)


def read(path: str | Path) -> Form:
    """Read a canonical JSON file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(f"文件过大（{size} 字节），超过 {MAX_JSON_BYTES} 字节上限", str(path))
        return loads(path.read_bytes(), str(path))
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", str(path)) from None


def to_data(form: Form) -> dict[str, Any]:
    """The canonical dict (Decimals kept as Decimals)."""
    return form.model_dump(mode="python")


def dumps(form: Form, indent: int | None = 1) -> str:
    """Canonical JSON text: contract key order, exact decimals, UTF-8 characters kept."""
    return simplejson.dumps(to_data(form), use_decimal=True, ensure_ascii=False, indent=indent)

