"""Damage generator (损坏生成器): a known form rendered to text the way real extraction mangles it.

A truth form (the corpus ground truth, the seed, or a generated one, as canonical-JSON data) is
rendered to a :class:`Sheet` — the rows of cells of the national project form — and a named
*operator* turns the sheet into the text one extraction shape produces: cells glued, separated by
``|`` or spaces, one cell per line (blank cells kept or skipped), flattened by column, wrapped at a width, empty cells dropped, OCR
confusions, Traditional labels with pinyin glosses, page markers inside numbers, the whole page on one line
(its indicator names after or before their values, in a PDF's content-stream order), a few table rows a line,
glued text with no separator at all (several rows a line, wrapped at a width, or the whole page on one line),
and compositions of a layout with cell damages (``one_line+split_cells``, ``pipes+cell_lines``: a table's cells
broken over lines).  Parsing that text
and comparing it with the truth (:func:`jixiao.io.accuracy.compare`) measures what the importer
achieves per shape; the honest property is that every field comes back right or doubted.

Operators are pure: the same sheet and the same seed give the same text.  Their tables (the OCR
confusions, the Traditional characters and their pinyin) are data, in ``damage.toml``.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .vocabulary import vocabulary

TABLES = Path(__file__).with_name("damage.toml")
INDICATOR_HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
#: The indicator table's data columns as (header, truth field), in the national form's order.
NATIONAL_COLUMNS = tuple(zip(INDICATOR_HEAD[2:7], ("name", "target", "actual", "weight", "score_declared"), strict=True))
#: The same columns with the 分值 before the targets (``分值 | 年度指标值 | 全年实际值 | 得分`` templates).
WEIGHT_FIRST_COLUMNS = (NATIONAL_COLUMNS[0], NATIONAL_COLUMNS[3], *NATIONAL_COLUMNS[1:3], NATIONAL_COLUMNS[4])
FUNDS_HEAD = ("项目资金（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率", "得分")


@dataclass(frozen=True)
class Cell:
    """One table cell as printed; ``label`` marks the template's words (headers), not the filler's values."""

    text: str
    label: bool = False


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Sheet:
    """A rendered form: its rows, and which of them make the indicator table (header first)."""

    rows: tuple[Row, ...]
    table: range


@cache
def tables() -> dict[str, Any]:
    """The operators' data: OCR confusions, Traditional characters with their pinyin."""
    return tomllib.loads(TABLES.read_text(encoding="utf-8"))


def _text(value: Any) -> str:
    """A truth value as printed: numbers as their decimals, ``null`` (not asserted) as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float):  # truth files read without parse_float=Decimal
        return str(Decimal(repr(value)))
    return str(value)


def _labels(*texts: str) -> Row:
    return tuple(Cell(t, label=True) for t in texts)


def head_rows(truth: Mapping[str, Any], title: str) -> list[Row]:
    """The form's title, its year and its head: 项目名称, 主管部门 and 实施单位, or a 部门（单位）名称."""
    rows: list[Row] = [_labels(title)]
    if truth.get("year"):  # no empty row: the table's range counts the rows as they are
        rows.append(_labels(f"（{_text(truth.get('year'))}年度）"))
    if truth.get("kind") == "department":
        rows.append((Cell("部门（单位）名称", True), Cell(_text(truth.get("unit")))))
    else:
        rows.append((Cell("项目名称", True), Cell(_text(truth.get("project")))))
        rows.append((Cell("主管部门", True), Cell(_text(truth.get("unit"))), Cell("实施单位", True),
                     Cell(_text(truth.get("unit")))))
    return rows


