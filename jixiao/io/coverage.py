"""Coverage of the indicator table: value-like text that no row read (未归入任何指标行的数值).

A reader that loses a row says nothing of it: the rows it read may all be right.  What betrays the
lost row is the text it leaves behind — numbers, percentages, unit-bearing values, comparison signs,
answer words between the table's header and its end that no row or level label took.  The text of
the region is compared, as a multiset of value atoms, with what the rows read (their names and
values, the level labels and their printed 分值; a glued digit run may be the cells it was cut into):
what is left over was not placed anywhere.  Figures that are no cells are skipped on both sides:
sentences (reasons, scoring notes), template stubs (``指标2:``), dates, page markers.  The
comparison ignores which reader built the rows (cells, words, glued runs), so it holds for all;
:func:`coverage_doubts` turns a row's worth of leftovers into note ``I25`` on the whole list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..model import Location
from ..scoring import plain
from .constraints import settings
from .notes import MISSING_ROWS, ImportNote, doubted
from .textglued import _HEADER_NAME
from .textlabels import ANSWERS, is_level
from .textrows import Row, Table, find_header
from .textscan import Token, splits

#: A number as printed inside any cell (``≥95%`` → 95, ``1,200万元`` → 1200), not a digit of a longer run.
_NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?(?![\d])")


@dataclass(frozen=True)
class Residue:
    """What is left of the indicator region once every row took its text: the atoms and where they are."""

    atoms: tuple[tuple[str, int, int], ...]  # (atom, line, its place among the region's atoms) in reading order
    region: int  # how many value atoms the region holds in all

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted({line for _, line, _ in self.atoms}))

    def longest_run(self) -> int:
        """The most atoms left side by side on one line (no atom a row read between them): a row's cells."""
        best = run = 0
        previous: tuple[int, int] | None = None
        for _, line, place in self.atoms:
            run = run + 1 if previous == (line, place - 1) else 1
            best, previous = max(best, run), (line, place)
        return best


def atoms(text: str) -> list[str]:
    """The value atoms of a piece of text: each number (as a normalised decimal) and a whole answer word."""
    stripped = text.strip()
    if stripped in ANSWERS:
        return [stripped]
    found = []
    for match in _NUMBER.finditer(text):
        try:
            found.append(plain(Decimal(match.group().replace(",", ""))))
        except InvalidOperation:  # a comma run such as ``1,,2`` is no number
            continue
    return found


#: Numbers that belong to no cell: template stubs and list numbers (``指标2:``, ``1、``), printed level
#: weights (``(10分)``), page markers (``第3页``), dates (``2022年3月18日``).
_NOT_CELLS = re.compile(
    r"(?:指标|目标)\s*\d{1,2}(?![\d.%])|(?<![\d.])\d{1,2}\s*[、]|[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]|第\s*\d+\s*页"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
)


def _consumed(rows: Sequence[Row]) -> Counter[str]:
    """The atoms the ``rows`` read: names, values, level names and each block's printed 分值.

    A row's reason is not among them: a row the reader lost lands in the reason of the row above, and
    a true reason is a sentence, whose figures the region skips anyway.
    """
    taken: Counter[str] = Counter()
    blocks: dict[int, Decimal] = {}
    for row in rows:
        for text in (row.name, *row.values.values(), row.level1 or "", row.level2 or ""):
            taken.update(atoms(_NOT_CELLS.sub(" ", text)))  # the same figures the region skips
        if row.block_weight is not None:
            blocks[row.block] = row.block_weight
    taken.update(plain(weight) for weight in blocks.values())
    return taken


def _spaced(tokens: Sequence[Token]) -> tuple[str, list[int], list[int]]:
    """The tokens' text joined by spaces, the line of every character and where each token starts."""
    text, lines, starts = [], [], []
    position = 0
    for token in tokens:
        starts.append(position)
        text.append(token.text + " ")
        lines += [token.line] * (len(token.text) + 1)
        position += len(token.text) + 1
    return "".join(text), lines, starts


