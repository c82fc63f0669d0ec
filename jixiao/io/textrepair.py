"""Repair stage of the text importer (修复): undo extraction damage on the lines before they are lexed.

Real extraction damages a form's text in a few recurring shapes (see :mod:`jixiao.io.damage`);
some of them destroy the line structure every later stage relies on, and can be undone from the
text alone, before any token is cut:

* ``wrapped`` — rows cut at a fixed width (a viewer's line length): lines exactly as long as the
  longest one continue on the next line, and are joined back;
* ``page_markers`` — a page break inside a number (``1`` / ``2、2.5``): the next page's ``2、``
  is dropped and the number joined again;
* ``cell_lines`` — a bordered table's cells broken over lines: lines of the indicator table short of
  its cells that together make exactly a row are joined;
* ``ocr`` — characters OCR reads for others inside numbers (``IO`` for 10, ``1O0`` for 100) and
  before them (``$``/``^`` for ≥, ``W`` for ≤): the confusion table is data (``vocabulary.toml``,
  ``[ocr]``);
* ``by_column`` — the indicator table flattened column by column, one cell per line: the header's
  column plan (each header cell followed by its column's cells) puts the rows together again;
* ``names_after_values`` — an indicator block drawn values first and names after, as a PDF's
  content stream does (:mod:`jixiao.io.textorder`): value tuples and names paired in order;
* ``columns_on_line`` — the table drawn a column at a time on one line: each header cell followed by
  its column's cells, put back into rows as ``by_column`` is;
* ``one_line_rows`` — the table on one line (or a line per page), single spaces between cells,
  blank cells gone: the words grouped into rows by their kinds, a row per line.

Each stage is a pure function of the numbered lines; it returns the repaired lines and import
notes saying what was repaired (``I06``, no field path: a repair is certain), or doubts (``I20``
with the field path) where a repair had to guess.  Repaired lines keep the number of the first
line they came from, so provenance still points into the file; rows cut out of one line get ids of
their own that map back to it (``Repaired.origin``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model import Indicator, Location
from .constraints import value_family
from .notes import ImportNote
from .templates import Template, load_templates
from .textlabels import (
    ANSWERS,
    FIELD_OF_COLUMN,
    FUNDS_ROW_WORDS,
    LEVEL_HEADS,
    TABLE_END,
    Column,
    column_of,
    head_cell,
    is_level,
    key,
    level1_name,
)
from .textorder import (
    aligned_names,
    column_heads,
    header_of,
    label_span,
    name_alignment,
    name_head,
    numbered,
    values_first,
)
from .textrows import NAME_CHARS_MIN, choose_layout
from .textscan import UNITS, cell_per_line, is_number, is_value
from .vocabulary import vocabulary

Lines = list[tuple[int, str]]


@dataclass(frozen=True)
class Repaired:
    """A stage's result: the lines after it, and what it says about them."""

    lines: Lines
    notes: list[ImportNote]
    ocr: bool = False  # OCR confusions were found: a leading ``2`` may be a ``≥`` too (:func:`ocr_signs`)
    ocr_values: tuple[tuple[int, str], ...] = ()  # (line, value as corrected): what OCR corrections made
    origin: tuple[tuple[int, int], ...] = ()  # (row id, file line): rows cut out of one line get ids of their own
    guessed: tuple[int, ...] = ()  # the lines of rows whose border with a neighbour row is a guess (:func:`guessed_splits`)


def _note(place: str, line: int, message: str) -> ImportNote:
    return ImportNote("I06", message, Location(file=place, line=line))


# --- wrapped lines ----------------------------------------------------------------------------------

WRAP_WIDTH_MIN = 12  # narrower than this, equal line lengths are a column of short cells, not a wrap
WRAP_LINES_MIN = 3
WRAP_SHARE = 0.1  # this share of the long lines at exactly the widest length: the text was wrapped
WRAP_LONG = 0.75  # a line this share of the widest is long (the last piece of a cut row is shorter)
_SEPARATOR = re.compile(r"[\s|]")


def rejoin_wrapped(lines: Lines, place: str) -> Repaired:
    """Lines exactly as long as the longest continue on the next one (a row cut at a fixed width).

    Glued text (no space, no ``|`` on any line) with every line but the last at one width was wrapped
    however few its lines (two at the width, or one whose break cuts a number): rows of cells never
    come out all of one length.
    """
    filled = [text for _, text in lines if text.strip()]
    width = max((len(text) for text in filled), default=0)
    at_width = sum(len(text) == width for text in filled)
    long = sum(len(text) >= WRAP_LONG * width for text in filled)
    cuts_number = any(
        len(a) == width and re.search(r"\d$", a) and re.match(r"[\d.]", b) for a, b in itertools.pairwise(filled)
    )
    glued_block = (
        at_width >= len(filled) - 1
        and (at_width >= 2 or cuts_number)
        and not any(_SEPARATOR.search(text) for text in filled)
    )
    if width < WRAP_WIDTH_MIN or (at_width < max(WRAP_LINES_MIN, WRAP_SHARE * long) and not glued_block):
        return Repaired(lines, [])
    out: Lines = []
    continues = False
    for number, text in lines:
        if continues:
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((number, text))
        continues = len(text) == width
    note = _note(place, lines[0][0], f"文本按每行 {width} 个字符折行，已将 {len(lines) - len(out)} 处折断的行接回")
    return Repaired(out, [note])


# --- cells broken over lines in a table with borders ------------------------------------------------------

CELL_LINES_MAX = 4  # lines one row of a bordered table may be broken over (a cell wrapped over three lines)
FULL_ROWS_MIN = 2  # lines holding the table's widest count of cells: fewer, and the width is not known


def _cell_count(text: str) -> int:
    return text.count("|") + 1


def _pipe_header(lines: Lines) -> int | None:
    """The index of the indicator header written with ``|`` borders (a cell of it the 三级指标 head)."""
    return next((n for n, (_, text) in enumerate(lines)
                 if "|" in text and any(head_cell(cell.strip()) is Column.NAME for cell in text.split("|"))), None)


def _tail_lines(lines: Lines, at: int, stop: int) -> int:
    """Lines from ``at`` with no border after a line that does not end with one: its last cell goes on there."""
    last = at
    while (last < stop and "|" not in lines[last][1] and lines[last][1].strip()
           and not lines[last - 1][1].rstrip().endswith("|")):
        last += 1
    return last - at


