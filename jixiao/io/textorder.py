"""Reading order (阅读顺序): an indicator block printed in a PDF's content-stream order, put back into rows.

A PDF's text layer scraped into a web page keeps the order in which the cells were drawn, not the
rows: the whole page on one line, the header, then every row's value cells in turn, then the cells of
the name column (a long name wrapped at the column's width, its pieces separated by spaces) with the
level names (merged cells) among them — development form 052, and the damage generator's
``names_after_values``.

The header's column plan says how many cells a row has.  A run of k value tuples right after the
header, each keeping the row's hard arithmetic (:func:`jixiao.io.constraints.broken`: 0 < 分值 ≤ 100,
得分 ≤ 分值), is aligned in order with the k names that follow, once the level names (the vocabulary's)
are taken out and the pieces of a wrapped name are joined again.  The rows are written with ``|``
borders, the shape the row reader reads.  When names and tuples do not pair up one to one, the
alignment is a guess and the whole indicator list is doubted (I20); it is never silent.  The guess for names
drawn after their values is the cheapest cut of the name column as a whole (:func:`name_alignment`: lines
packed at the column's width, the vocabulary's name endings, the unit a name asks of its row's values, a
level label read as a name's end), its runner-up named in the doubt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from ..model import Location
from .constraints import broken, consistency, settings, value_family
from .notes import ImportNote
from .textfunds import plausibility, read_funds
from .textlabels import (
    ANSWERS,
    FUNDS_ROW_WORDS,
    LEVEL2,
    LEVEL_HEADS,
    TABLE_END,
    Column,
    head_cell,
    is_level,
    key,
    level1_name,
)
from .textplans import Plan, plans
from .textrows import (
    JUDGED_ROLE,
    LABEL_JOIN_MAX,
    NAME_CHARS_MIN,
    NUMERIC_COLUMNS,
    ROLE_OF_COLUMN,
    TEXT_COLUMNS,
)
from .textscan import is_number, is_value, labels_re
from .vocabulary import vocabulary

Lines = list[tuple[int, str]]

HEAD_PIECES_MAX = 6  # a header cell printed in pieces: wrapped (``年度 指标值``) or a character a line (``三 级 指 标``)
INTERLEAVED_MAX = 3  # words of the first row (its level names, its name) drawn among the header's words
TUPLES_MIN = 2  # fewer value tuples than this are no block drawn values first
TOTAL_FIGURES_MAX = 2  # the 总分 row's 分值 and 得分, drawn before its label
FUNDS_FIGURES_MAX = 7  # the most figures a funds total row holds (年初, A, B, 分值, 执行率, 得分 and one more)
HEADLESS_SEARCHED = 4  # (funds cut, plan) pairs searched in full, the ones reading most words as whole tuples
FUNDS_CUTS_KEPT = 2  # the funds row's cuts its arithmetic ranks best, each read under the plans (a bounded search)
#: The name column's heading written over a block read without its header.
NAME_HEAD_TEXT = "三级指标"
_BLOCK_WORDS = frozenset({"绩效指标", "指标"})  # the block's vertical title (``绩 效 指 标``)


@dataclass(frozen=True)
class WordHeader:
    """The indicator header found among a line's words."""

    start: int  # index of its first word
    end: int  # index after its last word
    texts: tuple[str, ...]  # its cells, pieces joined
    plan: tuple[Column, ...]  # the value columns a row's tuple holds, in order
    inside: tuple[str, ...]  # other words drawn among the header's (the first row's level and name)


#: The longest header cell in characters: a longer run of words is no header cell printed in pieces.
HEAD_CHARS_MAX = max(len(w) for words in vocabulary()["indicator_columns"].values() for w in words)


def _head_at(words: list[str], i: int) -> tuple[int, Column | str] | None:
    """The header cell starting at word ``i`` and how many words it takes, longest first."""
    pieces = 1
    while pieces < min(HEAD_PIECES_MAX, len(words) - i) and sum(len(key(w)) for w in words[i : i + pieces + 1]) <= HEAD_CHARS_MAX:
        pieces += 1
    for n in range(pieces, 0, -1):
        if (head := head_cell("".join(words[i : i + n]))) is not None:
            return n, head
    return None


def _value_like(word: str) -> bool:
    return is_value(word) or is_number(word)


#: The 三级指标 head's synonyms as printed, in pieces or not: found by one regex search before word by word.
_NAME_HEAD = re.compile(labels_re(vocabulary()["indicator_columns"]["name"]))


def name_head(words: list[str]) -> int | None:
    """Where the 三级指标 head (or a synonym, printed in pieces or not) is among ``words``."""
    text = " ".join(words)
    for m in _NAME_HEAD.finditer(text):
        at = text.count(" ", 0, m.start())
        if (found := _head_at(words, at)) and found[1] is Column.NAME:
            return at
    return None


def column_heads(words: list[str], start: int) -> list[tuple[int, int]]:
    """Every header cell from word ``start`` on, as (index, pieces), up to the table's end word."""
    heads = []
    i = start
    while i < len(words) and not TABLE_END.match(key(words[i])):
        if found := _head_at(words, i):
            heads.append((i, found[0]))
            i += found[0]
        else:
            i += 1
    return heads