def _region(tokens: Sequence[Token], table: Table) -> tuple[int, int, str, list[int]]:
    """The text between the indicator header and the table's end (the 总分 or 结论 row), with its lines."""
    text, lines, starts = _spaced(tokens)
    header = find_header(list(tokens))
    named = _HEADER_NAME.search(text)
    if header is not None and header[2] < len(tokens):
        start = starts[header[2]]
    elif named is not None:
        start = named.end()
    elif table.rows:
        first = min(row.lines.get("name", 0) for row in table.rows)
        start = next((starts[n] for n, t in enumerate(tokens) if t.line >= first), len(text))
    elif (level := next((n for n, t in enumerate(tokens) if is_level(t.key)), None)) is not None:
        start = starts[level]  # no header, no row: the table starts at its first level label (产出指标, 数量指标)
    else:
        return 0, 0, text, lines
    end = len(text)
    if table.end is not None:
        line_start = next((starts[n] for n, t in enumerate(tokens) if t.line >= table.end.line), len(text))
        found = text.find(table.end.text, max(start, line_start))
        end = found if found >= 0 else end
    return start, end, text, lines


#: A sentence (a clause mark between words): a reason or a scoring note, whose figures are no cells.
_PROSE = re.compile(r"[\u4e00-\u9fff][，。；;,][\u4e00-\u9fff\d]|[\u4e00-\u9fff]{2}。")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


GLUED_PARTS_MAX = 4  # a digit run glued from this many cells at the most (``1010`` = 10 | 10)
GLUED_DIGITS_MAX = 6  # longer runs are codes or amounts, not points glued (and their cuts are many)


def _take(taken: Counter[str], atom: str) -> bool:
    """Take ``atom`` from what the rows read, or the cells it was glued from (``22`` = 分值 2 | 得分 2)."""
    if taken[atom] > 0:
        taken[atom] -= 1
        return True
    if not atom.isdigit() or len(atom) > GLUED_DIGITS_MAX:
        return False
    for parts in range(2, min(GLUED_PARTS_MAX, len(atom)) + 1):
        for pieces in splits(atom, parts):
            need = Counter(pieces)
            if all(taken[p] >= n for p, n in need.items()):
                taken.subtract(need)
                return True
    return False


def residue(tokens: Sequence[Token], table: Table) -> Residue:
    """The value atoms of the indicator region that no row read, in reading order with their lines."""
    start, end, text, lines = _region(tokens, table)
    levels = {name for row in table.rows for name in (row.level1, row.level2) if name}
    return leftovers([(text[start:end], lines[start:end])], _consumed(table.rows), levels)


def leftovers(pieces: Sequence[tuple[str, Sequence[int]]], taken: Counter[str], levels: Set[str]) -> Residue:
    """The atoms of the region's ``pieces`` that ``taken`` (what the rows read) does not hold.

    The one comparison every reader's coverage goes through: the text reader gives the text between
    the indicator header and the table's end, the grid reader each cell there; a piece comes with the
    line of each of its characters.  Figures that are no cells (:data:`_NOT_CELLS`, sentences, a level
    label's own 分值) are skipped on both sides.
    """
    taken = Counter(taken)
    left: list[tuple[str, int, int]] = []
    count = 0
    level_weight = "|".join(re.escape(name) for name in sorted(levels, key=len, reverse=True))
    for text, lines in pieces:
        region = _NOT_CELLS.sub(_blank, text)
        if levels:  # a level cell printed with its own 分值 (``决策过程 8``, a scoring rubric)
            region = re.sub(rf"(?:{level_weight})\s*[(（]?\s*\d+(?:\.\d+)?\s*分?", _blank, region)
        for match in re.finditer(r"\S+", region):
            if _PROSE.search(match.group()):
                continue
            for atom in atoms(match.group()):
                if not _take(taken, atom):
                    left.append((atom, lines[match.start()], count))
                count += 1
    return Residue(tuple(left), count)


def describe_lines(lines: Sequence[int], most: int = 3) -> str:
    """``第12、15、18行等`` for a message."""
    named = "、".join(str(n) for n in lines[:most])
    return f"第{named}行" + ("等" if len(lines) > most else "")


def coverage_doubts(
    tokens: Sequence[Token], table: Table, at: Callable[[int], Location], known: Sequence[ImportNote] = ()
) -> list[ImportNote]:
    """I25 on the rows not read (:data:`MISSING_ROWS`) when the indicator region holds about a row's worth of values no row read.

    ``at`` turns a line into a place; ``known``: a note already doubting the rows not read (or the whole list) makes this one idle.
    """
    if not table.rows:
        return _no_rows(tokens, table, at)
    return unplaced_doubts(lambda: residue(tokens, table), at, known)