def _broken_run(lines: Lines, at: int, width: int, end: int) -> int:
    """How many lines from ``at`` (before ``end``) make one row of ``width`` cells when a cell broken at each
    line's end is joined again (each line short of the width but the last cell's tails, no border at a break);
    0 if none."""
    stop = min(end, at + CELL_LINES_MAX)
    cells = 0
    for n in range(at, stop):
        text = lines[n][1]
        if n > at and (text.lstrip().startswith("|") or lines[n - 1][1].rstrip().endswith("|")):
            return 0  # a border at the break: two rows, not one cell broken
        cells += _cell_count(text) - (n > at)
        if cells == width:
            run = n - at + 1 + _tail_lines(lines, n + 1, stop)
            return run if run > 1 else 0
        if cells > width:
            return 0
    return 0


def rejoin_cell_lines(lines: Lines, place: str) -> Repaired:
    """Rows of a table with ``|`` borders whose long cells were broken over lines (an HTML table's cell with
    a line break, copied as text): lines after the indicator header that each hold fewer cells than it, and
    together exactly as many once each broken cell is joined, are one row (the header too).  The width is the
    most cells a line of the table holds, and must be held by a few lines: a table whose rows all hold fewer
    cells lost its blank cells instead."""
    head = _pipe_header(lines)
    if head is None:
        return Repaired(lines, [])
    end = next((n for n in range(head + 1, len(lines)) if TABLE_END.match(key(lines[n][1].split("|")[0]))
                and ("|" in lines[n][1] or lines[n - 1][1].rstrip().endswith("|"))), len(lines))  # not a cell's tail
    counts = Counter(_cell_count(text) for _, text in lines[head:end])
    width = max(counts, default=0)
    if counts[width] < FULL_ROWS_MIN:
        return Repaired(lines, [])
    out: Lines = list(lines[:head])
    n = head
    joined = 0
    while n < end:
        if run := _broken_run(lines, n, width, end):
            out.append((lines[n][0], "".join(text for _, text in lines[n : n + run])))
            joined += run - 1
            n += run
        else:
            out.append(lines[n])
            n += 1
    if not joined:
        return Repaired(lines, [])
    note = _note(place, lines[head][0], f"绩效指标表有 {joined} 处单元格折行，该行接在下一行上，已按表格的 {width} 栏接回")
    return Repaired([*out, *lines[end:]], [note])


# --- page markers inside numbers -----------------------------------------------------------------------

_PAGE_MARKER = re.compile(r"^(\d{1,2})、(?=[\d.])")
_LIST_START = re.compile(r"^\s*1、")


def drop_page_markers(lines: Lines, place: str) -> Repaired:
    """``…| 1`` then ``2、2.5 |…``: a page break cut a number; the next page's ``2、`` is no content.

    A page marker numbers pages from 2 on; a text with a ``1、`` item is a numbered list, left as is.
    """
    if any(_LIST_START.match(text) for _, text in lines):
        return Repaired(lines, [])
    out: Lines = []
    notes = []
    for number, text in lines:
        marker = _PAGE_MARKER.match(text)
        if marker and out and (out[-1][1][-1:].isdigit() or out[-1][1].endswith(".")) and int(marker.group(1)) >= 2:
            out[-1] = (out[-1][0], out[-1][1] + text[marker.end() :])
            notes.append(_note(place, number, f"数字中间的分页标记「{marker.group()}」已删除，前后两段数字已接回"))
        else:
            out.append((number, text))
    return Repaired(out, notes)


# --- OCR confusions ----------------------------------------------------------------------------------


def _confusions() -> tuple[dict[str, str], dict[str, str]]:
    table = vocabulary()["ocr"]
    return dict(table["in_numbers"]), dict(table["signs"])


_IN_NUMBERS, _SIGNS = _confusions()
_LETTERS = "".join(sorted(_IN_NUMBERS))
# a run of digits and the letters OCR prints for digits, touching no other Latin letter or digit
_RUN = re.compile(rf"(?<![A-Za-z0-9.])[0-9{_LETTERS}][0-9{_LETTERS}.,%]*(?![A-Za-z0-9])")
# one number or a glued run of them (``387664.62IO1OO%``); no leading zero: ``O76`` is no 76
_NUMBER = re.compile(r"(?!0\d)[\d.,%]*\d[\d.,%]*")
_SIGN = re.compile(rf"(?<![A-Za-z0-9])[{re.escape(''.join(_SIGNS))}](?=(\d[\d.]*%?))")


def _run_repaired(run: str) -> str | None:
    """The number an OCR'd run stands for, or None when it is not a confused number."""
    if not any(c in _IN_NUMBERS for c in run) or (len(run) < 2 and not run[:1].isdigit()):
        return None
    fixed = "".join(_IN_NUMBERS.get(c, c) for c in run)
    return fixed if _NUMBER.fullmatch(fixed) else None


# a zero read as a letter, a whole cell (``| O |``); before a unit (``第O份``) it is kept as written, see ATOM
_LONE_ZERO = re.compile(r"(?:(?<=\|)|^)(\s*)[Oo](?=\s*(?:\||$))")


def _ocr_line(text: str) -> tuple[str, list[str], list[str]]:
    """The line corrected, the corrections in words, and the corrected values as they now read."""
    changes: list[str] = []
    fixed_values: list[str] = []

    def zero(m: re.Match[str]) -> str:
        changes.append(f"「{m.group().strip()}」→「0」")
        fixed_values.append("0")
        return (m.group(1) or "") + "0"

    def run(m: re.Match[str]) -> str:
        fixed = _run_repaired(m.group())
        if fixed is None:
            return m.group()
        changes.append(f"「{m.group()}」→「{fixed}」")
        fixed_values.append(fixed)
        return fixed

    def sign(m: re.Match[str]) -> str:
        changes.append(f"「{m.group()}」→「{_SIGNS[m.group()]}」")
        fixed_values.append(_SIGNS[m.group()] + m.group(1))
        return _SIGNS[m.group()]

    return _LONE_ZERO.sub(zero, _SIGN.sub(sign, _RUN.sub(run, text))), changes, fixed_values


