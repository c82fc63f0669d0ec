"""The entry page's POST ⇄ a Form: field names of the official layout, and readable error places."""

from __future__ import annotations

import re
import uuid
from itertools import zip_longest
from typing import Any

from django.http import QueryDict

from ..io import jsonio
from ..io.notes import MISSING_ROWS
from ..model import Form

FUND_FIELDS = ("label", "initial", "budget", "executed")
#: The last two are the Hebei double-weight columns (权重占比, 折算得分): columns of their own on a form that has
#: them (:func:`double_weight`), else hidden fields, so that editing any form on the page loses nothing.
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score_declared", "reason",
                    "weight_share", "score_converted")
FIELD_LABELS = {
    "label": "项目",
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score_declared": "得分",
    "reason": "偏差原因",
    "weight_share": "权重占比",
    "score_converted": "折算得分",
    "total_declared": "总分",
    "year": "年度",
    "kind": "类型",
    "rate_declared": "执行率",
    "unit": "单位",
}


def double_weight(indicators: list[dict[str, Any]]) -> bool:
    """河北 双权重表: some indicator row (as data) carries a 权重占比 or a 折算得分, which the page then shows."""
    return any(row.get("weight_share") not in (None, "") or row.get("score_converted") not in (None, "")
               for row in indicators)


def _value(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _positioned(post: QueryDict, prefix: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    """Parallel lists ``{prefix}_{field}`` → (page position, row dict), skipping rows left completely empty."""
    columns = [post.getlist(f"{prefix}_{name}") for name in fields]
    rows = []
    # a row at a time across the columns (a shorter column reads as empty cells): a live save reads every cell
    # of the page, some six hundred, so this loop stays plain
    for i, cells in enumerate(zip_longest(*columns)):
        row = {name: (cell.strip() or None) if cell else None for name, cell in zip(fields, cells, strict=True)}
        if any(v is not None for v in row.values()):
            rows.append((i, row))
    return rows


def _rows(post: QueryDict, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [row for _, row in _positioned(post, prefix, fields)]


#: A row key as the server hands them out (a row's position on a loaded page, a new row's 10 hex digits):
#: short and made of characters safe in an element id.
ROW_KEY = re.compile(r"[0-9A-Za-z_-]{1,32}")


def new_row_key() -> str:
    """The key of a row added on the page (``/forms/N/row/``)."""
    return uuid.uuid4().hex[:10]


def _keys(post: QueryDict, positioned: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """The page keys of the indicator rows that made it into the form (as :func:`_positioned` read them), in
    form order.

    Only keys the server issued are echoed back (they become element ids and cache keys); anything else a
    client sends is replaced by the row's position.
    """
    keys = post.getlist("ind_key")
    return [keys[i] if i < len(keys) and ROW_KEY.fullmatch(keys[i]) else str(i) for i, _ in positioned]


def data_from_post(post: QueryDict, kind: str, year: int,
                   indicators: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The canonical data dict of the entry page's fields (numbers stay text; the model parses them exactly);
    ``indicators``: the indicator rows when the caller has read them already."""
    return {
        "kind": kind,
        "year": year,
        "unit": _value(post.get("unit")),
        "department": _value(post.get("department")),
        "project": _value(post.get("project")),
        "filled_on": _value(post.get("filled_on")),
        "contact": {"name": _value(post.get("contact_name")), "phone": _value(post.get("contact_phone"))},
        "funds": {
            "weight": _value(post.get("funds_weight")),
            "rate_declared": _value(post.get("funds_rate_declared")),
            "score_declared": _value(post.get("funds_score_declared")),
            "rows": _rows(post, "fund", FUND_FIELDS),
        },
        "goals": {"expected": _value(post.get("goals_expected")), "actual": _value(post.get("goals_actual"))},
        "indicators": _rows(post, "ind", INDICATOR_FIELDS) if indicators is None else indicators,
        "total_declared": _value(post.get("total_declared")),
        "conclusion": _value(post.get("conclusion")),
    }


def form_and_keys(post: QueryDict, kind: str, year: int) -> tuple[Form, list[str]]:
    """Validate the entry page into a Form (raises InputError naming the field in Chinese), with the page keys of
    its indicator rows: the indicator cells, most of the page's fields, read once for both."""
    positioned = _positioned(post, "ind", INDICATOR_FIELDS)
    data = data_from_post(post, kind, year, [row for _, row in positioned])
    return jsonio.form_from_data(data, "表单"), _keys(post, positioned)


_PATH = re.compile(r"(indicators|rows)\[(\d+)\]\.?(\w*)")


#: Whole field paths whose last step alone would mislead (``contact.name`` is not the 三级指标 ``name``).
PATH_LABELS = {
    "contact.name": "联系人",
    "contact.phone": "联系电话",
    "goals.expected": "预期目标",
    "goals.actual": "实际完成情况",
    "funds": "资金情况",
    "funds.weight": "执行率分值",
    "funds.score_declared": "执行率得分",
    "indicators": "绩效指标",
    MISSING_ROWS: "绩效指标（可能漏读的行）",
    "project": "项目名称",
    "department": "主管部门",
    "filled_on": "填报日期",
    "conclusion": "绩效结论",
}


def human_place(place: str | None) -> str:
    """``表单: indicators[2].weight`` → ``第3个指标 分值`` (what a filler recognises on the page)."""
    text = (place or "").removeprefix("表单: ").removeprefix("表单")
    if text in PATH_LABELS:
        return PATH_LABELS[text]
    match = _PATH.search(text)
    if match:
        what = "指标" if match.group(1) == "indicators" else "资金行"
        label = FIELD_LABELS.get(match.group(3), match.group(3))
        return f"第{int(match.group(2)) + 1}个{what} {label}".strip()
    last = text.rsplit(".", 1)[-1]
    return FIELD_LABELS.get(last, last)


def post_from_form(form: Form) -> dict[str, Any]:
    """The entry page's fields for a Form: what a browser posts (used by API clients, tests and the bench)."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    post: dict[str, Any] = {
        "unit": text(form.unit),
        "department": text(form.department),
        "project": text(form.project),
        "filled_on": text(form.filled_on),
        "contact_name": text(form.contact.name),
        "contact_phone": text(form.contact.phone),
        "funds_weight": text(form.funds.weight),
        "funds_rate_declared": text(form.funds.rate_declared),
        "funds_score_declared": text(form.funds.score_declared),
        "goals_expected": text(form.goals.expected),
        "goals_actual": text(form.goals.actual),
        "total_declared": text(form.total_declared),
        "conclusion": text(form.conclusion),
    }
    for name in FUND_FIELDS:
        post[f"fund_{name}"] = [text(getattr(row, name)) for row in form.funds.rows]
    for name in INDICATOR_FIELDS:
        post[f"ind_{name}"] = [text(getattr(indicator, name)) for indicator in form.indicators]
    post["ind_key"] = [str(i) for i in range(len(form.indicators))]
    return post