def header_of(words: list[str]) -> WordHeader | None:
    """The indicator header in ``words``: from the 一级/二级 heads before the 三级指标 head to its last head."""
    name = name_head(words)
    if name is None:
        return None
    start = name
    for i in range(name - 1, max(-1, name - 2 - INTERLEAVED_MAX), -1):
        if (found := _head_at(words, i)) and found[1] in LEVEL_HEADS:
            start = i
    texts: list[str] = []
    heads: list[Column | str] = []
    inside: list[str] = []
    pending: list[str] = []
    end = i = start
    while i < len(words):
        if found := _head_at(words, i):
            n, head = found
            texts.append("".join(words[i : i + n]))
            heads.append(head)
            inside += pending
            pending = []
            i = end = i + n
        elif len(pending) < INTERLEAVED_MAX and not _value_like(words[i]):
            pending.append(words[i])
            i += 1
        else:
            break
    plan = tuple(h for h in heads if isinstance(h, Column) and h is not Column.NAME and h not in TEXT_COLUMNS)
    if len(plan) < 2 or not any(c in NUMERIC_COLUMNS for c in plan):
        return None
    return WordHeader(start, end, tuple(texts), plan, tuple(inside))


def _fits(cells: list[str], plan: tuple[Column, ...]) -> bool:
    """A row's value cells in plan order: figures where the plan has figures, no label, the row's arithmetic kept."""
    for cell, column in zip(cells, plan, strict=True):
        label = key(cell)
        if column in NUMERIC_COLUMNS and not is_number(cell):
            return False
        if is_level(label) or head_cell(cell) is not None or TABLE_END.match(label):
            return False
    reading = {ROLE_OF_COLUMN[c]: cell for cell, c in zip(cells, plan, strict=True) if c in ROLE_OF_COLUMN}
    return not broken(reading)


def _tuples(words: list[str], at: int, plan: tuple[Column, ...]) -> list[list[str]]:
    """The run of value tuples from word ``at``, as long as each one fits the plan."""
    width = len(plan)
    found = []
    while at + width <= len(words) and _fits(cells := words[at : at + width], plan):
        found.append(cells)
        at += width
    return found


def _widest_run(words: list[str], header: WordHeader) -> tuple[tuple[Column, ...], list[list[str]]]:
    """The plan and its run of value tuples: the header's plan, or the plan without a column that is blank
    in every row (a form that prints no 得分 per row), whichever reads the longer run (the full plan on a tie).
    Rows with other cells blank are cut by :func:`_variable_cut`."""
    plans = [header.plan, *(header.plan[:n] + header.plan[n + 1 :] for n in range(len(header.plan)))]
    runs = [(plan, _tuples(words, header.end, plan)) for plan in plans if any(c in NUMERIC_COLUMNS for c in plan)]
    return max(runs, key=lambda run: len(run[1]))


TEXT_VALUE_CHARS_MAX = 8  # a text target or actual longer than this is only taken when both are written alike
VARIABLE_WORDS_MAX = 600  # value words a block drawn values first may hold for the search over blank cells


@dataclass(frozen=True)
class _Cut:
    """Value tuples of varying width (some rows' cells blank), each padded to the plan; which rows' blank cells
    could stand in more than one column, and whether the rows' borders are one cut or several equally good."""

    tuples: list[list[str]]
    placed: list[int]  # rows whose blank cells the plan could place in more than one way
    borders_certain: bool


def _tuple_fits(cells: list[str], plan: tuple[Column, ...]) -> bool:
    """A row's filled cells in these columns: the plan's checks, and a figure in it (a weight or score, or values
    only), or a target and an actual written alike (``良好 良好``), so that a row never consists of words alone
    (those are the names drawn after)."""
    if not _fits(cells, plan):
        return False
    alike = len(cells) >= 2 and cells[0] == cells[1]  # a target and an actual written alike
    if not alike and any(len(c) > TEXT_VALUE_CHARS_MAX and not _value_like(c) for c in cells):
        return False  # a long text written once is a name (a row read row by row), not a target
    return (any(c in NUMERIC_COLUMNS for c in plan) or all(_value_like(c) or key(c) in ANSWERS for c in cells)
            or (alike and len(cells) == 2))


@lru_cache(maxsize=1 << 16)  # the headless search cuts the same words under several plans and funds cuts
def _tuple_fits_cached(cells: tuple[str, ...], plan: tuple[Column, ...]) -> bool:
    return _tuple_fits(list(cells), plan)


def _bare_values(cells: list[str], plan: tuple[Column, ...]) -> int:
    """Bare figures read as a target or actual (no unit, no sign): likelier a weight or score of the row."""
    return sum(1 for cell, c in zip(cells, plan, strict=True) if c not in NUMERIC_COLUMNS and is_number(cell))


Cost = tuple[int, int]  # rows, bare figures read as targets or actuals