def undo_ocr(lines: Lines, place: str) -> Repaired:
    """Characters OCR reads for digits and signs, put back where they stand in or before a number."""
    out: Lines = []
    notes = []
    values: list[tuple[int, str]] = []
    for number, text in lines:
        fixed, changes, fixed_values = _ocr_line(text)
        out.append((number, fixed))
        values += [(number, value) for value in fixed_values]
        if changes:
            notes.append(_note(place, number, f"OCR 识别错误已更正：{'，'.join(changes[:5])}"
                                              + (f" 等 {len(changes)} 处" if len(changes) > 5 else "")))
    return Repaired(out, notes, ocr=bool(notes), ocr_values=tuple(values))


# ``≥`` read as ``2`` cannot be undone from the characters: ``2266米`` is a number too.  The row decides.
_TWO_FOR_SIGN = re.compile(r"^2(?P<rest>(?:0|[1-9]\d*)(?:\.\d+)?(?P<unit>\D*))$")


def _sign_reading(value: str, other: str | None) -> str | None:
    """``295%`` → ``≥95%`` where the row says the ``2`` is a misread ``≥`` (a rate over 100 %, the other value agreeing)."""
    m = _TWO_FOR_SIGN.match(value)
    if not m:
        return None
    rest = m.group("rest")
    if m.group("unit") == "%" and Decimal(value[:-1]) > 100 >= Decimal(rest[:-1] or "0"):
        return "≥" + rest
    if other == "≥" + rest:
        return "≥" + rest  # the actual (or target) prints the same figure after its sign
    return None


def ocr_signs(indicators: list[Indicator], place: str) -> tuple[list[Indicator], list[ImportNote]]:
    """In an OCR'd text, targets and actuals whose leading ``2`` is a misread ``≥``; each one doubted (I20)."""
    out: list[Indicator] = []
    notes = []
    for index, item in enumerate(indicators):
        update = {}
        for field, other in (("target", item.actual), ("actual", item.target)):
            value = getattr(item, field)
            reading = _sign_reading(value, other) if value else None
            if reading:
                update[field] = reading
                notes.append(ImportNote(
                    "I20", f"第{index + 1}个指标「{item.name}」的{'年度指标值' if field == 'target' else '实际完成值'}"
                    f"「{value}」按 OCR 误识读作「{reading}」（≥ 常被识别为 2），请核对原表",
                    Location(file=place), path=f"indicators[{index}].{field}",
                ))
        out.append(item.model_copy(update=update) if update else item)
    return out, notes


# --- a table flattened column by column --------------------------------------------------------------

COLUMNS_MIN = 3  # the name column and at least two value columns make a table worth reassembling


def _ends_table(text: str) -> bool:
    """A line after the table: its end word as the first cell or the first word of a line of words (the rest of
    a page on one line after its table, ``总分 100 97.5``), or a line of cells again."""
    first = text.split("|")[0]
    words = first.split()
    return bool(TABLE_END.match(key(first)) or (words and TABLE_END.match(key(words[0])))) or "|" in text


def _flattened(lines: Lines) -> tuple[list[int], int] | None:
    """Header lines of a column-flattened table (each followed by its column's cells) and where it ends.

    The plan runs from the 一级/二级指标 heads just before the 三级指标 head to the last head before
    the table's end (总分, or a line of cells again).
    """
    heads = [n for n, (_, text) in enumerate(lines) if head_cell(text) is not None]
    name = next((n for n in heads if head_cell(lines[n][1]) is Column.NAME), None)
    if name is None:
        return None
    chosen = [name]
    for n in reversed([h for h in heads if h < name]):
        if head_cell(lines[n][1]) not in LEVEL_HEADS or any("|" in lines[m][1] for m in range(n, chosen[0])):
            break
        chosen.insert(0, n)
    end = name + 1
    for n in (h for h in heads if h > name):
        if any(_ends_table(lines[m][1]) for m in range(end, n)):
            break
        chosen.append(n)
        end = n + 1
    while end < len(lines) and not _ends_table(lines[end][1]):
        end += 1
    return (chosen, end) if len(chosen) >= COLUMNS_MIN else None


def unflatten_columns(lines: Lines, place: str) -> Repaired:
    """A table printed column by column (PDF column order) put back into rows, from its header's plan.

    Each header cell stands alone on its line followed by its column's filled cells; the 三级指标
    column counts the rows.  A value column with as many cells as there are names is aligned with
    them; one with fewer lost its empty cells, so which rows they belong to is a guess: its cells are
    put in order and every row's field is doubted (I20).  Level columns that lost cells are left empty.
    """
    found = _flattened(lines)
    if found is None:
        return Repaired(lines, [])
    heads, end = found
    bounds = [*heads[1:], end]
    columns = [(lines[h][1].strip(), [c for c in lines[h + 1 : b] if c[1].strip()]) for h, b in zip(heads, bounds, strict=True)]
    names = next(cells for (text, cells) in columns if column_of(key(text)) is Column.NAME)
    count = len(names)
    value_columns = [cells for text, cells in columns if isinstance(head_cell(text), Column) and head_cell(text) is not Column.NAME]
    if count < 2 or not any(len(cells) == count for cells in value_columns):
        return Repaired(lines, [])
    # a level column that lost its empty cells keeps its place, empty: its labels cannot be placed
    kept = [(text, cells if len(cells) == count or isinstance(head_cell(text), Column) else []) for text, cells in columns]
    rows = [
        (names[i][0], " | ".join(cells[i][1].strip() if i < len(cells) else "" for _, cells in kept))
        for i in range(count)
    ]
    notes = [_note(place, lines[heads[0]][0], f"绩效指标表按列展开（{len(columns)} 列，{count} 行），已按表头的列重新拼成行")]
    for text, cells in kept:
        column = column_of(key(text))
        field = FIELD_OF_COLUMN.get(column) if column else None
        if field is None or len(cells) in (0, count):
            continue  # a column with no cell at all is empty in every row: nothing to guess
        for i in range(count):
            notes.append(ImportNote(
                "I20", f"「{text}」列只有 {len(cells)} 个单元格而指标有 {count} 行（空单元格已丢失），该列各值所属的行无法确定，请核对原表",
                Location(file=place, line=names[i][0]), path=f"indicators[{i}].{field}",
            ))
    header = (lines[heads[0]][0], " | ".join(text for text, _ in kept))
    return Repaired([*lines[: heads[0]], header, *rows, *lines[end:]], notes)


# --- cells separated by single spaces -------------------------------------------------------------------