#: A line holding more rows than this says nothing of which row a figure left on it belongs to.
LEFT_ON_LINE_ROWS_MAX = 3


def left_on_row_lines(
    tokens: Sequence[Token], table: Table, at: Callable[[int], Location], known: Sequence[ImportNote] = ()
) -> list[ImportNote]:
    """I20 on each row whose own line holds a figure no row read (``足额保障率=100%22.5`` read as weight 2.5,
    ``22.5`` left over): a glued run was cut wrong there, so that row's figures are a guess.

    Each line is compared with what the rows on it read, not the whole region with all rows: the region's residue
    says which figures are left, not where (a ``1`` no row read higher up would leave the ``1`` a row did read)."""
    if not table.rows:
        return []
    start, end, text, lines = _region(tokens, table)
    on_line: dict[int, list[Row]] = {}
    for row in table.rows:
        for line in set(row.lines.values()):
            on_line.setdefault(line, []).append(row)
    levels = {name for row in table.rows for name in (row.level1, row.level2) if name}
    left = {line: figures for line, piece in _by_line(text[start:end], lines[start:end])
            if line in on_line and len(on_line[line]) <= LEFT_ON_LINE_ROWS_MAX
            and (figures := [atom for atom, *_ in leftovers([piece], _consumed(on_line[line]), levels).atoms])}
    notes = []
    for n, row in enumerate(table.rows):
        path = f"indicators[{n}]"
        lines_left = sorted(line for line in set(row.lines.values()) if line in left)
        if lines_left and not doubted(known, path):
            shown = "、".join(left[lines_left[0]][:3])
            notes.append(ImportNote("I20", f"第{n + 1}个指标所在行还有未读入的数值（{shown}），该行的数值可能切分有误，请核对原表",
                                    at(lines_left[0]), path=path))
    return notes


def _by_line(text: str, lines: Sequence[int]) -> list[tuple[int, tuple[str, Sequence[int]]]]:
    """The region's text cut where its line changes: (line, (its text, the line of each character))."""
    pieces = []
    begin = 0
    for n in range(1, len(text) + 1):
        if n == len(text) or lines[n] != lines[begin]:
            pieces.append((lines[begin], (text[begin:n], lines[begin:n])))
            begin = n
    return pieces


def unplaced_doubts(
    left: Callable[[], Residue],
    at: Callable[[int], Location],
    known: Sequence[ImportNote] = (),
    named: Callable[[Sequence[int]], str] = describe_lines,
) -> list[ImportNote]:
    """I25 on :data:`MISSING_ROWS` when the residue holds about a row's worth of values (the same for every reader).

    ``left`` computes the residue (not at all when ``known`` already doubts the rows not read); ``at`` turns
    a line of the residue into a place, ``named`` its lines into words for the message.
    """
    if doubted(known, MISSING_ROWS):
        return []
    residue_left = left()
    blocks = settings().blocks
    if not residue_left.atoms or (
            len(residue_left.atoms) < blocks.unplaced_values and residue_left.longest_run() < blocks.unplaced_run):
        return []
    return [ImportNote("I25", f"约有{len(residue_left.atoms)}处数值未归入任何指标行（{named(residue_left.lines)}），"
                              "可能漏读指标，请核对原表", at(residue_left.lines[0]), path=MISSING_ROWS)]


def _no_rows(tokens: Sequence[Token], table: Table, at: Callable[[int], Location]) -> list[ImportNote]:
    """I25 on the whole list when no row was read although the indicator region holds a row's worth of values.

    Other notes may say that no row was read (I20, I21); this one names the lines the values stand on,
    so that the filler sees where the table is that the reader could not read.
    """
    left = residue(tokens, table)
    if len(left.atoms) < settings().blocks.unplaced_values:
        return []
    return [ImportNote("I25", f"指标表区域约有{len(left.atoms)}处数值（{describe_lines(left.lines)}），"
                              "但未能读出任何指标行，请核对原表", at(left.lines[0]), path="indicators")]