def _variable_cut(words: list[str], at: int, plan: tuple[Column, ...]) -> _Cut:
    """The value tuples from ``at`` when rows leave different cells blank: over the longest run of value words,
    the cut into the fewest rows, with the fewest bare figures read as targets (a small dynamic programme over
    positions; each row any of the plan's columns in order).  A last row of one or two bare figures is left to
    the 总分 row drawn before its label."""
    subsets = [kept for k in range(len(plan), 0, -1) for kept in combinations(range(len(plan)), k)]
    stop = min(len(words), at + VARIABLE_WORDS_MAX)
    best: dict[int, tuple[Cost, int, int, tuple[int, ...]]] = {at: ((0, 0), 1, at, ())}  # cost, cuts, from, kept
    fitting: dict[int, int] = {}  # a row's start → how many column choices its cells fit
    for i in range(at, stop):
        if i not in best:
            continue
        (rows, bare), cuts, _, _ = best[i]
        seen: set[int] = set()
        for kept in subsets:
            j = i + len(kept)
            columns = tuple(plan[n] for n in kept)
            if j > stop or not _tuple_fits_cached(tuple(words[i:j]), columns):
                continue
            fitting[i] = fitting.get(i, 0) + 1
            cost = (rows + 1, bare + _bare_values(words[i:j], columns))
            if j not in best or best[j][0] > cost:
                best[j] = (cost, cuts, i, kept)
                seen.add(j)
            elif best[j][0] == cost and j not in seen:
                best[j] = (cost, best[j][1] + cuts, *best[j][2:])
                seen.add(j)
    end = max(best)
    path: list[tuple[int, tuple[int, ...]]] = []
    while end != at:
        _, _, start, kept = best[end]
        path.insert(0, (start, kept))
        end = start
    if path and len(path[-1][1]) <= TOTAL_FIGURES_MAX and all(
            is_number(w) for w in words[path[-1][0] : path[-1][0] + len(path[-1][1])]):
        path.pop()
    tuples = [[words[start + kept.index(n)] if n in kept else "" for n in range(len(plan))] for start, kept in path]
    placed = [r for r, (start, kept) in enumerate(path) if len(kept) < len(plan) and fitting.get(start, 0) > 1]
    last = path[-1][0] + len(path[-1][1]) if path else at
    return _Cut(tuples, placed, best[last][1] == 1)


def label_span(words: list[str], i: int) -> int:
    """How many words from ``i`` make a level label or the block's title (``绩 效 指 标``); 0 if none."""
    joined = ""
    best = 0
    for n in range(1, min(LABEL_JOIN_MAX, len(words) - i) + 1):
        joined += key(words[i + n - 1])
        if is_level(joined) or joined in _BLOCK_WORDS:
            best = n
    return best


@dataclass(frozen=True)
class _Names:
    """The name column's pieces and the level labels drawn after the values, in the order drawn, which of
    them are level labels, and where that run ends."""

    pieces: list[str]
    labels: frozenset[int]  # indices of the level labels among the pieces
    end: int


def _name_pieces(found: _Names) -> list[str]:
    """The pieces of names, without the level labels among them."""
    return [p for n, p in enumerate(found.pieces) if n not in found.labels]


def _names(words: list[str], at: int, first: tuple[str, ...]) -> _Names:
    """Words from ``at`` to the table's end: level labels (marked) and pieces of names."""
    pieces = list(first)
    labels = {n for n, w in enumerate(first) if is_level(key(w))}
    i = at
    while i < len(words) and not TABLE_END.match(key(words[i])):
        if span := label_span(words, i):
            label = "".join(words[i : i + span])
            if key(label) not in _BLOCK_WORDS:
                labels.add(len(pieces))
                pieces.append(label)
            i += span
        elif head_cell(words[i]) is None:
            pieces.append(words[i])
            i += 1
        else:
            i += 1  # a header word drawn late (``偏差原因分析及改进措施``)
    return _Names(pieces, frozenset(labels), i)


#: Characters no name starts with: a piece beginning with one is the rest of the name before it.
_CLOSING = frozenset("”’）)】」』、，。；：,;:%")


def _unclosed(piece: str) -> bool:
    """A bracket opened in the piece and not closed in it (``監(jiān)測數(s``): the name goes on."""
    return piece.count("(") + piece.count("（") > piece.count(")") + piece.count("）")


#: Opening brackets: a piece that is a bracketed gloss (``(参保率)``) is the end of the name before it.
_OPENING = frozenset("(（")


def _glossed(piece: str) -> bool:
    """A piece that is one bracketed gloss and nothing else: no name is only that."""
    return piece[0] in _OPENING and piece[-1] in "）)"


#: How much wider than its widest piece the name column may be (a full line broken at a space is wider
#: than either of its pieces).
WIDTH_SLACK = 2
COMMON_WIDTHS = 2  # the most common piece widths tried as the column's width too
COMMON_PIECES_MIN = 3  # pieces that must share a width for it to be tried
START_CHARS_MIN = 3  # a name starts with a piece of at least this many characters (a shorter one is a name's end)
NAME_PIECES_MAX = 12  # pieces one name may take (a long goal-like name wrapped over many lines)
_ENDINGS = tuple(vocabulary()["name_endings"]["words"])
#: (ending, unit family) longest ending first: the family a name's ending asks of its row's values.
_NAME_UNITS = tuple(sorted(((e, family) for family, endings in vocabulary()["name_units"].items() for e in endings),
                           key=lambda pair: -len(pair[0])))