SPACED_SHARE = 0.5  # this share of the table's lines split into the header's cells: spaces are borders
_SPACE = " "


def _spaced_header(text: str) -> int | None:
    """The cell count of an indicator header whose cells are separated by single spaces."""
    cells = text.strip().split(_SPACE)
    if "|" in text or len(cells) < COLUMNS_MIN or "" in cells:
        return None
    heads = [head_cell(cell) for cell in cells]
    if any(head is None for head in heads) or Column.NAME not in heads:
        return None
    return len(cells)


def _spaced_row(text: str, width: int, name_at: int, numeric: frozenset[int] = frozenset()) -> list[str] | None:
    """A row line as cells: split at single spaces; extra pieces (spaces inside a name) go to the name."""
    cells = text.split(_SPACE)
    extra = len(cells) - width

    def joined(at: int) -> list[str]:
        return [*cells[:at], _SPACE.join(cells[at : at + extra + 1]), *cells[at + extra + 1 :]]

    if extra < 0:
        return None
    # a level cell printed with a space (``经济效益 指标``) takes the extra piece, else the name does
    level = next((at for at in range(name_at) if extra and is_level(key("".join(cells[at : at + extra + 1])))), None)
    row = joined(name_at if level is None else level)
    if level is None and extra and any(c.isdigit() or not c for c in cells[name_at : name_at + extra + 1]):
        return None  # figures inside the name: a misaligned line, not a name with a space
    if not all(not cell or is_level(key(cell)) for cell in row[:name_at]):
        return None  # what stands under the level columns is no level label
    if any(row[n] and not is_number(row[n]) for n in numeric if n < len(row)):
        return None  # a word under 分值 or 得分: the line holds several rows, not one row's cells
    return row


def spaced_cells(lines: Lines, place: str) -> Repaired:
    """A table whose cells are separated by one space each (pdftotext without -layout): the spaces are borders.

    The header names every column in one word each, so a row line splits into as many cells, an
    empty cell showing as two spaces in a row.  When most of the table's lines split so, they are
    written with ``|`` borders, and the cell reader keeps the columns' positions; a name printed
    with a space inside gives one piece too many, joined back into the name cell.
    """
    at = next(((n, width) for n, (_, text) in enumerate(lines) if (width := _spaced_header(text))), None)
    if at is None:
        return _header_rejoined(lines, place)
    start, width = at
    heads = [head_cell(c) for c in lines[start][1].strip().split(_SPACE)]
    name_at = heads.index(Column.NAME)
    numeric = frozenset(n for n, head in enumerate(heads) if head in (Column.WEIGHT, Column.SCORE))
    end = next((n for n in range(start + 1, len(lines)) if TABLE_END.match(key(lines[n][1].split(_SPACE)[0]))), len(lines))
    body = [n for n in range(start + 1, end) if lines[n][1].strip()]
    rows = {n: cells for n in body if (cells := _spaced_row(lines[n][1], width, name_at, numeric)) is not None}
    broken = _broken_spaced(lines, body, rows, width, name_at, numeric)
    if not body or len(rows) + 2 * len(broken) < SPACED_SHARE * len(body):  # a broken row is two lines of it
        return Repaired(lines, [])
    out = list(lines)
    out[start] = (lines[start][0], " | ".join(lines[start][1].strip().split(_SPACE)))
    for n, cells in (rows | broken).items():
        out[n] = (lines[n][0], " | ".join(cells))
    notes = [_note(place, lines[start][0], f"绩效指标表的单元格以单个空格分隔，已按表头的 {width} 列读取（连续空格为空单元格）")]
    if broken:
        notes.append(_note(place, lines[start][0], f"绩效指标表有 {len(broken)} 处单元格折行，该行接在下一行上，已接回"))
    return Repaired([line for n, line in enumerate(out) if n - 1 not in broken], notes)


#: The cells each line of a header broken over two lines holds at least.
HEADER_PIECES_MIN = 2


def _header_rejoined(lines: Lines, place: str) -> Repaired:
    """A spaced header whose cell broke over two lines (``… 年度指`` / ``标值 实际完成值 …``): joined where it broke,
    then read as :func:`spaced_cells` reads a header on one line (unchanged when no such header is found)."""
    for n in range(len(lines) - 1):
        joined = lines[n][1].rstrip() + lines[n + 1][1].lstrip()
        # each line holds cells of its own (a line of one word is a label broken over lines: ``一级`` / ``指标``)
        pieces = (len(lines[n][1].split()), len(lines[n + 1][1].split()))
        # (no line is a spaced header on its own: spaced_cells looked for one before calling this)
        if min(pieces) >= HEADER_PIECES_MIN and _spaced_header(joined):
            repaired = spaced_cells([*lines[:n], (lines[n][0], joined), *lines[n + 2 :]], place)
            if repaired.notes:
                return repaired
            break
    return Repaired(lines, [])


def _ends_in_text(text: str) -> bool:
    """The line stops inside a text cell (``… 资金到位``): no blank cell or figure at its end, where a row's line
    that merely lacks cells would stop."""
    last = text.split(_SPACE)[-1]
    return bool(last) and not any(c.isdigit() for c in last) and not _is_value_cell(last)


def _broken_spaced(lines: Lines, body: list[int], rows: dict[int, list[str]], width: int, name_at: int,
                   numeric: frozenset[int]) -> dict[int, list[str]]:
    """Rows whose cell broke over two lines (an HTML cell's line break: ``梨树种植`` / ``面积 6亩 6亩``): two lines
    next to each other, neither a row by itself, that make one row once joined where the cell broke."""
    found: dict[int, list[str]] = {}
    for n in body:
        following = n + 1
        if n in rows or following in rows or following not in body or n - 1 in found or not _ends_in_text(lines[n][1]):
            continue
        if (cells := _spaced_row(lines[n][1].rstrip() + lines[following][1].lstrip(), width, name_at, numeric)) is not None:
            found[n] = cells
    return found


ONE_LINE_ROWS_MIN = 2  # fewer rows than this on the header's line: the table is not on that line

# --- a table read cell by cell, its blank cells skipped --------------------------------------------------



_OPERATOR_WORDS = sorted(vocabulary()["operators"]["words"], key=len, reverse=True)


