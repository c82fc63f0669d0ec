"""A table region without a usable header, read under the column plans of the template library.

Real extractions lose the indicator header (drawn as an image, left on the page before, split beyond
recognition).  The rows are then read under every distinct column plan the template library
(:mod:`.templates`) prints — the national order first — and the form's own rules choose: each row's
constraints (:mod:`.constraints`: 得分 ≤ 分值, the profile formula, target and actual in one unit
family), the columns' kinds (no word under 分值/得分, no figure under 指标性质 or read as a name), each
row's width where the blank cells are kept, and the block rules (a 一级 block's rows add up to its printed
分值, all 分值 with the funds' add up to 100, all 得分 with the funds' to the 总分).  The winner is said in
an info note (``I08``: which template was assumed); a narrow win is doubted (``I20``) naming the
runner-up's template on the rows the two plans read differently, and so is each such row whose own
evidence does not prefer the winner.  The costs and the bound on the search are ``[plans]`` in
``constraints.toml``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from ..model import Location
from .constraints import consistency, settings
from .constraints import number as number_of
from .notes import MISSING_ROWS, ImportNote
from .templates import Template, load_templates
from .textlabels import Column, column_of, key
from .textrows import (
    DEFAULT_COLUMNS,
    JUDGED_ROLE,
    NUMERIC_COLUMNS,
    TEXT_COLUMNS,
    Row,
    Table,
    headless_start,
    ordered_columns,
    read_headless,
    read_rubric,
)
from .textscan import Token, is_number, is_value

HUNDRED = Decimal(100)
#: Columns of short words (``正向``, ``大于等于``, ``个``): a figure there is a value of another column.
WORD_COLUMNS = frozenset({Column.NATURE, Column.DIRECTION, Column.MEASURE})


@dataclass(frozen=True)
class Plan:
    """A column plan (the data columns after the name, in order) and the templates that print it."""

    columns: tuple[Column, ...]
    templates: tuple[str, ...]
    rubric: bool = False  # each level cell carries its own 分值 (read as a rubric is)

    def read(self, tokens: list[Token], first: int) -> Table:
        if self.rubric:
            table = read_rubric(tokens, first)
            table.header_found = False
            table.columns = list(self.columns)
            return table
        return read_headless(tokens, first, list(self.columns))


def template_columns(template: Template) -> tuple[Column, ...]:
    """The data columns ``template`` prints after its name column, a reason column last (as rendered)."""
    seen = [column_of(key(h)) or Column.OTHER for h in template.indicator_columns]
    return tuple(ordered_columns([*seen, Column.REASON]))


@cache
def plans() -> tuple[Plan, ...]:
    """Every distinct plan of the library in its order (the national template first: a tie keeps it), at most
    ``plans_max``."""
    found: dict[tuple[Column, ...], list[str]] = {}
    rubric: list[str] = []
    for template in load_templates():
        if template.level_weights:
            rubric.append(template.id)
        # a rubric's level cells may come without their 分值 (merged cells extracted once, or not printed): its
        # rows are then read under its plain columns as any other template's
        found.setdefault(template_columns(template), []).append(template.id)
    # a tie keeps the earlier plan: one printing 分值 goes before one whose lone points column is 得分 (a row's
    # 得分 follows from its 分值 by the profile, a 分值 never from a 得分)
    ordered = sorted(found.items(), key=lambda item: Column.WEIGHT not in item[0])
    out = [Plan(columns, tuple(ids)) for columns, ids in ordered] or [Plan(tuple(DEFAULT_COLUMNS), ())]
    if rubric:
        out.append(Plan((Column.WEIGHT, Column.SCORE), tuple(rubric), rubric=True))
    return tuple(out[: settings().plans.plans_max])


def _reading(row: Row) -> dict[str, str]:
    return {role: row.values[c] for c, role in JUDGED_ROLE.items() if row.values.get(c)}


@lru_cache(maxsize=1 << 14)  # every plan reads most rows alike: each reading is judged once
def _consistency(reading: tuple[tuple[str, str], ...]) -> float:
    return consistency(dict(reading))


def row_fit(row: Row, plan: tuple[Column, ...]) -> float:
    """How well one row read under a plan agrees with the form: its constraints, less what breaks the columns' kinds."""
    costs = settings().plans
    fit = _consistency(tuple(sorted(_reading(row).items())))
    fit -= costs.text_in_number * sum(not is_number(v) for c, v in row.values.items() if c in NUMERIC_COLUMNS and v)
    fit -= costs.number_in_text * sum(is_number(v) for c, v in row.values.items() if c in TEXT_COLUMNS and v)
    fit -= costs.number_in_text * any(is_number(v) for v in row.reason)
    if is_number(row.name) or is_value(row.name):
        fit -= costs.value_as_name
    fit -= costs.figure_in_word * sum(_figure_in_word(v) for c, v in row.values.items() if c in WORD_COLUMNS and v)
    filled = any(v for c, v in row.values.items() if c not in TEXT_COLUMNS)
    if not filled:
        fit -= costs.valueless_row
    elif Column.WEIGHT in plan and not row.values.get(Column.WEIGHT):
        fit -= costs.points_missing
    return fit