def name_family(name: str) -> str | None:
    """The unit family a name's ending asks of its values (``覆盖率`` → ``%``), None when it says none."""
    return next((family for ending, family in _NAME_UNITS if name.endswith(ending)), None)


def tuple_family(cells: list[str], plan: tuple[Column, ...]) -> str | None:
    """The unit family a row's target or actual is written in, None when neither says one."""
    return next((f for cell, c in zip(cells, plan, strict=True)
                 if c in (Column.TARGET, Column.ACTUAL) and cell and (f := value_family(cell))), None)


def _name_costs(pieces: list[str], width: int, longest: int) -> Iterator[float]:
    """What reading ``pieces[:1]``, ``pieces[:2]`` … (at most ``longest``) as one name wrapped at ``width``
    characters costs: its lines packed in turn (a piece goes on the line before when it fits, a space between: a
    cell broken where it wrapped), every line but the last full; a name that starts with a closing mark, leaves a
    bracket open or is a gloss alone; a name too short to be one, or not ending as names do."""
    costs = settings().names
    packed = 0.0  # the cost of the lines before the last
    line = 0
    name = ""
    for n, piece in enumerate(pieces[:longest]):
        if not n:
            line = len(piece)
        elif line + 1 + len(piece) <= width:
            line += 1 + len(piece)
            packed += costs.split_line
        else:
            packed += 0 if line > width - 1 else costs.short_line if line > width - 2 else costs.unfull_line
            line = len(piece)
        name += piece
        cost = packed + (costs.full_end if line > width - 1 else 0)
        if name[0] in _CLOSING or _unclosed(name) or _glossed(name):
            cost += costs.mark_break
        if len(name) < NAME_CHARS_MIN:
            cost += costs.short_name
        elif n and len(pieces[0]) < START_CHARS_MIN:
            cost += costs.short_start
        if not name.endswith(_ENDINGS):
            cost += costs.no_ending
        yield cost


@dataclass(frozen=True)
class NameCut:
    """The name column's pieces cut into names: the cheapest cut, its runner-up and how narrowly it won, and
    the level labels the cut left out (the others it read as pieces of names)."""

    names: list[str]
    runner_up: list[str] | None  # None: no other cut into as many names
    margin: float
    levels: list[str]

    @property
    def certain(self) -> bool:
        return self.runner_up is None or self.margin >= settings().names.certain_margin


Spans = tuple[tuple[int, int], ...]  # each name's pieces, as (first, after last)
Ranked = list[tuple[float, int, int, int, bool]]  # cost, the previous state's pieces and names, its rank, a name?


def _cuts(pieces: list[str], families: Sequence[str | None], labels: frozenset[int], width: int, longest: int,
          asked: dict[tuple[int, int], str | None]) -> list[tuple[float, Spans]]:
    """The two cheapest cuts of ``pieces`` into as many names as ``families`` (each row's unit family) of at most
    ``longest`` pieces at this column width, where a level label (an index in ``labels``) is left out or read as
    a name's piece: a dynamic programme over (pieces taken, names made), the two best kept at each.  ``asked``:
    the unit family each run of pieces asks as a name (:func:`name_family`)."""
    size, count = len(pieces), len(families)
    costs = settings().names
    name_costs = {(i, i + n + 1): cost + costs.label_piece * sum(k in labels for k in range(i, i + n + 1))
                  for i in range(size) if i not in labels  # a label only goes on a name, never starts one
                  for n, cost in enumerate(_name_costs(pieces[i:], width, longest))}
    best: dict[tuple[int, int], Ranked] = {(0, 0): [(0.0, -1, -1, -1, False)]}

    def offer(state: tuple[int, int], entry: tuple[float, int, int, int, bool]) -> None:
        entries = best.setdefault(state, [])
        if len(entries) < 2:
            entries.append(entry)
            entries.sort()
        elif entry < entries[1]:
            entries[1] = entry
            entries.sort()

    for i in range(size):
        for made in range(max(0, count - (size - i)), min(i, count) + 1):  # names still to make need pieces
            for rank, (cost, *_) in enumerate(best.get((i, made), [])):
                if i in labels:  # a level label left out
                    offer((i + 1, made), (cost, i, made, rank, False))
                if made == count:
                    continue
                for j in range(i + 1, min(size - (count - made - 1), i + longest) + 1) if i not in labels else ():
                    wrong = asked[i, j] is not None and families[made] is not None and asked[i, j] != families[made]
                    offer((j, made + 1), (cost + name_costs[i, j] + costs.unit_mismatch * wrong, i, made, rank, True))
    found = []
    for entry in best.get((size, count), []):
        spans: list[tuple[int, int]] = []
        at = (size, count)
        cost = entry[0]
        while entry[1] >= 0:
            _, i, made, rank, name = entry
            if name:
                spans.insert(0, (i, at[0]))
            at = (i, made)
            entry = best[at][rank]
        found.append((cost, tuple(spans)))
    return found


