"""Queries of the live save compiled once per process and database vendor, then run as raw SQL.

Every request reads the session and the user, a save reads the user's roles and the locked form: lookups by key
that the database answers in microseconds, while building and compiling each of them in the ORM cost several
times that (a quarter of a save's CPU for the four). A :class:`CompiledQuery` is written as an ordinary queryset
with *stand-in* values, compiled on first use, and run with the real values put where the stand-ins were, each
prepared by its lookup's field as the ORM would. The columns come back through the converters the ORM applies
(SQLite's dates are text until converted).

A save's two writes, the form row's changed columns and its history row, are statements of the same kind:
:func:`update_row` and :func:`insert_copy` write them with the SQL made once per table, database vendor and set
of columns, every value bound as a parameter and prepared by its field as the ORM's ``save()`` prepares it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django.db import connection, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.lookups import Lookup

M = TypeVar("M", bound=Model)

#: The stand-in for an id: no row has it (ids are positive), and no real lookup passes it.
NO_ID = -7_340_033


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (parameter position, stand-in number)
    fields: tuple[Field[Any, Any], ...]  # the field each stand-in is compared with, which prepares its values
    columns: tuple[Any, ...]  # the selected expressions (their converters are the current connection's)
    attnames: tuple[str | None, ...]  # the model attribute of each column (None: an annotation)
    aliases: tuple[str | None, ...]  # the name of each annotation (None: a model column)


def _lookups(node: Any) -> Iterator[Lookup[Any]]:
    """The lookups of a query's WHERE tree."""
    for child in getattr(node, "children", ()):
        if isinstance(child, Lookup):
            yield child
        else:
            yield from _lookups(child)


def _same(value: Any, stand_in: Any) -> bool:
    return type(value) is type(stand_in) and value == stand_in


