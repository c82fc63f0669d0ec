"""The template library (表样库, ``templates.toml``): the layouts real forms come in, as data.

A :class:`Template` is the form's title, its funds header and its indicator table's data columns as
printed, the profile that scores the template and where it is published.  :func:`columns` turns the
printed headers into the damage generator's ``(header, truth field)`` plan through the vocabulary, so
a template entry is only words: a header the vocabulary does not know fails to load
(:func:`load_templates`).  :func:`render` lays a truth out in a template (a damage-generator
:class:`~jixiao.io.damage.Sheet`, so every extraction shape applies), and :func:`printed_truth` is
what such a sheet can be read back as: the fields the template has no column for are not asserted.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .damage import Cell, Row, Sheet, head_rows
from .textlabels import _COLUMN_MARK, key
from .vocabulary import role_of

#: Vocabulary role → the truth field a rendered cell holds (roles without one print empty cells).
FIELD_OF_ROLE = {"name": "name", "target": "target", "value": "target", "actual": "actual",
                 "weight": "weight", "score": "score_declared"}
#: Funds header role → the truth field of the funds block (``rows[0].…``: the total row).
FUNDS_FIELD_OF_ROLE = {"initial": "rows[0].initial", "initial_a": "rows[0].initial", "budget": "rows[0].budget",
                       "executed": "rows[0].executed", "rate": "rate_declared", "weight": "weight",
                       "score": "score_declared"}
NATIONAL_FUNDS = ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率", "得分")
INDICATOR_FIELDS = ("target", "actual", "weight", "score_declared")
REASON_HEAD = "偏差原因分析及改进措施"


class Template(BaseModel):
    """One layout of the form (表样): title, funds and indicator columns in order, profile and source.

    ``level_weights``: each 一级 and 二级 cell carries its own 分值 in a column after it (the
    决策/管理/绩效 rubric); ``funds_rows``: the 其中 rows printed under the total (部门整体:
    基本支出, 项目支出); ``kind``: the form's kind when the template fixes it (部门整体支出).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    profile: str
    source: str
    indicator_columns: tuple[str, ...] = Field(min_length=2)
    funds_label: str = "项目资金（万元）"
    funds_columns: tuple[str, ...] = NATIONAL_FUNDS
    funds_rows: tuple[str, ...] = ()
    level_weights: bool = False
    kind: str | None = None


@cache
def load_templates() -> tuple[Template, ...]:
    """Every shipped template; a header the vocabulary cannot place is an error here, not a silent blank."""
    data = tomllib.loads((resources.files("jixiao.io") / "templates.toml").read_text(encoding="utf-8"))
    shipped = tuple(Template(**entry) for entry in data["template"])
    for template in shipped:
        unknown = [h for h in template.indicator_columns if _indicator_role(h) is None]
        unknown += [h for h in template.funds_columns if _funds_role(h) is None]
        if unknown:
            raise ValueError(f"表样 {template.id} 的列名不在词表中：{'、'.join(unknown)}")
    return shipped


_TRAILING_NOTE = re.compile(r"\([^()]*\)$")  # ``执行率(B/A)``, ``得分(20分*执行率)``: the heading's own note


def _indicator_role(header: str) -> str | None:
    return role_of(_COLUMN_MARK.sub("", key(header)), "indicator_columns")


def _funds_role(header: str) -> str | None:
    label = key(header)
    return role_of(label, "funds_columns") or role_of(_TRAILING_NOTE.sub("", label), "funds_columns", contained=True)


def roles(template: Template) -> tuple[str, ...]:
    """The vocabulary role of each indicator column, in order."""
    return tuple(_indicator_role(header) or "" for header in template.indicator_columns)


def columns(template: Template) -> tuple[tuple[str, str], ...]:
    """The damage generator's column plan: (printed header, truth field or ``""`` for an empty column)."""
    return tuple((header, FIELD_OF_ROLE.get(role, ""))
                 for header, role in zip(template.indicator_columns, roles(template), strict=True))


def funds_plan(template: Template) -> tuple[tuple[str, str], ...]:
    """The funds header as (printed header, funds field or ``""``)."""
    return tuple((header, FUNDS_FIELD_OF_ROLE.get(_funds_role(header) or "", "")) for header in template.funds_columns)


#: A comparison sign → the operator word an 指标方向 column prints for it.
DIRECTION_WORDS = {"≥": "大于等于", "≤": "小于等于", "=": "等于", ">": "大于", "<": "小于"}
_SPLIT_TARGET = re.compile(r"^(?P<sign>[≥≤=><]?)(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d\s]{0,4})$")


def _split_target(target: Any) -> tuple[str, str, str] | None:
    """``≥95%`` → (``大于等于``, ``95``, ``%``): the parts an operator and a unit column print apart."""
    found = _SPLIT_TARGET.match(_text(target).strip())
    if not found:
        return None
    return DIRECTION_WORDS.get(found["sign"], ""), found["value"], found["unit"]


def _separate(template: Template) -> bool:
    """The template prints the operator and the unit in columns of their own."""
    return {"direction", "measure"} <= set(roles(template))