def _widths(measured: list[int]) -> list[int]:
    """The column widths to try: the widest piece's and a little more (a full line broken at a space is wider
    than either piece), and the width most pieces cut at share (a column's lines come out a little narrower
    where a wider character or a mark would not fit)."""
    widest = max(measured)
    common = [w for w, n in Counter(measured).most_common(COMMON_WIDTHS) if n >= COMMON_PIECES_MIN and w < widest]
    return [widest + n for n in range(WIDTH_SLACK + 1)] + common  # distinct: the common ones are narrower


def _named(pieces: list[str], spans: Spans) -> list[str]:
    return ["".join(pieces[i:j]) for i, j in spans]


def name_alignment(pieces: list[str], count: int, families: Sequence[str | None] = (),
                   labels: frozenset[int] = frozenset()) -> NameCut:
    """``count`` names from the name column's pieces, paired in order with the rows whose unit ``families``
    are given (:func:`tuple_family`; none known when empty): the cheapest cut of the pieces (:func:`_name_cost`,
    a name whose ending asks another unit than its row's) over the column widths the pieces allow, and its
    runner-up.  The pieces at ``labels`` are level labels drawn among the names: each is left out as a level, or
    read as a name's piece at a cost (``满意度`` can end a name).  Fewer pieces than names cannot be cut."""
    families = list(families) or [None] * count
    plain = [p for n, p in enumerate(pieces) if n not in labels]
    if len(plain) <= count:
        levels = [p for n, p in enumerate(pieces) if n in labels]
        return NameCut(plain, None if len(plain) == count else plain, 0.0, levels)
    ranked: dict[Spans, float] = {}
    # a name of more pieces only when no cut is found without, and never more than twice as many: the cut's
    # work grows with the square of the longest name, and hostile text has any number of pieces
    for longest in (NAME_PIECES_MAX, 2 * NAME_PIECES_MAX):
        if len(pieces) > longest * count:
            continue
        asked = {(i, j): name_family("".join(pieces[i:j]))
                 for i in range(len(pieces)) for j in range(i + 1, min(len(pieces), i + longest) + 1)}
        for width in _widths([len(p) for p in plain or pieces]):
            for cost, spans in _cuts(pieces, families, labels, width, longest, asked):
                ranked[spans] = min(cost, ranked.get(spans, cost))
        if ranked:
            break
    if not ranked:
        return NameCut(plain, plain, 0.0, [p for n, p in enumerate(pieces) if n in labels])
    order = sorted(ranked, key=lambda spans: ranked[spans])
    first = order[0]
    used = {n for i, j in first for n in range(i, j)}
    levels = [p for n, p in enumerate(pieces) if n in labels and n not in used]
    runner_up = _named(pieces, order[1]) if len(order) > 1 else None
    return NameCut(_named(pieces, first), runner_up, ranked[order[1]] - ranked[first] if runner_up else 0.0, levels)


def _continues(pieces: list[str], n: int, widest: int) -> tuple[bool, bool]:
    """Whether piece ``n`` continues on the next one: (the next is too short to be a name of its own, starts
    with a closing mark or is a bracketed gloss, or the piece leaves a bracket open; the piece was cut at the
    column's width, i.e. is as wide as the widest)."""
    piece, following = pieces[n], pieces[n + 1]
    return (len(following) < NAME_CHARS_MIN or following[0] in _CLOSING or _glossed(following) or _unclosed(piece),
            len(piece) == widest)


def _chained_short(pieces: list[str], joins: set[int], widest: int) -> bool:
    """A name rejoined from three pieces or more whose inner pieces are not as wide as the column: neither a
    name wrapped at the column's width (every piece but the last as wide) nor a cell broken once where it
    wrapped, so one of those joins is wrong."""
    return any(n - 1 in joins and len(pieces[n]) != widest for n in joins)


def _joined_at(pieces: list[str], joins: set[int]) -> list[str]:
    names: list[str] = []
    glue = False
    for n, piece in enumerate(pieces):
        if glue:
            names[-1] += piece
        else:
            names.append(piece)
        glue = n in joins
    return names


def aligned_names(pieces: list[str], count: int) -> tuple[list[str], bool]:
    """``count`` names from the name column's pieces, and whether the pairing is certain.

    A wrapped name is rejoined where the evidence says so (:func:`_continues`).  The pairing is certain
    when exactly as many pieces continue as there are pieces too many, and no cut at the width is followed
    by a piece as wide (a name over three lines cannot be told from a name exactly as wide as the column).
    Otherwise the likeliest joins are taken (short continuations first, then cuts at the width, then the
    shortest next pieces): a guess.
    """
    if len(pieces) <= count:
        return pieces, len(pieces) == count
    widest = max(map(len, pieces))
    evidence = {n: _continues(pieces, n, widest) for n in range(len(pieces) - 1)}
    ranked = sorted(evidence, key=lambda n: (not evidence[n][0], not evidence[n][1], len(pieces[n + 1])))
    extra = len(pieces) - count
    chained = any(evidence[n][1] and evidence.get(n + 1, (False, False))[1] for n in evidence)
    joins = set(ranked[:extra])
    certain = sum(any(e) for e in evidence.values()) == extra and not chained and not _chained_short(pieces, joins, widest)
    return _joined_at(pieces, joins), certain