def _figure_in_word(value: str) -> bool:
    return bool(re.search(r"\d", value)) or len(value) > settings().plans.word_chars_max


def line_cells(tokens: list[Token]) -> dict[int, list[str]]:
    """Per line of a table printed in cells with its blank cells kept: the cells' texts in order (none when
    extraction dropped the blank cells: positions no longer say which column a cell is in)."""
    if not any(t.cell and not t.text for t in tokens):
        return {}
    lines: dict[int, list[str]] = {}
    for token in tokens:
        if token.cell:
            lines.setdefault(token.line, []).append(token.text)
    return lines


def _width(row: Row, cells: dict[int, list[str]]) -> int | None:
    """How many cells follow the row's name cell on its line (None: no cells, or the name is not a cell there)."""
    line = cells.get(row.lines.get("name", -1))
    if not line or not row.name:
        return None
    at = next((n for n, text in enumerate(line) if text and row.name.startswith(text)), None)
    return None if at is None else len(line) - at - 1


def _plan_widths(plan: tuple[Column, ...]) -> frozenset[int]:
    """The widths a row under ``plan`` may print: all its columns, or without the blank text columns at its end
    (a line's last cells, when blank, go with the border after them)."""
    trailing = 0
    while trailing < len(plan) and plan[len(plan) - 1 - trailing] in TEXT_COLUMNS:
        trailing += 1
    return frozenset(len(plan) - n for n in range(trailing + 1))


@dataclass(frozen=True)
class Sums:
    """What the form prints outside the table that its rows add up to: the funds' 分值 and 得分, the declared 总分."""

    funds_weight: Decimal | None = None
    funds_score: Decimal | None = None
    declared: Decimal | None = None


def _column_sum(rows: list[Row], column: Column) -> Decimal | None:
    values = [number_of(row.values.get(column)) for row in rows]
    if not values or None in values:
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _row_total(row: Row, plan: tuple[Column, ...], cells: dict[int, list[str]]) -> float:
    """A row's fit under ``plan`` with its width: as many cells after its name as the plan has columns, or not."""
    width = _width(row, cells)
    if width is None:
        return row_fit(row, plan)
    match = settings().plans.width_match
    return row_fit(row, plan) + (match if width in _plan_widths(plan) else -match)


def table_fit(table: Table, sums: Sums, cells: dict[int, list[str]] | None = None) -> float:
    """The rows' fits plus the block rules: each broken 一级 sum costs, all 分值 adding up to 100 with the funds'
    counts; where the cells are kept, each row's width against the plan's."""
    blocks = settings().blocks
    fit = sum(_row_total(row, tuple(table.columns), cells or {}) for row in table.rows)
    fit -= blocks.level_sum * len(table.doubts)
    if (weights := _column_sum(table.rows, Column.WEIGHT)) is not None:
        fit += blocks.weights_total if weights + (sums.funds_weight or 0) == HUNDRED else -blocks.weights_total
    scores = _column_sum(table.rows, Column.SCORE)
    if scores is not None and sums.declared is not None:
        whole = scores + (sums.funds_score or 0)
        rounding = Decimal(str(blocks.score_rounding))
        fit += blocks.scores_total if abs(whole - sums.declared) <= rounding else -blocks.scores_total
    return fit


@dataclass(frozen=True)
class Planned:
    """The table read under the winning plan, the plan, the best plan reading other rows, and whether the
    winner won narrowly over it."""

    table: Table
    plan: Plan
    runner_up: tuple[Plan, Table] | None
    narrow: bool
    #: rows another plan reads otherwise that nothing in their own arithmetic verifies, or whose own evidence
    #: (constraints, kinds, width) is no better under the winner: the plan won there by the other rows or the
    #: block sums, not by the row itself; each with the first such plan (the one its note names)
    unsure: tuple[tuple[int, Plan], ...] = ()


def _rows_key(table: Table) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    return tuple((row.name, tuple(sorted((c.name, v) for c, v in row.values.items()))) for row in table.rows)