def _is_value_cell(text: str) -> bool:
    """A value, a number or an answer word, also after a comparison word (``大于等于300份``)."""
    word = next((w for w in _OPERATOR_WORDS if text.startswith(w) and len(text) > len(w)), "")
    rest = text[len(word) :]
    return is_value(rest) or is_number(rest) or text in ANSWERS


_TEXT_VALUES = frozenset({Column.TARGET, Column.VALUE, Column.ACTUAL})
#: Columns often left blank whose cells are words too (定量, 人, an adjusted target): with them in the plan, a
#: second text after a name is as likely the next row's name, so a row takes one text only.
_WORD_COLUMNS = frozenset({Column.NATURE, Column.DIRECTION, Column.MEASURE, Column.ADJUSTED})
#: Columns of short words (正向, 大于等于, 公里): a word after a name may be their cell as well as the name's rest.
_SHORT_WORD_COLUMNS = _WORD_COLUMNS - {Column.ADJUSTED}


_CLASS_WORDS = frozenset(vocabulary()["natures"]["words"]) | frozenset(vocabulary()["operators"]["words"])


def _short_words(header: Iterable[str]) -> frozenset[str]:
    """The words the plan's short-word columns hold: units for a 计量单位 column, class and comparison words
    (正向, 大于等于) for a 指标性质 / 指标方向 column."""
    heads = {head_cell(text) for text in header}
    units = frozenset(UNITS) if Column.MEASURE in heads else frozenset()
    return units | (_CLASS_WORDS if heads & {Column.NATURE, Column.DIRECTION} else frozenset())


def _text_columns(header: Iterable[str]) -> int:
    """How many texts a row takes after its name: its text target and text actual (年度指标值, 实际完成值)."""
    heads = {head_cell(text) for text in header}
    return 1 if heads & _WORD_COLUMNS else max(1, len(heads & _TEXT_VALUES))


def _word_columns(header: Iterable[str]) -> bool:
    """The plan has a column of short words (指标性质 ``正向``, 度量单位 ``公里``): a short text after a name is as
    likely that column's cell as the rest of the name, so it is not joined to the name."""
    return bool({head_cell(text) for text in header} & _SHORT_WORD_COLUMNS)


def _text_fits(values: list[str], texts: int) -> bool:
    """One more text cell still belongs to the row: no figure yet (a row's 分值 and 得分 come last) and fewer
    texts than the plan has text-taking columns (a text target, then a text actual ``达成预期指标``)."""
    return len(values) < texts and not any(is_number(v) for v in values)


_BRACKETED = re.compile(r"^[(（][^()（）]{1,8}[)）]$")


def _name_continued(name: str, values: list[str], width: int | None, pieces: bool = True) -> str:
    """The name with the pieces of it that were read as values: a bracketed unit right after it (``(万元)``),
    texts beyond the ``width`` value cells a row has (a name broken at a space), and, when ``pieces``, a short
    fragment before a figure (:func:`_name_piece`).  ``values`` loses them."""
    while values and not _is_value_cell(values[0]) and (
        _BRACKETED.match(values[0]) or (width is not None and len(values) > width) or (pieces and _name_piece(values))
    ):
        name += values.pop(0)
    return name


_OPEN_OR_CLOSE = frozenset("(（)）”’】」』、，。；：,;:")


def _name_piece(values: list[str]) -> bool:
    """The first text after a name is the rest of it, broken where it wrapped, not a text target: a lone bracket or a
    piece starting with a closing mark (``( | 万元)``), or a fragment shorter than a name (``项目竣 | 工时间``) that is
    no answer word, is followed by a figure (not by a text actual: ``按时 | 已完成``) and is not written again
    among the row's values (a text target and its actual: ``及时 | 20 | 及时``)."""
    first = values[0]
    if first[0] in _OPEN_OR_CLOSE and len(values) > 1:
        return True
    return (len(values) > 1 and len(first) < NAME_CHARS_MIN and key(first) not in ANSWERS and first not in values[1:]
            and (is_value(values[1]) or is_number(values[1])) and bool(re.fullmatch(r"[\u4e00-\u9fff]+", first)))


def _repeated(text: str, values: list[str]) -> bool:
    """``text`` is the row's text target written again as its actual: right after it (``及时 | 及时``), or after the
    figures a plan puts between them (``及时 | 20 | 及时``: the weight between target and actual)."""
    return text == values[-1] or (text == values[0] and is_number(values[-1]))


def _cell_rows(cells: list[tuple[int, str]], texts: int = 1, width: int | None = None,
               pieces: bool = True, words: frozenset[str] = frozenset()) -> list[tuple[int, list[str]]]:
    """Cells in reading order grouped into rows: level labels, a name, then its values (and a reason).

    ``texts``: how many of the plan's value columns take a text (年度指标值, 实际完成值); ``width``: how many
    value cells a row has at most, when the cells are words (a name broken at a space gives one too many);
    ``pieces``: whether a short fragment before a figure may be the rest of the name (not when the plan has a
    column of short words, :func:`_word_columns`); ``words``: the short words of the plan's word columns
    (:func:`_short_words`): one among a row's values (``正向 | 大于等于 | 300``, ``90 | 100 | %``) is their cell,
    not the next name.
    """
    rows: list[tuple[int, list[str]]] = []
    labels: list[str] = []
    name: tuple[int, str] | None = None
    values: list[str] = []

    def close() -> None:
        if name is not None:
            rows.append((name[0], [*labels, _name_continued(name[1], values, width, pieces), *values]))
            labels.clear()
            values.clear()

    for number, text in cells:
        if is_level(key(text)):
            close()
            name = None
            labels.append(text)
        elif name is None:
            name = (number, text)  # what opens a row is its name, even one that looks like a value (``1年``)
        elif (_is_value_cell(text) or not values or _repeated(text, values) or _text_fits(values, texts)
              or text in words):
            values.append(text)  # a text right after the name, or repeated, is a text target (``按时保质完成``)
        else:  # a text after the values opens the next row (a reason cannot be told from a name here)
            close()
            name = (number, text)
    close()
    return rows