def _levels(labels: list[str], count: int) -> list[tuple[str, str]] | None:
    """Each row's 一级/二级 labels when the 二级 labels are one per row; each takes the 一级 label drawn
    nearest before it (the first one for those before any).  A single 二级 label under at most one 一级
    label is every row's (one group).  Otherwise — a label per group of rows, whose sizes a merged cell
    drawn once does not tell — the levels cannot be placed.

    A label of either level (``服务对象满意度指标``) is a 二级 label right after a 一级 label, else a 一级 one.
    """
    second = [False] * len(labels)
    for n, label in enumerate(labels):
        second[n] = not level1_name(key(label)) or bool(LEVEL2.match(key(label)) and n and not second[n - 1])
    if sum(second) == 1 and len(labels) <= 2:  # one group of rows: its labels are every row's
        parent = next((label for label, two in zip(labels, second, strict=True) if not two), "")
        return [(parent, next(label for label, two in zip(labels, second, strict=True) if two))] * count
    if sum(second) != count:
        return None
    out = []
    parent = next((label for label, two in zip(labels, second, strict=True) if not two), "")
    for label, two in zip(labels, second, strict=True):
        if two:
            out.append((parent, label))
        else:
            parent = label
    return out


def _rows(header: WordHeader, tuples: list[list[str]], names: list[str], levels: list[tuple[str, str]] | None) -> list[str]:
    """The header and the rows with ``|`` borders; the level columns only when the levels were placed."""
    heads = [next(t for t in header.texts if head_cell(t) is Column.NAME), *(t for t in header.texts if head_cell(t) in header.plan)]
    if levels is None:
        return [" | ".join(heads), *(_bordered([name, *cells]) for name, cells in zip(names, tuples, strict=True))]
    return [" | ".join([*LEVEL_HEADS, *heads]),
            *(_bordered([*level, name, *cells]) for level, name, cells in zip(levels, names, tuples, strict=True))]


def _bordered(cells: list[str]) -> str:
    """A row's cells with ``|`` borders, a blank last cell kept by the border after it (a line's last ``|`` is
    read as the border after its last cell)."""
    return " | ".join(cells) + (" |" if not cells[-1] else "")


Origin = tuple[tuple[int, int], ...]


def numbered(rebuilt: Lines, lines: Lines) -> tuple[Lines, Origin]:
    """Rebuilt lines, each with the file line it came from: the first keeps its number, the others get ids
    of their own (below every file line: the row reader tells rows apart by their line) that map back."""
    low = min(0, *(n for n, _ in lines))
    ids = [rebuilt[0][0], *range(low - 1, low - len(rebuilt), -1)]
    return [(n, text) for n, (_, text) in zip(ids, rebuilt, strict=True)], tuple(
        (n, line) for n, (line, _) in zip(ids[1:], rebuilt[1:], strict=True))


@dataclass(frozen=True)
class _Block:
    """An indicator block drawn a column part at a time: its plan, value tuples, names and level labels, where
    its value tuples end and where the table's end word is."""

    plan: tuple[Column, ...]
    tuples: list[list[str]]
    found: _Names
    after: int  # the index after the last value tuple
    end: int  # the index of the table's end word (总分), or the words' length
    order: str  # where the values are drawn: before (之前) or after (之后) the names
    placed: tuple[int, ...] = ()  # rows whose blank cells were placed by the plan, one of several ways
    borders_certain: bool = True  # the rows' borders among the value words are the only best cut


def _figures_after(words: list[str], at: int) -> int:
    """How many figures from ``at`` on are the 总分 row's, drawn before its label (at most two)."""
    figures = 0
    while figures < TOTAL_FIGURES_MAX and at + figures < len(words) and is_number(words[at + figures]):
        figures += 1
    return figures


def _values_then_names(words: list[str], header: WordHeader) -> _Block | None:
    """Values drawn first: the value tuples right after the header, then the names and the level labels."""
    plan, tuples = _widest_run(words, header)
    after = header.end + len(plan) * len(tuples)
    cut = _variable_cut(words, header.end, header.plan)
    covered = sum(1 for t in cut.tuples for cell in t if cell)
    if covered > after - header.end and len(cut.tuples) >= TUPLES_MIN:  # rows leave different cells blank
        after = header.end + covered
        found = _names(words, after + _figures_after(words, after), header.inside)
        return _Block(header.plan, cut.tuples, found, after, found.end, "之前", tuple(cut.placed), cut.borders_certain)
    if len(tuples) < TUPLES_MIN:
        return None
    found = _names(words, after + _figures_after(words, after), header.inside)
    return _Block(plan, tuples, found, after, found.end, "之前")


