"""Queries of the live save compiled once per process and database vendor, then run as raw SQL.

Every request reads the session and the user, a save reads the user's roles and the locked form: lookups by key
that the database answers in microseconds, while building and compiling each of them in the ORM cost several
times that (a quarter of a save's CPU for the four). A :class:`CompiledQuery` is written as an ordinary queryset
with *stand-in* values, compiled on first use, and run with the real values put where the stand-ins were. The
columns come back through the same converters the ORM applies (SQLite's dates are text until converted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (parameter position, stand-in number)
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]  # (column, converters, expression)
    attnames: tuple[str | None, ...]  # the model attribute of each column (None: an annotation)


class CompiledQuery:
    """``build(*stand_ins)``'s query, compiled once per database vendor and run with other values.

    Stand-ins must be values no real lookup uses (a negative id, a key of impossible characters): each must
    appear among the compiled query's parameters, which is checked when it is compiled.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], *stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self._by_vendor: dict[str, _Compiled] = {}

    def _compiled(self) -> _Compiled:
        found = self._by_vendor.get(connection.vendor)
        if found is None:
            compiler = self.build(*self.stand_ins).query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            slots = tuple((i, k) for i, p in enumerate(params) for k, s in enumerate(self.stand_ins)
                          if type(p) is type(s) and p == s)
            if sorted({k for _, k in slots}) != list(range(len(self.stand_ins))):
                raise RuntimeError(f"stand-in values missing from the compiled query: {sql}")
            columns = [column for column, _, _ in compiler.select]
            converters = compiler.get_converters(columns)
            found = _Compiled(
                sql, tuple(params), slots,
                tuple((i, tuple(convs), expression) for i, (convs, expression) in converters.items()),
                tuple(getattr(getattr(c, "target", None), "attname", None) for c in columns),
            )
            self._by_vendor[connection.vendor] = found
        return found

    def sql(self, *values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters with ``values`` in place of the stand-ins."""
        compiled = self._compiled()
        params = list(compiled.params)
        for i, k in compiled.slots:
            params[i] = values[k]
        return compiled.sql, params

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        """The rows for ``values``, each column converted as the ORM would."""
        sql, params = self.sql(*values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = self._compiled().converters
        if not converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            cells = list(row)
            for i, convs, expression in converters:
                for convert in convs:
                    cells[i] = convert(cells[i], expression, connection)
            converted.append(tuple(cells))
        return converted

    def instances(self, model: type[M], *values: Any) -> list[M]:
        """The rows for ``values`` as instances of ``model`` (the query must select its columns only)."""
        rows = self.rows(*values)
        names = self._compiled().attnames
        if None in names:
            raise RuntimeError("instances() needs a query selecting model columns only")
        return [model.from_db(connection.alias, list(names), row) for row in rows]  # type: ignore[arg-type]