def render(truth: Mapping[str, Any], columns: tuple[tuple[str, str], ...] = NATIONAL_COLUMNS) -> Sheet:
    """The national project form (项目支出绩效自评表) holding ``truth``'s asserted fields.

    ``columns``: the indicator table's data columns (header, truth field) in the order printed.
    """
    department = truth.get("kind") == "department"
    funds = truth.get("funds") or {}
    total = (funds.get("rows") or [{}])[0]
    rows = head_rows(truth, "部门整体支出绩效自评表" if department else "项目支出绩效自评表")
    rows.append(_labels(*FUNDS_HEAD))
    rows.append((Cell("年度资金总额", True), *(Cell(_text(total.get(k))) for k in ("initial", "budget", "executed")),
                 *(Cell(_text(funds.get(k))) for k in ("weight", "rate_declared", "score_declared"))))
    start = len(rows)
    rows.append(_labels(*INDICATOR_HEAD[:2], *(head for head, _ in columns), INDICATOR_HEAD[-1]))
    level1 = level2 = None
    for item in truth.get("indicators") or []:
        first1, first2 = item.get("level1") != level1, item.get("level2") != level2 or item.get("level1") != level1
        level1, level2 = item.get("level1"), item.get("level2")
        rows.append((
            Cell(_text(level1) if first1 else "", True), Cell(_text(level2) if first2 else "", True),
            *(Cell(_text(item.get(k))) for _, k in columns),
            Cell(""),
        ))
    table = range(start, len(rows))
    rows.append((Cell("总分", True), Cell("100"), Cell(_text(truth.get("total_declared")))))
    return Sheet(tuple(rows), table)


# --- layouts: a sheet to text ------------------------------------------------------------------------

def _joined(sheet: Sheet, separator: str) -> str:
    return "\n".join(separator.join(c.text for c in row) for row in sheet.rows)


def pipes(sheet: Sheet, rng: random.Random) -> str:
    """Cells separated by ``|``, a row per line (HTML tables copied from a page)."""
    return _joined(sheet, " | ")


def spaces(sheet: Sheet, rng: random.Random) -> str:
    """Cells separated by spaces, a row per line (pdftotext without -layout)."""
    return _joined(sheet, " ")


def glued(sheet: Sheet, rng: random.Random) -> str:
    """Cells glued with no separator, a row per line (text scraped from a page's table)."""
    return _joined(sheet, "")


def cell_per_line(sheet: Sheet, rng: random.Random) -> str:
    """Every cell on its own line, empty cells as empty lines (a table read cell by cell)."""
    return "\n".join(c.text for row in sheet.rows for c in row)


def cells_dropped(sheet: Sheet, rng: random.Random) -> str:
    """Every filled cell on its own line, blank cells skipped (a PDF read cell by cell, empties lost)."""
    return "\n".join(c.text for row in sheet.rows for c in row if c.text)


def by_column(sheet: Sheet, rng: random.Random) -> str:
    """The indicator table flattened column by column, one non-empty cell per line (PDF column order)."""
    lines = []
    for index, row in enumerate(sheet.rows):
        if index == sheet.table.start:
            table = [sheet.rows[i] for i in sheet.table]
            width = max(len(r) for r in table)
            lines += [r[c].text for c in range(width) for r in table if c < len(r) and r[c].text]
        elif index not in sheet.table:
            lines.append(" | ".join(c.text for c in row))
    return "\n".join(lines)


def by_column_line(sheet: Sheet, rng: random.Random) -> str:
    """The whole page on one line, non-empty cells separated by single spaces, the indicator table drawn a
    column at a time (a PDF's content stream column by column): each header cell, then its column's cells."""
    table = [sheet.rows[i] for i in sheet.table]
    width = max((len(r) for r in table), default=0)
    block = [r[c].text for c in range(width) for r in table if c < len(r) and r[c].text]
    before = [c.text for row in sheet.rows[: sheet.table.start] for c in row if c.text]
    after = [c.text for row in sheet.rows[sheet.table.stop :] for c in row if c.text]
    return " ".join([*before, *block, *after])


def wrapped(sheet: Sheet, rng: random.Random) -> str:
    """Rows with ``|`` cut at a fixed width (between 16 and 48 characters), mid-cell if need be."""
    width = rng.randint(16, 48)
    return "\n".join(
        line[i : i + width] for line in pipes(sheet, rng).splitlines() for i in range(0, max(1, len(line)), width)
    )