def _names_then_values(words: list[str], header: WordHeader) -> _Block | None:
    """The mirror order: the level labels and the names right after the header, then the value tuples up to the
    table's end (the run must reach it: names are words, and a run that stops short is a row's values)."""
    end = next((i for i in range(header.end, len(words)) if TABLE_END.match(key(words[i]))), len(words))
    for start in range(header.end + 1, end):
        if _value_like(words[start - 1]) or not _value_like(words[start]):
            continue  # the values start right after a word that is no value: the last name's piece
        if any(_value_like(w) or key(w) in ANSWERS for w in words[header.end : start]):
            return None  # a value or answer among the names: rows printed one after another, or values no cut reads
        plan, tuples = _widest_run(words, replace(header, end=start))
        after = start + len(plan) * len(tuples)
        if len(tuples) >= TUPLES_MIN and after + _figures_after(words, after) == end:
            return _Block(plan, tuples, _names(words[:start], header.end, header.inside), after, end, "之后")
        cut = _variable_cut(words[:end], start, header.plan)  # rows leave different cells blank
        after = start + sum(1 for t in cut.tuples for cell in t if cell)
        if len(cut.tuples) >= TUPLES_MIN and after + _figures_after(words, after) == end:
            return _Block(header.plan, cut.tuples, _names(words[:start], header.end, header.inside), after, end, "之后",
                          tuple(cut.placed), cut.borders_certain)
    return None


def _runner_up_said(cut: NameCut) -> str:
    """The runner-up cut's first name that differs from the winner's, as said in the doubt (I20)."""
    differs = next(((n, other) for n, (name, other) in enumerate(zip(cut.names, cut.runner_up or [], strict=False))
                    if name != other), None)
    return f"（另一种拼法把第{differs[0] + 1}个名称读作「{differs[1]}」）" if differs else ""


def values_first(lines: Lines, place: str) -> tuple[Lines, list[ImportNote], Origin]:
    """The first indicator block drawn a column part at a time — values before its names, or names
    before its values — written back as rows.  Without a header, the block after the funds row is read
    under the template library's plans (:func:`_headless_block`).

    Returns the lines unchanged when no line holds such a block; the rows' ids map to their file line.
    """
    if any("|" in text for _, text in lines):
        return lines, [], ()
    for at, (_, text) in enumerate(lines):
        words = text.split()
        header = header_of(words)
        if header is None:
            continue
        block = _values_then_names(words, header) or _names_then_values(words, header)
        if block is None:
            return lines, [], ()
        return _written(lines, at, replace(header, plan=block.plan), block, place, [])
    if any(name_head(text.split()) is not None for _, text in lines):
        return lines, [], ()
    for at, (_, text) in enumerate(lines):
        if found := _headless_block(text.split(), place, lines[at][0]):
            return _written(lines, at, *found)
    return lines, [], ()


def _written(lines: Lines, at: int, header: WordHeader, block: _Block, place: str,
             notes: list[ImportNote]) -> tuple[Lines, list[ImportNote], Origin]:
    """Line ``at``'s block written back a row per line under ``header``, with the notes on how it was read."""
    number, words = lines[at][0], lines[at][1].split()
    tuples, found, order = block.tuples, block.found, block.order
    labels = [p for n, p in enumerate(found.pieces) if n in found.labels]
    other = ""
    names, certain = aligned_names(_name_pieces(found), len(tuples))
    if not certain and len(names) >= len(tuples) and order == "之前":
        # a guess: the cheapest cut over the names and rows as a whole (the names drawn after the values,
        # level labels among or after them; names drawn first keep the joins by evidence alone)
        cut = name_alignment(found.pieces, len(tuples), [tuple_family(t, header.plan) for t in tuples], found.labels)
        names, labels, other = cut.names, cut.levels, _runner_up_said(cut)
    where = Location(file=place, line=number)
    if len(names) != len(tuples):  # too few names, or too many that no cut could join
        found_names = f"只找到 {len(names)} 个" if len(names) < len(tuples) else f"读出 {len(names)} 个"
        return lines, [ImportNote("I20", f"绩效指标表的 {len(tuples)} 组数值排在指标名称{order}，但{found_names}名称，"
                                         "无法对应，指标未能逐行读取，请核对原表", where, path="indicators")], ()
    levels = _levels(labels, len(tuples))
    notes = [*notes, ImportNote("I06", f"绩效指标表的数值排在指标名称{order}（PDF 绘制顺序），已按表头的 {len(header.plan)} 列"
                                       f"将 {len(tuples)} 组数值与 {len(names)} 个名称依次配成行"
                                       + ("" if levels else "；一级/二级指标无法对应到行，未读取"), where)]
    if not certain:
        notes.append(ImportNote("I20", f"指标名称折行后无法确定地拼回 {len(tuples)} 个，名称与数值的对应是推测{other}，请核对原表",
                                where, path="indicators"))
    if not block.borders_certain:
        notes.append(ImportNote("I20", f"各行空单元格不同，{len(tuples)} 组数值的分界有几种同样合理的切法，"
                                       "各行数值的对应是推测，请核对原表", where, path="indicators"))
    notes += [ImportNote("I20", f"第{n + 1}行的空单元格可在几列之间，已按表头的列序放置，该行各列的对应是推测，请核对原表",
                         where, path=f"indicators[{n}]") for n in block.placed]
    end, figures = block.end, _figures_after(words, block.after)
    total = words[end : end + 1] + words[block.after : block.after + figures] + words[end + 1 :]
    rebuilt = [" ".join(words[: header.start]), *_rows(header, tuples, names, levels), " ".join(total)]
    rows, origin = numbered([(number, line) for line in rebuilt if line], lines)
    return [*lines[:at], *rows, *lines[at + 1 :]], notes, origin