def guessed_splits(rows: list[tuple[int, list[str]]], texts: int = 1) -> list[int]:
    """The positions of rows grouped by kinds whose border is a guess (分行存疑): a row closed by a text while it
    holds no figure yet, and the row that text opened (the text may be the rest of a cell broken at a space,
    ``严格执行 相关制度规定``, as well as the next row's name; a row opened by a level label is no guess); and a
    row with more texts before its figures than the plan has ``texts`` columns (a name broken at a space,
    ``资金到位 及时率``, left a piece among the values).
    """
    guessed: set[int] = set()
    for k, (_, cells) in enumerate(rows):
        name = next((i for i, c in enumerate(cells) if not is_level(key(c))), len(cells))
        values = cells[name + 1 :]
        before = next((i for i, v in enumerate(values) if is_number(v)), len(values))
        if before > texts:
            guessed.add(k)
        if k + 1 < len(rows) and before == len(values) and not is_level(key(rows[k + 1][1][0])):
            guessed |= {k, k + 1}
    return sorted(guessed)


def _rows_rebuilt(
    before: Lines, header: tuple[int, str], rows: list[tuple[int, list[str]]], after: tuple[int, str], lines: Lines,
    texts: int,
) -> tuple[Lines, tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Rows grouped from a line's words written a row per line under their header, between the text before
    and after them (empty lines dropped): the lines with ids of their own (:func:`numbered`), where each came
    from, and the ids of the rows whose border is a guess."""
    kept = [(n, line) for n, line in before if line]
    out, origin = numbered([*kept, header, *((n, " | ".join(cells)) for n, cells in rows), *([after] if after[1] else [])],
                           lines)
    first = len(kept) + 1
    return out, origin, tuple(out[first + k][0] for k in guessed_splits(rows, texts))


def cells_to_rows(lines: Lines, place: str) -> Repaired:
    """A table read one cell per line whose blank cells were skipped: cells grouped back into rows.

    With no empty line left, positions no longer tell the columns; the kinds of the cells do: a
    level label or a name opens a row, values follow it.  Rows are written with ``|`` borders and no
    empty cell, the shape the row reader lays out by the constraints (blank cells dropped).
    """
    if any("|" in text for _, text in lines) or not cell_per_line(lines):
        return Repaired(lines, [])
    heads = [n for n, (_, text) in enumerate(lines) if head_cell(text) is not None]
    name = next((n for n in heads if head_cell(lines[n][1]) is Column.NAME), None)
    if name is None:
        return Repaired(lines, [])
    start = name
    while start > 0 and head_cell(lines[start - 1][1]) is not None:
        start -= 1
    stop = name
    while stop + 1 < len(lines) and head_cell(lines[stop + 1][1]) is not None:
        stop += 1
    end = next((n for n in range(stop + 1, len(lines)) if TABLE_END.match(key(lines[n][1]))), len(lines))
    body = lines[stop + 1 : end]
    if not body or any(not text.strip() for _, text in body):
        return Repaired(lines, [])  # empty cells kept as empty lines: positions still hold
    header_texts = [t for _, t in lines[start : stop + 1]]
    texts = _text_columns(header_texts)
    rows = _cell_rows([(n, text.strip()) for n, text in body], texts, pieces=not _word_columns(header_texts),
                      words=_short_words(header_texts))
    header = (lines[start][0], " | ".join(text.strip() for _, text in lines[start : stop + 1]))
    note = _note(place, lines[start][0], f"绩效指标表逐格一行且空单元格已丢失，已按单元格的类别重新拼成 {len(rows)} 行")
    return Repaired([*lines[:start], header, *((n, " | ".join(cells)) for n, cells in rows), *lines[end:]], [note],
                    guessed=tuple(rows[k][0] for k in guessed_splits(rows, texts)))


def _word_cells(words: Lines) -> Lines:
    """A table's words as cells: a level label printed in pieces (``绩 效 指 标``, ``经济效益 指标``) one cell."""
    texts = [w for _, w in words]
    cells = []
    i = 0
    while i < len(words):
        span = label_span(texts, i) or 1
        cells.append((words[i][0], "".join(texts[i : i + span])))
        i += span
    return cells


def _table_words(lines: Lines, at: int) -> tuple[Lines, int, list[str]]:
    """The words from line ``at`` on, each with its line, up to the table's end word (总分): a table on a page's
    line goes on on the next page's line.  Also the index of the line holding the end word and that line's
    words from the end word on (none when the text has no end word: the table is taken on line ``at`` only)."""
    words: Lines = []
    for n in range(at, len(lines)):
        texts = lines[n][1].split()
        end = next((i for i, w in enumerate(texts) if TABLE_END.match(key(w))), None)
        words += [(lines[n][0], w) for w in texts[:end]]
        if end is not None:
            return words, n, texts[end:]
    return [(lines[at][0], w) for w in lines[at][1].split()], at, []


VALUELESS_SHARE = 0.5  # this share of the rows grouped from words without a single value: not a row order


def _valueless_rows(rows: list[tuple[int, list[str]]], place: str, line: int) -> list[ImportNote]:
    """A doubt on the whole list when many rows grouped from a line's words hold no value at all: the words
    are not in row order (names drawn apart from their values), so which value is whose is not known."""
    empty = sum(not any(_is_value_cell(c) for c in cells) for _, cells in rows)
    if empty < VALUELESS_SHARE * len(rows):
        return []
    return [ImportNote("I20", f"按单元格类别拼成的 {len(rows)} 个指标行中有 {empty} 行没有任何数值，名称与数值可能分开排列，"
                              "指标行的对应存疑，请核对原表", Location(file=place, line=line), path="indicators")]


def _rows_share_lines(rows: list[tuple[int, list[str]]]) -> bool:
    """Rows grouped from a table's words whose lines hold several rows each: more rows than lines, and every
    row with a value (a row without one is a reason or a broken name read as a row, not a row of its own)."""
    return len(rows) > len({n for n, _ in rows}) and all(any(_is_value_cell(c) for c in cells) for _, cells in rows)


def one_line_rows(lines: Lines, place: str) -> Repaired:
    """A table on a line of its own page whose cells are separated by single spaces and whose blank cells are
    gone (a PDF's text layer scraped into a page): after the header, the words are grouped into rows by their
    kinds, as for a table read cell by cell (:func:`cells_to_rows`), and written a row per line.

    The header shares its line with the page's other text (a header alone on its line heads a table printed
    a row per line); a scoring rubric (no target column) and values drawn before the names are left alone.
    """
    if any("|" in text for _, text in lines):
        return Repaired(lines, [])
    for at, (number, text) in enumerate(lines):
        if name_head(text.split()) is None:
            continue
        body, last, rest = _table_words(lines, at)
        words = [w for _, w in body]
        header = header_of(words)
        alone = header is not None and header.start == 0 and all(n != number for n, _ in body[header.end :])
        if (header is None or not {head_cell(t) for t in header.texts} & _TEXT_VALUES
                or header.end >= len(words) or _is_value_cell(words[header.end])):
            return Repaired(lines, [])
        cells = [*((number, w) for w in header.inside), *body[header.end :]]
        texts = _text_columns(header.texts)
        rows = _cell_rows(_word_cells(cells), texts, len(header.plan), not _word_columns(header.texts),
                          _short_words(header.texts))
        if len(rows) < ONE_LINE_ROWS_MIN or (alone and not _rows_share_lines(rows)):
            return Repaired(lines, [])
        out, origin, guessed = _rows_rebuilt([(number, " ".join(words[: header.start]))], (number, " | ".join(header.texts)),
                                             rows, (lines[last][0], " ".join(rest)), lines, texts)
        shape = "一行印有几个指标行" if alone else "整张印在一行"
        notes = [_note(place, number, f"绩效指标表{shape}、空单元格已丢失，已按单元格的类别重新拼成 {len(rows)} 行"),
                 *_valueless_rows(rows, place, number)]
        return Repaired([*lines[:at], *out, *lines[last + 1 :]], notes, origin=origin, guessed=guessed)
    return Repaired(lines, [])


# --- rows on shared lines with no header: the template library's column plans ------------------------------



def _plan_pattern(template: Template) -> list[Column]:
    """A template's value columns (after the name column) as the row reader's columns."""
    return [c for c in (column_of(key(h)) for h in template.indicator_columns[1:]) if c is not None]


def _plan_fit(rows: list[tuple[int, list[str]]], pattern: list[Column]) -> int:
    """How many rows a plan lays out: the row's values fit the plan's columns under the form's arithmetic
    (分值 a number, 得分 ≤ 分值, text only in text columns)."""
    fits = 0
    for _, cells in rows:
        name = next((n for n, c in enumerate(cells) if not is_level(key(c))), len(cells))
        if name < len(cells) and choose_layout(cells[name + 1 :], pattern, cells[name]) is not None:
            fits += 1
    return fits


def _table_lines(lines: Lines) -> tuple[int, int, list[str]] | None:
    """The lines of a header-less table: from after the page's last line that is no run of rows (the funds
    block, prose) up to the line holding the table's end word (总分); also that line's words from it on."""
    end = next((n for n, (_, text) in enumerate(lines) if any(TABLE_END.match(key(w)) for w in text.split())), None)
    if end is None:
        return None
    words = lines[end][1].split()
    cut = next(i for i, w in enumerate(words) if TABLE_END.match(key(w)))
    start = end if words[:cut] else end + 1
    while start > 0:
        text = lines[start - 1][1].split()
        if not text or text[0].startswith(FUNDS_ROW_WORDS):
            break
        grouped = _cell_rows(_word_cells([(0, w) for w in text]))
        if not grouped or not all(any(_is_value_cell(c) for c in cells[1:]) for _, cells in grouped):
            break
        start -= 1
    return (start, end, words[cut:]) if start < end or words[:cut] else None


def _first_level1(words: Lines) -> int | None:
    """Where a table on the page's one line starts: its first 一级 label after the funds block's words (the head
    fields and the funds row before it), when words come before it."""
    texts = [w for _, w in words]
    funds = max((i for i, w in enumerate(texts) if w.startswith(FUNDS_ROW_WORDS)), default=-1)
    for i in range(funds + 1, len(texts)):
        if (span := label_span(texts, i)) and level1_name(key("".join(texts[i : i + span]))):
            return i or None
    return None


def headerless_rows(lines: Lines, place: str) -> Repaired:
    """A table whose lines hold several rows each (blank cells gone) and whose header is lost (drawn as an
    image, left on the page before): the words grouped into rows by the plans of the template library
    (:mod:`jixiao.io.templates`), the plan whose columns lay out the most rows under the form's arithmetic
    chosen, and written a row per line under that plan's header.  The header is a guess: a doubt on the list.
    """
    if any("|" in text for _, text in lines) or any(name_head(text.split()) is not None for _, text in lines):
        return Repaired(lines, [])
    found = _table_lines(lines)
    if found is None:
        return Repaired(lines, [])
    start, end, rest = found
    body = [(n, w) for n, text in lines[start:end] for w in text.split()]
    body += [(lines[end][0], w) for w in lines[end][1].split()[: len(lines[end][1].split()) - len(rest)]]
    lead: Lines = []
    if start == end and (first := _first_level1(body)):  # the page on one line: its head and funds before the table
        lead, body = [(body[0][0], " ".join(w for _, w in body[:first]))], body[first:]
    cells = _word_cells(body)
    best: tuple[int, Template, list[tuple[int, list[str]]]] | None = None
    for template in load_templates():
        rows = _cell_rows(cells, _text_columns(template.indicator_columns), len(template.indicator_columns) - 1,
                          not _word_columns(template.indicator_columns))
        fit = _plan_fit(rows, _plan_pattern(template))
        if best is None or fit > best[0]:
            best = (fit, template, rows)
    if best is None or len(best[2]) < ONE_LINE_ROWS_MIN or not _rows_share_lines(best[2]):
        return Repaired(lines, [])
    _, template, rows = best
    header = " | ".join([*LEVEL_HEADS, *template.indicator_columns])
    out, origin, guessed = _rows_rebuilt(lead, (body[0][0], header), rows, (lines[end][0], " ".join(rest)), lines,
                                         _text_columns(template.indicator_columns))
    notes = [ImportNote("I20", f"绩效指标表没有可识别的表头、一行印有几个指标行，已按表样「{template.id}」的列"
                               f"（{'、'.join(template.indicator_columns)}）按单元格的类别拼成 {len(rows)} 行；"
                               "各列的对应是推测，请核对原表", Location(file=place, line=body[0][0]), path="indicators")]
    return Repaired([*lines[:start], *out, *lines[end + 1 :]], notes, origin=origin, guessed=guessed)


LEVEL_REACH = 40  # words between the 一级指标 head and the 三级指标 head: the level columns' cells


def _levels_start(words: list[str], name: int) -> int:
    """Where a table flattened by column starts: its 一级/二级 heads shortly before the 三级指标 head."""
    start = name
    for i in range(name - 1, max(-1, name - LEVEL_REACH), -1):
        if TABLE_END.match(key(words[i])):
            break
        if head_cell(words[i]) in LEVEL_HEADS:
            start = i
    return start


def _labels_joined(words: list[str]) -> list[str]:
    """A level column's words with the pieces of a label broken where it wrapped (``经济效 益指标``) joined."""
    out, i = [], 0
    while i < len(words):
        span = label_span(words, i) or 1
        out.append("".join(words[i : i + span]))
        i += span
    return out


def _column_words(words: list[str], heads: list[tuple[int, int]], end: int) -> list[tuple[str, list[str]]]:
    """Each header cell (pieces joined) with the words drawn after it, up to the next header cell or ``end``;
    a level column's labels whole again."""
    bounds = [*(i for i, _ in heads[1:]), end]
    columns = [("".join(words[i : i + n]), words[i + n : b]) for (i, n), b in zip(heads, bounds, strict=True)]
    return [(head, _labels_joined(cells) if head_cell(head) in LEVEL_HEADS else cells) for head, cells in columns]


def _row_families(columns: list[tuple[str, list[str]]], count: int) -> list[str | None]:
    """Each row's unit family from its target or actual cell (:func:`jixiao.io.textorder.tuple_family`), when
    those columns hold a cell per row."""
    measured = [cells for head, cells in columns if head_cell(head) in (Column.TARGET, Column.ACTUAL) and len(cells) == count]
    return [next((f for cells in measured if (f := value_family(cells[n]))), None) for n in range(count)]


def columns_on_line(lines: Lines, place: str) -> Repaired:
    """A table flattened column by column on one line (a PDF's content stream drawn a column at a time): each
    header cell followed by its column's cells, single spaces between.  The value columns with most cells
    count the rows; the name column's pieces are joined to as many names (:func:`aligned_names`, a guess
    doubted as I20); the columns are then put back into rows as :func:`unflatten_columns` does."""
    if any("|" in text for _, text in lines):
        return Repaired(lines, [])
    for at, (number, text) in enumerate(lines):
        words = text.split()
        name = name_head(words)
        if name is None:
            continue
        end = next((i for i in range(name, len(words)) if TABLE_END.match(key(words[i]))), len(words))
        heads = column_heads(words[:end], _levels_start(words, name))
        columns = _column_words(words, heads, end)
        values = [cells for head, cells in columns if head_cell(head) in FIELD_OF_COLUMN and cells]
        names = next((cells for head, cells in columns if head_cell(head) is Column.NAME), [])
        if len(values) < 2 or not names or any(_is_value_cell(w) for w in names):
            return Repaired(lines, [])  # header cells next to each other: the table is printed row by row
        count = Counter(len(cells) for cells in values).most_common(1)[0][0]
        pieces = [w for w in names if not is_level(key(w))]
        joined, certain = aligned_names(pieces, count)
        if not certain and len(joined) >= count:  # a guess: the cheapest cut over the names and rows as a whole
            joined = name_alignment(pieces, count, _row_families(columns, count)).names
        if len(joined) != count or count < ONE_LINE_ROWS_MIN:
            return Repaired(lines, [])
        table = [cell for head, cells in columns
                 for cell in (head, *(joined if head_cell(head) is Column.NAME else cells))]
        first = heads[0][0]
        rebuilt = [(number, " ".join(words[:first])), *((number, cell) for cell in table), (number, " ".join(words[end:]))]
        out, origin = numbered([line for line in rebuilt if line[1]], lines)
        done = unflatten_columns(out, place)
        notes = list(done.notes)
        if not certain:
            notes.append(ImportNote("I20", f"指标名称折行后无法确定地拼回 {count} 个，名称与各列数值的对应是推测，请核对原表",
                                    Location(file=place, line=number), path="indicators"))
        return Repaired([*lines[:at], *done.lines, *lines[at + 1 :]], notes, origin=origin)
    return Repaired(lines, [])


def names_after_values(lines: Lines, place: str) -> Repaired:
    """An indicator block drawn values first and names after (:mod:`jixiao.io.textorder`), back into rows."""
    lines, notes, origin = values_first(lines, place)
    return Repaired(lines, notes, origin=origin)


Stage = Callable[[Lines, str], Repaired]

#: Full-width figures, Latin letters, signs and the ideographic space as NFKC maps them (one character for
#: one, so every offset still points into the line); Chinese punctuation (，：（）) is left as printed.
_FULL_WIDTH_FIGURES = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                          *range(0xFF41, 0xFF5B), *map(ord, "％．＋－＝＜＞｜"))}
_FULL_WIDTH_FIGURES[0x3000] = 0x20