def read_planned(tokens: list[Token], sums: Sums, start: int = 0) -> Planned | None:
    """The rows from the table's first level label read under every plan, the best kept (None without one)."""
    first = headless_start(tokens, start)
    if first is None:
        return None
    scored: list[tuple[float, int, Plan, Table]] = []
    cells = line_cells(tokens)
    for n, plan in enumerate(plans()):
        table = plan.read(tokens, first)
        if table.rows:
            scored.append((table_fit(table, sums, cells), -n, plan, table))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    best, _, plan, table = scored[0]
    others = [s for s in scored[1:] if _rows_key(s[3]) != _rows_key(table)]
    if not others:
        return Planned(table, plan, None, False)
    other_plan, other = others[0][2], others[0][3]
    return Planned(table, plan, (other_plan, other), best - others[0][0] < settings().decide.narrow_margin,
                   _unsure(table, plan, [(s[2], s[3]) for s in others], cells))


def _unsure(table: Table, plan: Plan, others: list[tuple[Plan, Table]], cells: dict[int, list[str]]
            ) -> tuple[tuple[int, Plan], ...]:
    """The winner's rows that another plan reads otherwise, where nothing in the row's own arithmetic verifies
    the winner's reading or the row's own evidence is no better under the winner than under that plan (any
    plan, not only the runner-up: the runner-up may read the row as the winner does), each with the best-ranked
    such plan."""
    unsure: dict[int, Plan] = {}
    for other_plan, other in others:
        for n in _differing(table, other) or []:
            mine = table.rows[n]
            if n not in unsure and (consistency(_reading(mine)) <= 0 or _row_total(mine, plan.columns, cells)
                                    <= _row_total(other.rows[n], other_plan.columns, cells)):
                unsure[n] = other_plan
    return tuple(sorted(unsure.items(), key=lambda item: item[0]))


def _differing(table: Table, other: Table) -> list[int] | None:
    """The rows two plans read differently (None: they read different rows, the whole list differs)."""
    if len(table.rows) != len(other.rows):
        return None
    return [n for n, (a, b) in enumerate(zip(table.rows, other.rows, strict=True)) if a.values != b.values or a.name != b.name]


def _names(plan: Plan) -> str:
    """The plan's first template, and how many more print the same columns."""
    if not plan.templates:
        return "（全国通用列序）"
    more = len(plan.templates) - 1
    return f"「{plan.templates[0]}」" + (f"（另有 {more} 个表样列序相同）" if more else "")


def plan_notes(planned: Planned, at: Callable[[int], Location], under_header: bool = False) -> list[ImportNote]:
    """``I08`` naming the template assumed; ``I20`` on the rows the runner-up plan reads otherwise when the win was
    narrow, else on the rows whose own evidence does not prefer the winner over a plan that reads them otherwise
    (:attr:`Planned.unsure`), that plan named.

    ``under_header``: a header was found but no row fits its columns; the plan read the rows after it, and
    each row no arithmetic of its own verifies is doubted (the header said otherwise)."""
    table, plan = planned.table, planned.plan
    where = at(table.rows[0].lines["name"]) if table.rows else None
    why = "找到的指标表头下按其各列未能读出任何指标行" if under_header else "指标表没有可识别的表头"
    notes = [ImportNote("I08", f"{why}，已按表样{_names(plan)}的列读取"
                                f"（{'、'.join(c.value for c in plan.columns)}），请核对", where, severity="info")]
    if under_header:  # the header's columns read no row: rows the plan cannot read either may be lost
        notes.append(ImportNote("I25", f"按找到的表头未能读出指标行，按表样的列读出 {len(table.rows)} 行，可能漏读指标，请核对原表",
                                where, path=MISSING_ROWS))
        notes += [ImportNote("I20", f"按表头的列未能读出指标行，该行按表样{_names(plan)}的列读取，没有表内算术印证，请核对原表",
                             at(row.lines["name"]), path=f"indicators[{n}]")
                  for n, row in enumerate(table.rows) if consistency(_reading(row)) <= 0]
    if planned.runner_up is None:
        return notes
    other_plan, other = planned.runner_up
    rows = _differing(table, other)
    lost = "指标表的行不合表头的列" if under_header else "指标表没有表头"
    if planned.narrow:
        why = f"{lost}，按表样{_names(plan)}与{_names(other_plan)}的列读取同样合理，各列的对应是推测，请核对原表"
        if rows is None:
            return [*notes, ImportNote("I20", why, where, path="indicators")]
        doubts = [(n, why) for n in rows]
    else:
        doubts = [(n, f"{lost}，该行的读数没有表内算术印证或按表样{_names(rival)}的列读取同样合理，请核对原表")
                  for n, rival in planned.unsure]
    return [*notes, *(ImportNote("I20", why, at(table.rows[n].lines["name"]), path=f"indicators[{n}]") for n, why in doubts)]