def _funds_figures(words: list[str]) -> tuple[int, int] | None:
    """The funds total row (``年度资金总额``) among ``words``: its label's index and how many figures follow it."""
    label = next((i for i, w in enumerate(words) if w.startswith(FUNDS_ROW_WORDS)), None)
    if label is None:
        return None
    run = 0
    while label + 1 + run < len(words) and is_number(words[label + 1 + run].removesuffix("%")):
        run += 1
    return label, run


def _funds_fit(words: list[str], label: int, count: int) -> float:
    """How well the total row's figures are the first ``count`` after its label: the funds block's own
    arithmetic (执行率 = B/A, 得分 = 分值 × 执行率) on the figures read as its columns."""
    read = read_funds(" ".join(words[: label + 1 + count]))
    if read is None:
        return float("-inf")
    figures = [v for k, v in read.total.items() if v is not None]
    if len(figures) != count:
        return float("-inf")  # the reader would take other figures: not this cut
    return plausibility(read.total)


def _headless_block(words: list[str], place: str, number: int) -> tuple[WordHeader, _Block, str, list[ImportNote]] | None:
    """An indicator block drawn values first whose header is lost: its value tuples run on from the funds row's
    figures.  The cuts of those figures the funds block's own arithmetic ranks best, under the plans of the
    template library, are read (the most promising in full: a bounded search); the funds' arithmetic and the
    tuples' (:func:`~jixiao.io.constraints.consistency`) choose.  The plan is a guess said as I08, a narrow win
    over another cut or plan as I20."""
    funds = _funds_figures(words)
    if funds is None:
        return None
    label, run = funds
    after = label + 1 + run
    if after >= len(words) or not (_value_like(words[after]) or key(words[after]) in ANSWERS):
        return None  # a name or a level label after the funds row: the table is printed row by row
    # the cuts the funds arithmetic ranks best (each cut read under every plan is a search over the block)
    fits = sorted(((fit, count) for count in range(min(run, FUNDS_FIGURES_MAX), -1, -1)
                   if (fit := _funds_fit(words, label, count)) != float("-inf")), reverse=True)[:FUNDS_CUTS_KEPT]
    value_plans: dict[tuple[Column, ...], Plan] = {}  # plans differing only in text columns read the same tuples
    for plan in plans():
        if not plan.rubric:
            value_plans.setdefault(tuple(c for c in plan.columns if c not in TEXT_COLUMNS and c is not Column.OTHER), plan)
    # a cheap look first: how many words each (cut, plan) reads as whole tuples; the most promising are searched
    looks = sorted(((len(_widest_run(words, WordHeader(label + 1 + count, label + 1 + count, (), values, ()))[1])
                     * len(values), -n, fit, count, values, plan)
                    for fit, count in fits for n, (values, plan) in enumerate(value_plans.items())), reverse=True)
    scored: list[tuple[float, int, WordHeader, _Block, Plan]] = []
    for _, n, fit, count, values, plan in looks[:HEADLESS_SEARCHED]:
        start = label + 1 + count
        header = WordHeader(start, start, (NAME_HEAD_TEXT, *(c.value for c in values)), values, ())
        block = _values_then_names(words, header)
        if block is None or len(aligned_names(_name_pieces(block.found), len(block.tuples))[0]) != len(block.tuples):
            continue
        rows = sum(consistency({JUDGED_ROLE[c]: v for c, v in zip(block.plan, t, strict=True)
                                if c in JUDGED_ROLE and v}) for t in block.tuples)
        scored.append((fit + rows, -n, replace(header, plan=block.plan), block, plan))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    best, _, header, block, plan = scored[0]
    where = Location(file=place, line=number)
    names = "、".join(plan.templates[:1]) or "national-project"
    notes = [ImportNote("I08", f"绩效指标表没有可识别的表头，已按表样「{names}」的列（{'、'.join(header.texts[1:])}）"
                               "读取资金行之后的各组数值，请核对", where, severity="info")]
    rival = next((s for s in scored[1:] if s[3].tuples != block.tuples), None)
    if rival is not None and best - rival[0] < settings().decide.narrow_margin:
        notes.append(ImportNote("I20", f"绩效指标表没有表头，资金行的数字在何处结束、各组数值按哪种列序读取有几种同样合理的"
                                       f"读法（另一种按表样「{'、'.join(rival[4].templates[:1]) or 'national-project'}」），"
                                       "请核对原表", where, path="indicators"))
    return header, block, place, notes