class CompiledQuery:
    """``build(*stand_ins)``'s query, compiled once per database vendor and run with other values.

    Stand-ins must be values no real lookup uses (:data:`NO_ID`, a key of impossible characters): each must be
    the value of a lookup of the query's own WHERE clause and appear among its parameters, which is checked when
    it is compiled.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], *stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self._by_vendor: dict[str, _Compiled] = {}
        #: The columns' converters by connection (a thread's connection goes when its thread does).
        self._converters: WeakKeyDictionary[Any, list[tuple[int, list[Callable[..., Any]], Any]]] = (
            WeakKeyDictionary())

    def _compiled(self) -> _Compiled:
        found = self._by_vendor.get(connection.vendor)
        if found is None:
            query = self.build(*self.stand_ins).query
            compiler = query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            slots = tuple((i, k) for i, p in enumerate(params) for k, s in enumerate(self.stand_ins) if _same(p, s))
            fields = {k: lookup.lhs.output_field for lookup in _lookups(query.where)
                      for k, s in enumerate(self.stand_ins) if _same(lookup.rhs, s)}
            if sorted({k for _, k in slots}) != list(range(len(self.stand_ins))) or len(fields) != len(self.stand_ins):
                raise RuntimeError(f"stand-in values missing from the compiled query: {sql}")
            columns = tuple(column for column, _, _ in compiler.select)
            found = _Compiled(
                sql, tuple(params), slots,
                # a relation's values are its target's (as the ORM's lookups prepare them)
                tuple(getattr(fields[k], "target_field", None) or fields[k] for k in range(len(self.stand_ins))),
                columns, tuple(getattr(getattr(c, "target", None), "attname", None) for c in columns),
                tuple(alias for _, _, alias in compiler.select),
            )
            self._by_vendor[connection.vendor] = found
        return found

    def sql(self, *values: Any) -> tuple[str, list[Any]] | None:
        """The SQL and its parameters with ``values`` in place of the stand-ins, each prepared by its field; None if
        no row can match (an integer beyond the column's range, which the ORM also answers with no row)."""
        compiled = self._compiled()
        prepared = []
        for field, value in zip(compiled.fields, values, strict=True):
            value = field.get_prep_value(value)
            if isinstance(value, int) and field.get_internal_type() in connection.ops.integer_field_ranges:
                low, high = connection.ops.integer_field_range(field.get_internal_type())
                if (low is not None and value < low) or (high is not None and value > high):
                    return None
            prepared.append(field.get_db_prep_value(value, connection, prepared=True))
        params = list(compiled.params)
        for i, k in compiled.slots:
            params[i] = prepared[k]
        return compiled.sql, params

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        """The rows for ``values``, each column converted as the ORM would."""
        query = self.sql(*values)
        if query is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(*query)
            rows = cursor.fetchall()
        converters = self._compiler_converters()
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

    def _compiler_converters(self) -> list[tuple[int, list[Callable[..., Any]], Any]]:
        """Each column's converters, as the ORM's compiler takes them, from the connection of this call (a
        converter may be bound to its connection, and each thread has its own): found once per connection."""
        wrapper = connections[connection.alias]  # this thread's connection, which the converters are bound to
        found = self._converters.get(wrapper)
        if found is None:
            found = []
            for i, expression in enumerate(self._compiled().columns):
                convs = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                if convs:
                    found.append((i, convs, expression))
            self._converters[wrapper] = found
        return found

    def instances(self, model: type[M], *values: Any) -> list[M]:
        """The rows for ``values`` as instances of ``model``: the query selects its columns, each annotation
        becomes an attribute of that name (as the ORM sets it)."""
        rows = self.rows(*values)
        compiled = self._compiled()
        own = [i for i, name in enumerate(compiled.attnames) if name is not None]
        names = [compiled.attnames[i] for i in own]
        extra = [(i, alias) for i, alias in enumerate(compiled.aliases) if compiled.attnames[i] is None]
        if any(alias is None for _, alias in extra):
            raise RuntimeError("instances() needs a query selecting model columns and named annotations only")
        found = []
        for row in rows:
            instance = model.from_db(connection.alias, names, [row[i] for i in own])
            for i, alias in extra:
                setattr(instance, alias, row[i])  # type: ignore[arg-type]
            found.append(instance)
        return found


@dataclass(frozen=True)
class _Write:
    sql: str
    fields: tuple[Field[Any, Any], ...]  # the field of each parameter, in order


#: Write statements by (statement, model(s), columns, vendor): a save writes the same few column sets again and again.
_WRITES: dict[tuple[Any, ...], _Write] = {}


def _bound(fields: Sequence[Field[Any, Any]]) -> tuple[Field[Any, Any], ...]:
    """The fields, each of which takes its value as one plain ``%s`` parameter (a field with its own placeholder,
    such as a geometry, would need the ORM's compiler)."""
    special = [f.name for f in fields if hasattr(f, "get_placeholder")]
    if special:
        raise RuntimeError(f"columns with their own placeholder cannot be written here: {special}")
    return tuple(fields)


def _write(key: tuple[Any, ...], make: Callable[[], _Write]) -> _Write:
    """The statement of ``key`` for the current database vendor, made on first use."""
    key = (*key, connection.vendor)
    found = _WRITES.get(key)
    if found is None:
        found = _WRITES[key] = make()
    return found


def update_row(instance: Model, attnames: Sequence[str]) -> int:
    """``instance.save(update_fields=attnames)`` without its signals: UPDATE those columns of the instance's row (by
    primary key) to its values, an ``auto_now`` column to the time now. The number of rows updated (0: no such row)."""
    meta = type(instance)._meta

    def make() -> _Write:
        fields = _bound([meta.get_field(name) for name in attnames])
        qn = connection.ops.quote_name
        assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        return _Write(f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s",  # type: ignore[union-attr]
                      (*fields, meta.pk))  # type: ignore[arg-type]

    write = _write(("update", type(instance), tuple(attnames)), make)
    *columns, key = write.fields
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in columns]
    params.append(key.get_db_prep_value(instance.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(write.sql, params)
        return int(cursor.rowcount)


def insert_copy(source: type[Model], target: type[Model], copied: Sequence[str], values: Mapping[str, Any],
                key: Any) -> int:
    """INSERT into ``target`` a copy of ``source``'s row of primary key ``key``, made by the database: the columns
    ``copied`` (the same attribute names in both models) from that row, ``values`` (by attribute name, each
    prepared by its ``target`` field) beside them. The row's values never travel through Python, so the copy is
    exactly what the row holds. The number of rows inserted (0: no such row)."""
    smeta, tmeta = source._meta, target._meta

    def make() -> _Write:
        taken = _bound([smeta.get_field(name) for name in copied])
        given = _bound([tmeta.get_field(name) for name in values])
        qn = connection.ops.quote_name
        into = ", ".join(qn(tmeta.get_field(name).column) for name in copied)  # type: ignore[union-attr]
        into += "".join(f", {qn(f.column)}" for f in given)
        select = ", ".join(qn(f.column) for f in taken) + ", %s" * len(given)
        return _Write(f"INSERT INTO {qn(tmeta.db_table)} ({into}) SELECT {select} FROM {qn(smeta.db_table)} "
                      f"WHERE {qn(smeta.pk.column)} = %s", (*given, smeta.pk))  # type: ignore[union-attr,arg-type]

    write = _write(("copy", source, target, tuple(copied), tuple(values)), make)
    *given, pk = write.fields
    params = [f.get_db_prep_save(value, connection) for f, value in zip(given, values.values(), strict=True)]
    params.append(pk.get_db_prep_value(key, connection))
    with connection.cursor() as cursor:
        cursor.execute(write.sql, params)
        return int(cursor.rowcount)