def _cells(item: Mapping[str, Any], template: Template) -> list[str]:
    """An indicator's data cells as ``template`` prints them (operator, value and unit apart where it has columns)."""
    parts = _split_target(item.get("target")) if _separate(template) else None
    actual = _text(item.get("actual"))
    out = []
    for role, (_, field) in zip(roles(template), columns(template), strict=True):
        if parts and role == "direction":
            out.append(parts[0])
        elif parts and role == "target":
            out.append(parts[1])
        elif parts and role == "measure":
            out.append(parts[2])
        elif parts and role == "actual" and parts[2] and actual.endswith(parts[2]):
            out.append(actual.removesuffix(parts[2]))
        elif role == "nature":
            out.append("正向")
        else:
            out.append(_text(item.get(field)) if field else "")
    return out


def _percent_header(template: Template) -> bool:
    """The rate column is headed ``(%)``: its cells print the bare number (``100`` for 100%)."""
    return any(field == "rate_declared" and "%" in header for header, field in funds_plan(template))


def printed_truth(truth: Mapping[str, Any], template: Template) -> dict[str, Any]:
    """What a form in ``template`` holding ``truth`` prints: fields it has no column for are not asserted."""
    printed = {field for _, field in columns(template)}
    funds_fields = {field for _, field in funds_plan(template)}
    out = dict(truth)
    if template.kind is not None and template.kind != truth.get("kind"):
        out["kind"] = template.kind
        out["project"] = None  # a 部门整体 form names its unit, not a project
    funds = dict(out.get("funds") or {})
    for name in ("weight", "rate_declared", "score_declared"):
        if name not in funds_fields:
            funds[name] = None
    if _percent_header(template) and isinstance(funds.get("rate_declared"), str):
        funds["rate_declared"] = funds["rate_declared"].strip().removesuffix("%")
    total = dict((funds.get("rows") or [{}])[0])
    for name in ("initial", "budget", "executed"):
        if f"rows[0].{name}" not in funds_fields:
            total[name] = None
    funds["rows"] = [total]
    out["funds"] = funds
    out["indicators"] = [{**item, **{f: None for f in INDICATOR_FIELDS if f not in printed}}
                         for item in out.get("indicators") or []]
    if _separate(template):  # the operator word is read back as printed: ``大于等于1次``
        for item in out["indicators"]:
            if (parts := _split_target(item.get("target"))) is not None:
                item["target"] = "".join(parts)
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _labels(*texts: str) -> Row:
    return tuple(Cell(t, label=True) for t in texts)


def _funds_value(funds: Mapping[str, Any], field: str) -> Any:
    if field.startswith("rows[0]."):
        return ((funds.get("rows") or [{}])[0]).get(field.removeprefix("rows[0]."))
    return funds.get(field) if field else None


def _block_sums(items: list[Mapping[str, Any]], level: str) -> dict[Any, Decimal | None]:
    """Each level name's 分值 as the sum of its rows' (None when a row has none)."""
    sums: dict[Any, Decimal | None] = {}
    for item in items:
        name, weight = item.get(level), item.get("weight")
        if name in sums and sums[name] is None:
            continue
        sums[name] = None if weight is None else (sums.get(name) or Decimal(0)) + Decimal(str(weight))
    return sums


def render(truth: Mapping[str, Any], template: Template) -> Sheet:
    """``truth`` laid out in ``template``: title, head, funds block, indicator table, 总分 (a damage sheet)."""
    truth = printed_truth(truth, template)
    department = truth.get("kind") == "department"
    funds = truth.get("funds") or {}
    # a template of project forms prints a department truth under the department form's title
    rows = head_rows(truth, "部门整体支出绩效自评表" if department and template.kind is None else template.title)
    plan = funds_plan(template)
    rows.append(_labels(template.funds_label, *(header for header, _ in plan)))
    rows.append((Cell("年度资金总额", True), *(Cell(_text(_funds_value(funds, field))) for _, field in plan)))
    for label in template.funds_rows:  # 其中 rows: printed without figures (their amounts are not asserted)
        rows.append((Cell(label, True), *(Cell("") for _ in plan)))
    start = len(rows)
    items = list(truth.get("indicators") or [])
    heads = ["一级指标", "分值", "二级指标", "分值"] if template.level_weights else ["一级指标", "二级指标"]
    rows.append(_labels(*heads, *template.indicator_columns, REASON_HEAD))
    sums1, sums2 = _block_sums(items, "level1"), _block_sums(items, "level2")
    level1 = level2 = None
    for item in items:
        first1 = item.get("level1") != level1
        first2 = item.get("level2") != level2 or first1
        level1, level2 = item.get("level1"), item.get("level2")
        cells = [Cell(_text(level1) if first1 else "", True)]
        if template.level_weights:
            cells.append(Cell(_text(sums1.get(level1)) if first1 else ""))
        cells.append(Cell(_text(level2) if first2 else "", True))
        if template.level_weights:
            cells.append(Cell(_text(sums2.get(level2)) if first2 else ""))
        rows.append((*cells, *(Cell(text) for text in _cells(item, template)), Cell("")))
    table = range(start, len(rows))
    rows.append((Cell("总分", True), Cell("100"), Cell(_text(truth.get("total_declared")))))
    return Sheet(tuple(rows), table)
