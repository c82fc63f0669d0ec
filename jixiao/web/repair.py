"""Stored forms brought within the form limits (:data:`jixiao.model.FORM_LIMITS`), so every row reads again.

Before the limits a filler could store 总分 ``123456`` or 全年执行数 typed in 元 against a budget in 万元: the JSON
was kept, but the derived columns exceeded their ``DecimalField`` digits and every read of the row failed. Migration
0005 widens the columns and runs :func:`repair_table` over the forms and their history: a stored value outside
the limits is cleared (a number) or cut (a text), and what was removed is written into the record's import notes
(导入提示), which the entry page shows to the filler — nothing disappears silently.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import simplejson
from pydantic import ValidationError

from ..errors import field_path
from ..model import Form

#: Rounds of repair: each fixes every error pydantic reports, a cleared value can reveal no new one.
_ROUNDS = 3


def fitted(value: Decimal | None, max_digits: int, decimal_places: int) -> Decimal | None:
    """``value`` rounded to the column's places as the database stores it, or None when it cannot be stored."""
    if value is None or not value.is_finite():
        return None
    try:
        stored = value.quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation:  # more digits than the decimal context holds
        return None
    return stored if len(stored.as_tuple().digits) <= max_digits else None


def _cut(container: Any, key: Any, error: dict[str, Any]) -> str:
    """Bring one refused value within its limit; the note says what was removed."""
    value = container[key]
    place = field_path(error["loc"])
    limit = (error.get("ctx") or {}).get("max_length")
    if isinstance(value, list) and limit is not None:
        removed = value[limit:]
        del value[limit:]
        text = simplejson.dumps(removed, use_decimal=True, ensure_ascii=False)
        return f"{place}：超过上限的 {len(removed)} 行已移出本表，原内容：{text}"
    if isinstance(value, str):
        clean = "".join(c for c in value if c != "\x00" and not "\ud800" <= c <= "\udfff")
        container[key] = clean[:limit] if limit is not None else clean
        rest = clean[limit:] if limit is not None else ""
        return f"{place}：已删除不可见字符" + (f"，超出 {limit} 字的部分已移出：{rest}" if rest else "")
    container[key] = None
    return f"{place}：数值 {value} 超出可保存的范围，已清空，请重新填写"


def repaired(text: str) -> tuple[str, list[str]] | None:
    """The stored JSON within the form limits and the notes on what was removed; None when nothing needs it."""
    try:
        data = simplejson.loads(text, use_decimal=True)
    except ValueError:
        return None
    notes: list[str] = []
    for _ in range(_ROUNDS):
        try:
            Form.model_validate(data)
            break
        except ValidationError as exc:
            errors = [dict(e) for e in exc.errors()]
        for error in errors:
            container: Any = data
            try:
                for part in error["loc"][:-1]:
                    container = container[part]
                notes.append(_cut(container, error["loc"][-1], error))
            except (KeyError, IndexError, TypeError):
                continue  # not a limit (a missing or mistyped field): the entry page reports it
    if not notes:
        return None
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1), notes


def _stored(raw: Any) -> Decimal | None:
    """A decimal column as the database holds it (SQLite may hand back a float, an int or text)."""
    if raw is None:
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _figures(data: str, profile: str) -> dict[str, Decimal | None] | None:
    """The derived columns of a stored form, or None when its content still does not read."""
    from ..errors import InputError
    from ..io import jsonio
    from .engine import evaluate_form

    try:
        evaluation = evaluate_form(jsonio.loads(data), profile)
    except (InputError, KeyError):
        return None
    return {
        "total_declared": evaluation.total_declared,
        "total_computed": evaluation.total,
        "execution_rate": evaluation.execution_rate,
        **evaluation.figures,
    }


def repair_table(model: Any, connection: Any) -> int:
    """Repair every row of a FormRecord table (or its history table) read with raw SQL; the rows changed."""
    meta = model._meta
    decimals = [f for f in meta.fields if f.get_internal_type() == "DecimalField"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in decimals)
    pk = quote(meta.pk.column)
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, data, import_notes, profile, {columns} FROM {quote(meta.db_table)}")
        rows = cursor.fetchall()
    for key, data, notes, profile, *raw in rows:
        stored = [_stored(value) for value in raw]
        misfits = any(
            value is not None and fitted(value, f.max_digits, f.decimal_places) is None
            for f, value in zip(decimals, stored, strict=True)
        )
        fix = repaired(data)
        if fix is None and not misfits:
            continue
        if fix is not None:
            data = fix[0]
            notes = "\n".join([*filter(None, [notes]), "修复（数值或文字超出上限）：", *fix[1]])
        figures = _figures(data, profile) or {}
        values = []
        for f, value in zip(decimals, stored, strict=True):
            value = figures.get(f.name, value)
            value = fitted(value, f.max_digits, f.decimal_places)
            values.append(Decimal(0) if value is None and not f.null else value)
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in decimals)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET data = %s, import_notes = %s, {assignments} WHERE {pk} = %s",
                [data, notes, *values, key],
            )
        changed += 1
    return changed


def separate_duplicates(model: Any) -> int:
    """Give each form stored twice for one place a place of its own, so migration 0010's constraints apply.

    Before 0010 a changed 类型 or a renamed 项目 could make a second 部门整体支出 form for a unit and year, or two
    forms of one project. The oldest keeps its place; each later one is renamed “…（重复 #id）” (a department
    form becomes a project form, its content untouched) and its import notes (导入提示) say why, so the filler
    sees it on the entry page and the history keeps what it was. Returns the forms moved.
    """
    held: set[tuple[Any, ...]] = set()
    moved = 0
    for pk, unit, year, kind, title, notes in model.objects.order_by("pk").values_list(
        "pk", "unit_id", "year", "kind", "title", "import_notes"
    ):
        place = (unit, year, kind, title if kind == "project" else "")
        if place not in held:
            held.add(place)
            continue
        what = "部门整体支出表" if kind == "department" else f"项目“{title}”的表"
        note = (f"升级时发现本单位 {year} 年度已有{what}（每个单位每个年度只能有一张），本表名称已加“重复”字样："
                "请核对后修改项目名称，或请管理员处理")
        suffix = f"（重复 #{pk}）"
        model.objects.filter(pk=pk).update(
            kind="project", title=title[: 300 - len(suffix)] + suffix,
            import_notes="\n".join(filter(None, [notes, note])),
        )
        moved += 1
    return moved