def half_width(lines: Lines, place: str) -> Repaired:
    """``２０２３年度``, ``９５％``, ``Ａ``: full-width figures read as the half-width ones (Word and OCR text)."""
    return Repaired([(number, text.translate(_FULL_WIDTH_FIGURES)) for number, text in lines], [])


#: The repair stages in the order they run: line structure first, then the characters inside it.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("half_width", half_width),
    ("wrapped", rejoin_wrapped),
    ("page_markers", drop_page_markers),
    ("cell_lines", rejoin_cell_lines),  # after the page markers: a number broken by one is no cell broken
    ("ocr", undo_ocr),
    ("by_column", unflatten_columns),
    ("spaced_cells", spaced_cells),
    ("names_after_values", names_after_values),
    ("columns_on_line", columns_on_line),
    ("one_line_rows", one_line_rows),
    ("headerless_rows", headerless_rows),
    ("cells_to_rows", cells_to_rows),
)


def repair(lines: Lines, place: str, skip: frozenset[str] = frozenset()) -> Repaired:
    """Every repair stage in turn but those named in ``skip``; the notes of all of them."""
    notes: list[ImportNote] = []
    ocr = False
    ocr_values: tuple[tuple[int, str], ...] = ()
    origin: tuple[tuple[int, int], ...] = ()
    guessed: tuple[int, ...] = ()
    for name, stage in STAGES:
        if name in skip:
            continue
        done = stage(lines, place)
        lines = done.lines
        notes += done.notes
        ocr = ocr or done.ocr
        ocr_values += done.ocr_values
        origin += done.origin
        guessed += done.guessed
    return Repaired(lines, notes, ocr, ocr_values, origin, guessed)