def emptied_cells(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet without its empty cells, the cells after them shifted left."""
    return replace(sheet, rows=tuple(tuple(c for c in row if c.text) for row in sheet.rows))


def empty_dropped(sheet: Sheet, rng: random.Random) -> str:
    """Empty cells vanish, so the cells after them shift left (extraction skips blank cells)."""
    return pipes(emptied_cells(sheet, rng), rng)


# --- damage to the cells, then laid out with pipes -------------------------------------------------------

def _cells(sheet: Sheet, change: Callable[[Cell], str]) -> Sheet:
    return replace(sheet, rows=tuple(tuple(replace(c, text=change(c)) for c in row) for row in sheet.rows))


_NUMERIC = re.compile(r"[≥≤<>=]*\s*\d")


def confused_cells(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with OCR confusions in its values (the ``[ocr]`` table)."""
    confusions: dict[str, list[str]] = tables()["ocr"]
    pattern = re.compile("|".join(sorted(map(re.escape, confusions), key=len, reverse=True)))

    def confuse(cell: Cell) -> str:
        if cell.label or not _NUMERIC.match(cell.text):  # a name's digits cannot be told apart from OCR noise
            return cell.text
        return pattern.sub(lambda m: rng.choice(confusions[m[0]]) if rng.random() < 0.5 else m[0], cell.text)

    return _cells(sheet, confuse)


def ocr_confused(sheet: Sheet, rng: random.Random) -> str:
    """OCR confusions in the values: ``≥`` read as ``2``/``$``/``^``, ``≤`` as ``W``, ``0`` as ``O``/``o``, ``10`` as ``IO``."""
    return pipes(confused_cells(sheet, rng), rng)


def traditional_cells(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with its labels in Traditional characters (every one the vocabulary folds back), some with
    their pinyin (the ``[traditional]`` table of glosses)."""
    glosses: dict[str, list[str]] = tables()["traditional"]
    folded = vocabulary()["traditional"]
    forms = dict(zip(folded["to"], folded["from"], strict=True))

    def convert(cell: Cell) -> str:
        if not cell.label:
            return cell.text
        out = []
        for char in cell.text:
            form, pinyin = glosses.get(char, (forms.get(char, char), ""))
            out.append(f"{form}({pinyin})" if pinyin and rng.random() < 0.5 else form)
        return "".join(out)

    return _cells(sheet, convert)


def traditional(sheet: Sheet, rng: random.Random) -> str:
    """Labels in Traditional characters, some with their pinyin injected (``項(xiàng)目``); values as printed."""
    return pipes(traditional_cells(sheet, rng), rng)


def page_markers(sheet: Sheet, rng: random.Random) -> str:
    """Page breaks inside numbers: ``12.5`` becomes ``1`` + new line + ``2、2.5`` (the next page's number)."""
    text = pipes(sheet, rng)
    runs = list(re.finditer(r"\d{2,}", text))
    chosen = sorted(rng.sample(runs, min(2, len(runs))), key=lambda m: m.start(), reverse=True)
    for page, run in zip(range(len(chosen) + 1, 1, -1), chosen, strict=False):
        cut = rng.randint(run.start() + 1, run.end() - 1)
        text = f"{text[:cut]}\n{page}、{text[cut:]}"
    return text


def one_line(sheet: Sheet, rng: random.Random) -> str:
    """The whole page on one line, non-empty cells separated by single spaces (a PDF's text layer scraped
    into a web page: most published forms look like this)."""
    return " ".join(c.text for row in sheet.rows for c in row if c.text)


#: ``page_lines``: cells per page line, and the share of header cells broken at a space.
PAGE_CELLS_RANGE = (25, 60)
HEAD_SPLIT_SHARE = 0.5


def page_lines(sheet: Sheet, rng: random.Random) -> str:
    """The form on a few lines, a line per page of a PDF's text layer: non-empty cells separated by single
    spaces, a new line every few dozen cells (mid-table too), header cells broken where they wrapped
    (``年度 指标值``, ``三级 指标``)."""

    def cell(c: Cell, header: bool) -> str:
        if header and len(c.text) >= 4 and rng.random() < HEAD_SPLIT_SHARE:
            cut = rng.randint(2, len(c.text) - 2)
            return f"{c.text[:cut]} {c.text[cut:]}"
        return c.text

    cells = [cell(c, n == sheet.table.start) for n, row in enumerate(sheet.rows) for c in row if c.text]
    lines = []
    while cells:
        size = rng.randint(*PAGE_CELLS_RANGE)
        lines.append(" ".join(cells[:size]))
        cells = cells[size:]
    return "\n".join(lines)


#: Share of the longer text cells that ``split_cells`` breaks, and the shortest cell it breaks.
SPLIT_SHARE = 0.3
SPLIT_CHARS_MIN = 5


def _broken_at(sheet: Sheet, rng: random.Random, separator: str) -> Sheet:
    """The sheet with some longer text cells broken by ``separator`` where they wrapped; figures stay whole."""

    def broken(cell: Cell) -> str:
        text = cell.text
        if len(text) < SPLIT_CHARS_MIN or any(c.isdigit() for c in text) or rng.random() >= SPLIT_SHARE:
            return text
        cut = rng.randint(2, len(text) - 2)
        return f"{text[:cut]}{separator}{text[cut:]}"

    return _cells(sheet, broken)


def broken_cells(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with some longer text cells broken by a space where they wrapped; figures stay whole."""
    return _broken_at(sheet, rng, " ")


def lines_broken_cells(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with some longer text cells broken over two lines where they wrapped (an HTML table's cell
    with a line break, copied as text: its row goes on on the next line); figures stay whole."""
    return _broken_at(sheet, rng, "\n")


def split_cells(sheet: Sheet, rng: random.Random) -> str:
    """Text cells broken by a space where the cell wrapped (``襄阳 市中心医院``, ``年度 指标值``), cells
    separated by spaces, a row per line; figures stay whole (they are short, so they do not wrap)."""
    return spaces(broken_cells(sheet, rng), rng)


#: The name column's width in characters: a longer name wraps into pieces of this many characters.
NAME_WIDTH_RANGE = (6, 12)


def _wrapped_name(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [text]


def _drawn_block(sheet: Sheet, rng: random.Random, values_first: bool) -> str:
    """The whole page on one line, the indicator block in a content-stream order: the header, then the value
    cells, the name column's pieces and the level names as parts drawn one after the other."""
    width = rng.randint(*NAME_WIDTH_RANGE)
    table = [sheet.rows[i] for i in sheet.table]
    if not table:
        return one_line(sheet, rng)
    body = table[1:]
    values = [c.text for row in body for c in row[3:] if c.text]
    names = [piece for row in body if len(row) > 2 and row[2].text for piece in _wrapped_name(row[2].text, width)]
    levels = [c.text for row in body for c in row[:2] if c.text]
    parts = [values, names, levels] if values_first else [levels, names, values]
    block = [c.text for c in table[0]] + [text for part in parts for text in part]
    before = [c.text for row in sheet.rows[: sheet.table.start] for c in row if c.text]
    after = [c.text for row in sheet.rows[sheet.table.stop :] for c in row if c.text]
    return " ".join([*before, *block, *after])


def names_after_values(sheet: Sheet, rng: random.Random) -> str:
    """The whole page on one line, the indicator block in a PDF's content-stream order: the header, each
    row's value cells in order, then the name column's cells (a long name wrapped at the column's width into
    pieces separated by spaces), then the level names (merged cells, drawn last), as in development form 052."""
    return _drawn_block(sheet, rng, values_first=True)


def names_before_values(sheet: Sheet, rng: random.Random) -> str:
    """The mirror of ``names_after_values``: the header, the level names (merged cells, drawn first), the
    name column's cells (long names wrapped into pieces), then each row's value cells in order."""
    return _drawn_block(sheet, rng, values_first=False)


#: ``rows_on_lines``: how many of the indicator table's rows a line holds.
ROWS_PER_LINE_RANGE = (2, 4)


def rows_on_lines(sheet: Sheet, rng: random.Random) -> str:
    """Cells separated by single spaces, blank cells gone, a row per line but in the indicator table, whose
    lines hold a few rows each (a PDF's text layer whose table rows were not told apart); its header stays
    on a line of its own."""
    body = [" ".join(c.text for c in sheet.rows[i] if c.text) for i in sheet.table[1:]]
    lines = [" ".join(c.text for c in row if c.text) for row in sheet.rows[: sheet.table.start + 1]]
    while body:
        size = rng.randint(*ROWS_PER_LINE_RANGE)
        lines.append(" ".join(body[:size]))
        body = body[size:]
    lines += [" ".join(c.text for c in row if c.text) for row in sheet.rows[sheet.table.stop :]]
    return "\n".join(lines)


def _glued_cells(sheet: Sheet) -> str:
    return "".join(c.text for row in sheet.rows for c in row)


def glued_page(sheet: Sheet, rng: random.Random) -> str:
    """The whole page on one line with no separator at all (a web page's text copied whole, an OCR layer
    that lost every space): a row's last value runs straight into the next row's name."""
    return _glued_cells(sheet)


#: ``glued_wrapped``: the line width, in characters, at which glued text is broken regardless of its cells.
GLUED_WIDTH_RANGE = (30, 90)


def glued_wrapped(sheet: Sheet, rng: random.Random) -> str:
    """The glued page broken into lines of one width wherever the width falls — inside a name, a number or a
    label (a web page's text column, OCR line breaks)."""
    text = _glued_cells(sheet)
    width = rng.randint(*GLUED_WIDTH_RANGE)
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


#: ``glued_rows_lines``: the chance that a row of the form ends its line.
GLUED_LINE_END_SHARE = 0.4


def glued_rows_lines(sheet: Sheet, rng: random.Random) -> str:
    """Cells glued with no separator, and several rows on a line (a random number of them): a scraped table
    whose row breaks were mostly lost."""
    lines: list[str] = []
    current: list[str] = []
    for row in sheet.rows:
        current.append("".join(c.text for c in row))
        if rng.random() < GLUED_LINE_END_SHARE:
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return "\n".join(line for line in lines if line)


def pipes_rowspan(sheet: Sheet, rng: random.Random) -> str:
    """Cells separated by ``|``, a row per line, the indicator rows' blank level cells left out (an HTML table whose
    level cells span their group's rows, copied: a later row of the group starts at its name) while their other
    blank cells stay."""
    lines = []
    for index, row in enumerate(sheet.rows):
        cells = tuple(c for n, c in enumerate(row) if n >= 2 or c.text) if index in sheet.table[1:] else row
        lines.append(" | ".join(c.text for c in cells))
    return "\n".join(lines)


def values_below(sheet: Sheet, rng: random.Random) -> str:
    """Cells separated by single spaces, blank cells gone; in the indicator table each row's level and name cells
    on one line and its value cells on the next (a PDF text layer whose name cell is taller than its value
    cells: the figures come out on a line of their own)."""
    lines: list[str] = []
    for index, row in enumerate(sheet.rows):
        if index in sheet.table[1:]:
            lines.append(" ".join(c.text for c in row[:3] if c.text))
            lines.append(" ".join(c.text for c in row[3:] if c.text))
        else:
            lines.append(" ".join(c.text for c in row if c.text))
    return "\n".join(line for line in lines if line)


Operator = Callable[[Sheet, random.Random], str]

#: Every damage shape by name; the first is the undamaged reference.
OPERATORS: dict[str, Operator] = {
    "pipes": pipes,
    "spaces": spaces,
    "glued": glued,
    "cell_per_line": cell_per_line,
    "cells_dropped": cells_dropped,
    "by_column": by_column,
    "by_column_line": by_column_line,
    "wrapped": wrapped,
    "empty_dropped": empty_dropped,
    "ocr_confused": ocr_confused,
    "traditional": traditional,
    "page_markers": page_markers,
    "one_line": one_line,
    "split_cells": split_cells,
    "names_after_values": names_after_values,
    "names_before_values": names_before_values,
    "rows_on_lines": rows_on_lines,
    "page_lines": page_lines,
    "glued_rows_lines": glued_rows_lines,
    "glued_wrapped": glued_wrapped,
    "glued_page": glued_page,
    "values_below": values_below,
    "pipes_rowspan": pipes_rowspan,
}


def header_lost(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with its indicator header's cells blank (the header drawn as an image, or left on the page
    before): the rows come with nothing naming their columns."""
    head = sheet.table.start
    rows = (*sheet.rows[:head], tuple(replace(c, text="") for c in sheet.rows[head]), *sheet.rows[head + 1 :])
    return replace(sheet, rows=rows)


def levels_glued(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with each row's level labels glued before its name in one cell (``产出指标数量指标培训人数``),
    the level cells left blank: merged cells whose text extraction wrote into the first row's name, a group's
    labels only at its first row."""
    def glued(row: Row) -> Row:
        if len(row) < 3:
            return row
        name = "".join(c.text for c in row[:3])
        return (replace(row[0], text=""), replace(row[1], text=""), replace(row[2], text=name), *row[3:])

    rows = tuple(glued(row) if n in sheet.table[1:] else row for n, row in enumerate(sheet.rows))
    return replace(sheet, rows=rows)


def values_missing(truth: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """The truth with some indicator rows' values left blank or written in words, as forms print them: a row
    with its target only (no actual, no 得分), a row not scored, an actual written as an answer word
    (``已完成``, ``达标``).  Shares and words are ``[values_missing]`` in ``damage.toml``.  A truth damage: the
    text is rendered from the damaged truth and compared with it (:func:`damaged_truth`)."""
    table = tables()["values_missing"]
    rows = []
    for item in truth.get("indicators") or []:
        row, draw = dict(item), rng.random()
        if draw < table["target_only_share"]:
            row["actual"] = row["score_declared"] = None
        elif draw < table["target_only_share"] + table["unscored_share"]:
            row["score_declared"] = None
        elif draw < table["target_only_share"] + table["unscored_share"] + table["worded_share"]:
            row["actual"] = rng.choice(table["words"])
        rows.append(row)
    return {**truth, "indicators": rows}


TruthDamage = Callable[[Mapping[str, Any], random.Random], dict[str, Any]]

#: The shapes that damage the truth itself (what the form prints), by name: in a composition the truth is
#: damaged first, then rendered and laid out, and the parsed form is compared with the damaged truth.
TRUTH_DAMAGES: dict[str, TruthDamage] = {"values_missing": values_missing}


def _group_weights(rows: list[Row], level: int, weight_at: int) -> list[str]:
    """Per row, the printed 分值 of the level group it opens (the sum of its rows' 分值), "" for a row inside a group."""
    starts = [n for n, row in enumerate(rows) if any(c.text for c in row[: level + 1])]
    out = [""] * len(rows)
    for start, end in zip(starts, [*starts[1:], len(rows)], strict=False):  # no group opened: no cell to print
        try:
            out[start] = str(sum((Decimal(r[weight_at].text) for r in rows[start:end]), Decimal(0)))
        except (ArithmeticError, IndexError):  # a 分值 left blank or not a number: the group's cell stays blank
            out[start] = ""
    return out


def level_weights(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with a 分值 cell after each level cell (``一级指标 | 分值 | 二级指标 | 分值``, the rubric's
    columns): a group's first row prints the sum of its rows' 分值 there, so that glued, the weights run into
    the names (``产出指标50数量20大组工网络运维费用22``)."""
    head = sheet.rows[sheet.table.start]
    weight_at = next((n for n, c in enumerate(head) if c.text == "分值"), None)
    body = [sheet.rows[n] for n in sheet.table[1:]]
    if weight_at is None or not body:
        return sheet
    level1, level2 = _group_weights(body, 0, weight_at), _group_weights(body, 1, weight_at)
    rows = list(sheet.rows)
    rows[sheet.table.start] = (head[0], Cell("分值", True), head[1], Cell("分值", True), *head[2:])
    for n, row, first, second in zip(sheet.table[1:], body, level1, level2, strict=True):
        rows[n] = (row[0], Cell(first), row[1], Cell(second), *row[2:])
    return replace(sheet, rows=tuple(rows))


def serial_numbers(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with a 序号 column in its indicator table (header ``序号``, then 1, 2, 3 … a row), as many
    provincial forms print it: before the level cells or between them and the name (a seeded choice), numbered
    through the table or afresh in each 一级 group, in one of the ``[serial_numbers]`` formats (``1``, ``1.``,
    ``（1）``).  Glued, a serial runs into the name (``数量指标1培训人数``) or onto the previous row's figure."""
    table = tables()["serial_numbers"]
    head = sheet.table.start
    at = 0 if rng.random() < table["before_levels_share"] else 2
    restart = rng.random() < table["restart_share"]
    form: str = rng.choice(table["formats"])
    rows = list(sheet.rows)
    rows[head] = (*rows[head][:at], Cell("序号", True), *rows[head][at:])
    number = 0
    for n in sheet.table[1:]:
        row = rows[n]
        if restart and row and row[0].text:  # a 一级 group opens: its rows are numbered from 1
            number = 0
        number += 1
        rows[n] = (*row[:at], Cell(form.format(n=number)), *row[at:])
    return replace(sheet, rows=tuple(rows))


def _funds_total_at(sheet: Sheet) -> int | None:
    """The index of the funds block's total row (the render labels it 年度资金总额), ``None`` without one."""
    return next((n for n, row in enumerate(sheet.rows[: sheet.table.start])
                 if row and row[0].label and row[0].text == "年度资金总额"), None)


def funds_variants(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with its funds block printed as provincial forms print it (``[funds_variants]``): the total
    row under another label or none, the block's points after its label, 其中 rows under the total that repeat
    its figures (财政拨款, their 分值 and 得分 repeated or dashed) or print dashes (其他资金), and a dash or a
    slash in the cells left blank.  The total row stays the block's first row of figures."""
    at = _funds_total_at(sheet)
    if at is None:
        return sheet
    table = tables()["funds_variants"]
    blank: str = rng.choice(table["blanks"])
    head, total = sheet.rows[at - 1], sheet.rows[at]

    def filled(cell: Cell) -> Cell:
        return cell if cell.text else replace(cell, text=blank)

    label: str = rng.choice(table["total_labels"])
    points = next((c.text for h, c in zip(head[1:], total[1:], strict=False) if h.text == "分值" and c.text), "")
    if points and rng.random() < table["weight_in_label_share"] and "分" not in head[0].text:
        head = (replace(head[0], text=f"{head[0].text}（{points}分）"), *head[1:])
    figures = tuple(filled(c) for c in total[1:])
    rows = [head, (Cell(label, True), *figures)]
    if rng.random() < table["share_rows_share"]:
        repeat = rng.random() < table["share_repeats_points_share"]
        scored = {n for n, h in enumerate(head[1:]) if h.text == "分值" or h.text.startswith("得分")}
        share = tuple(c if repeat or n not in scored else replace(c, text=blank or "-") for n, c in enumerate(figures))
        rows.append((Cell(rng.choice(table["share_labels"]), True), *share))
        rows.append((Cell(rng.choice(table["other_labels"]), True), *(Cell(blank) for _ in figures)))
    grown = len(rows) - 2
    out = (*sheet.rows[: at - 1], *rows, *sheet.rows[at + 1 :])
    return Sheet(out, range(sheet.table.start + grown, sheet.table.stop + grown))


def funds_pairs(sheet: Sheet, rng: random.Random) -> Sheet:
    """The sheet with its funds block as heading–figure pairs on one row (``年初预算数 | 100 | 全年预算数 | 120 …``):
    the two-row funds table read column by column, as PDF text layers and forms printing their money as
    label–value pairs give it."""
    at = _funds_total_at(sheet)
    if at is None:
        return sheet
    head, total = sheet.rows[at - 1], sheet.rows[at]
    pairs = [cell for heading, figure in zip(head[1:], total[1:], strict=False) for cell in (heading, figure)]
    rows = (*sheet.rows[: at - 1], (head[0], total[0], *pairs), *sheet.rows[at + 1 :])
    return Sheet(rows, range(sheet.table.start - 1, sheet.table.stop - 1))


CellDamage = Callable[[Sheet, random.Random], Sheet]

#: The shapes that damage cells (not the layout), by name: in a composition they damage the sheet that
#: the first shape then lays out.
CELL_DAMAGES: dict[str, CellDamage] = {
    "split_cells": broken_cells,
    "cell_lines": lines_broken_cells,
    "ocr_confused": confused_cells,
    "traditional": traditional_cells,
    "empty_dropped": emptied_cells,
    "header_lost": header_lost,
    "levels_glued": levels_glued,
    "level_weights": level_weights,
    "serial_numbers": serial_numbers,
    "funds_variants": funds_variants,
    "funds_pairs": funds_pairs,
}

#: Compositions (组合损坏) measured with floors of their own: a layout, then cell damages done with it, as
#: real extraction damages in several ways at once (a one-line page whose long cells wrapped, OCR on it).
#: ``page_lines+empty_dropped`` is not among them: ``page_lines`` already drops every empty cell.  ``header_lost``
#: is a cell damage only: alone it would be the undamaged layout of a form with no indicator header.
COMPOSITIONS = (
    "one_line+split_cells",
    "one_line+ocr_confused",
    "names_after_values+split_cells",
    "names_after_values+ocr_confused",
    "page_lines+split_cells",
    "by_column_line+split_cells",
    "names_before_values+split_cells",
    "rows_on_lines+split_cells",
    "pipes+header_lost",
    "pipes+cell_lines",
    "rows_on_lines+header_lost",
    "one_line+header_lost",
    "glued+header_lost",
    "names_after_values+header_lost",
    "spaces+levels_glued",
    "one_line+levels_glued",
    "rows_on_lines+levels_glued",
    "spaces+cell_lines",
    "pipes+values_missing",
    "spaces+values_missing",
    "empty_dropped+values_missing",
    "values_below+values_missing",
    "pipes_rowspan+values_missing",
    "glued+level_weights",
    "glued_page+level_weights",
    "glued+level_weights+header_lost",
    "pipes+serial_numbers",
    "spaces+serial_numbers",
    "glued+serial_numbers",
    "one_line+serial_numbers",
    "rows_on_lines+serial_numbers",
    "glued_page+serial_numbers",
    "glued+serial_numbers+header_lost",
    "one_line+serial_numbers+header_lost",
    "pipes+funds_variants",
    "spaces+funds_variants",
    "glued+funds_variants",
    "one_line+funds_variants",
    "cell_per_line+funds_variants",
    "glued_page+funds_variants",
    "pipes+funds_pairs",
    "spaces+funds_pairs",
    "glued+funds_pairs",
    "one_line+funds_pairs",
    "cells_dropped+funds_pairs",
    "glued_page+funds_pairs",
    "glued_page+header_lost",
    "glued_rows_lines+header_lost",
    "glued_wrapped+header_lost",
)


def operator_of(name: str) -> Operator:
    """The operator a shape's name stands for: ``layout+damage+...`` lays out the sheet after its cells were
    damaged by each named cell damage in turn."""
    layout, *damages = name.split("+")
    steps = [CELL_DAMAGES[d] for d in damages if d not in TRUTH_DAMAGES]
    if not steps:
        return OPERATORS[layout]

    def composed(sheet: Sheet, rng: random.Random) -> str:
        for step in steps:
            sheet = step(sheet, rng)
        return OPERATORS[layout](sheet, rng)

    return composed


def damaged(
    truth: Mapping[str, Any], operator: str, seed: int = 0, columns: tuple[tuple[str, str], ...] = NATIONAL_COLUMNS
) -> str:
    """The text ``operator`` (a shape's name, or a composition ``layout+damage``) makes of ``truth``'s form,
    reproducible from ``seed``; the shape's truth damages (:data:`TRUTH_DAMAGES`) change the truth first."""
    rng = random.Random(seed)
    return operator_of(operator)(render(_truth_damaged(truth, operator, rng), columns), rng)


def _truth_damaged(truth: Mapping[str, Any], operator: str, rng: random.Random) -> Mapping[str, Any]:
    for name in operator.split("+")[1:]:
        if name in TRUTH_DAMAGES:
            truth = TRUTH_DAMAGES[name](truth, rng)
    return truth


def damaged_truth(truth: Mapping[str, Any], operator: str, seed: int = 0) -> Mapping[str, Any]:
    """What the form ``damaged`` renders prints: ``truth`` after the shape's truth damages (the same draws)."""
    return _truth_damaged(truth, operator, random.Random(seed))

#: Every shape measured: the single operators, then the compositions.
SHAPES = (*OPERATORS, *COMPOSITIONS)
