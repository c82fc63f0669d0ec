"""The indicator table (绩效指标) of a text form: header columns, level labels, rows.

Two reading strategies, chosen per row by how the text was cut:

* *cells* (``|``-separated HTML copies): empty cells are kept, so a row is its name cell
  followed by one cell per header column — positions decide;
* *words* (pdftotext, flattened pages): a row is name words followed by the value
  pattern of the header (``target actual weight score``); the numeric columns anchor it.
  A name wrapped over several lines arrives before its values (kept *pending*); text
  after a complete row on the following lines is the previous row's reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import combinations

from .constraints import Choice, choose, settings
from .constraints import number as number_of
from .textlabels import (
    _COLUMN_MARK,
    ANSWERS,
    FILLER,
    INDICATOR_HEAD_WORDS,
    LEVEL1_ORDER,
    LEVEL1_WEIGHT_ONLY,
    LEVEL2,
    TABLE_END,
    Column,
    column_of,
    is_level,
    key,
    level1_name,
)
from .textscan import UNITS, Token, is_number, is_value
from .vocabulary import role_of, vocabulary

NAME_WORDS_MAX = 12  # a row name is a few words; beyond this it is not a row
NAME_CHARS_MIN = 4  # fewer Chinese characters than this is a stray label piece, not a name
LABEL_JOIN_MAX = 6  # vertical labels: 产/出/指/标/(50分)
TEXT_COLUMNS = {Column.REASON, Column.METHOD, Column.CORE, Column.REVIEW, Column.OTHER}
NUMERIC_COLUMNS = {Column.WEIGHT, Column.SCORE, Column.RATIO, Column.SHARE, Column.CONVERTED}
DEFAULT_COLUMNS = [Column.TARGET, Column.ACTUAL, Column.WEIGHT, Column.SCORE]
#: Value columns most forms leave blank (the nature and unit are inside the target, the adjustment rare).
OFTEN_BLANK = frozenset({Column.NATURE, Column.MEASURE, Column.ADJUSTED})
#: The roles the row constraints judge (jixiao.io.constraints), by column.
ROLE_OF_COLUMN = {Column.WEIGHT: "weight", Column.TARGET: "target", Column.ACTUAL: "actual", Column.SCORE: "score"}
#: The same for laying out a row's values: a Sichuan 指标值 is judged as the target it is.
JUDGED_ROLE = {**ROLE_OF_COLUMN, Column.VALUE: "target"}
#: The words of the short-word columns: 指标性质 / 指标方向 hold a class (正向, 定量) or a comparison (大于等于, ≥).
_CLASS_WORDS = frozenset(vocabulary()["natures"]["words"])
_SIGN_WORDS = frozenset(vocabulary()["operators"]["words"])
_CLASS_COLUMNS = frozenset({Column.NATURE, Column.DIRECTION})
MEASURE_CHARS_MAX = 4  # a 计量单位 cell is a unit word (人次, 万元, 公里), never longer


_UNIT_WORDS = frozenset(UNITS)


def _words_fit(columns: list[Column], values: list[str], pattern: list[Column] | None = None) -> bool:
    """Every value fits its column's kind of word (:func:`_word_fits`), in a plan (``pattern``) with word columns."""
    plan = columns if pattern is None else pattern
    if not (_CLASS_COLUMNS & set(plan) or Column.MEASURE in plan):
        return True
    return all(_word_fits(c, v, Column.MEASURE in plan) for c, v in zip(columns, values, strict=True))


def _word_fits(column: Column, value: str, measured: bool) -> bool:
    """A short-word column takes only its kind of word: 指标性质 / 指标方向 a class or comparison word, 计量单位 a
    unit with no figure; and a class word (正向) goes to such a column, a bare unit (``%``) to the 计量单位
    column where the plan has one (``measured``)."""
    if column in _CLASS_COLUMNS:
        return value in _CLASS_WORDS or value in _SIGN_WORDS
    if column is Column.MEASURE:
        return len(value) <= MEASURE_CHARS_MAX and not re.search(r"\d", value)
    return value not in _CLASS_WORDS and not (measured and value in _UNIT_WORDS)


@dataclass
class Row:
    """One indicator row as read: values by column, and the token lines they came from."""

    level1: str | None
    level2: str | None
    name: str
    values: dict[Column, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    reason: list[str] = field(default_factory=list)
    choice: Choice | None = None  # how its values were chosen among readings (glued cells)
    peeled: str | None = None  # a level label taken off the name's start as a guess (short, or out of a name cell)
    peeled_cell: bool = False  # that label stood in the name's cell: the row's other cells may be shifted too
    block: int = 0  # which 一级 block the row is in (counted down the table)
    block_weight: Decimal | None = None  # that block's printed 分值


@dataclass
class Table:
    """The rows read and how the table ended (``end`` is None when the text stopped first)."""

    rows: list[Row]
    end: Token | None
    last: Token | None
    header_found: bool
    unread: list[list[Token]] = field(default_factory=list)  # value groups no name claimed
    columns: list[Column] = field(default_factory=list)  # the data columns in header order
    #: rows whose block breaks a block constraint (its 分值 is not the sum of its rows'), and why
    doubts: list[tuple[list[int], str]] = field(default_factory=list)
    blocks: int = 0  # how many 一级 labels were read (a block followed by another one is closed)


def _is_head(token: Token) -> bool:
    return (
        not token.key
        or column_of(token.key) is not None
        or token.key in INDICATOR_HEAD_WORDS
        or token.key.startswith(("绩效指标", "年度绩效目标", "年度绩效指标"))
    )


def find_header(tokens: list[Token], start: int = 0) -> tuple[list[Column], int, int] | None:
    """The indicator header after ``start``: its columns and token span."""
    name_at = next(
        (
            i
            for i in range(start, len(tokens))
            if column_of(tokens[i].key) is Column.NAME or _joined_column(tokens, i) is Column.NAME
        ),
        None,
    )
    if name_at is None:
        name_at = _unnamed_name_column(tokens, start)
    if name_at is None:
        return None
    first = name_at
    while first > start and _is_head(tokens[first - 1]) and _header_line(tokens, first - 1, tokens[first].line):
        first -= 1
    last = name_at + 1
    while last < len(tokens):
        if not _is_head(tokens[last]) and _joined_column(tokens, last):
            last += 2  # a header word split in two (``年度指 标值``): both halves
        elif _is_head(tokens[last]) or _unknown_head_cell(tokens, last, tokens[name_at].line):
            last += 1
        else:
            break
    return ordered_columns(_header_columns(tokens, first, min(last, len(tokens)), name_at)), first, last


def _header_line(tokens: list[Token], i: int, next_line: int) -> bool:
    """Whether head word ``i`` belongs to the header that goes on at ``next_line``: on that line, or on an earlier
    line of head words only (a header printed a cell per line); not the last heading of a row holding other
    cells (the funds block ``… | 执行率 | 0.0 | 得分 |`` printed as heading–figure pairs)."""
    line = tokens[i].line
    if line == next_line:
        return True
    # the line's own tokens only (they stand together, in the order of the lines): the walk back crosses each line
    # once, so a header of many one-word lines costs their number, not its square
    begin = end = i
    while begin > 0 and tokens[begin - 1].line == line:
        begin -= 1
    while end + 1 < len(tokens) and tokens[end + 1].line == line:
        end += 1
    return all(_is_head(t) for t in tokens[begin : end + 1])


def _header_columns(tokens: list[Token], first: int, last: int, name_at: int) -> list[Column]:
    """The columns the header cells ``first``..``last`` name in order, a split word's halves as one."""
    seen: list[Column] = []
    n = first
    while n < last:
        joined = _joined_column(tokens, n) if n + 1 < last and column_of(tokens[n].key) is None else None
        column = joined or column_of(tokens[n].key) or (Column.NAME if n == name_at else _other(tokens, n))
        if column:
            seen.append(column)
        n += 2 if joined else 1
    return seen


def _other(tokens: list[Token], i: int) -> Column | None:
    """:data:`Column.OTHER` for a header cell no role claims (not a head word like 一级指标 or 绩效指标)."""
    token = tokens[i]
    known = role_of(_COLUMN_MARK.sub("", token.key), "indicator_columns")  # 一级指标, 二级指标 have roles too
    return Column.OTHER if token.key and not known and not _is_head(token) else None


#: A header cell the vocabulary does not know is at most this long (longer cells are a row's text).
UNKNOWN_HEAD_CHARS_MAX = 12


def _unknown_head_cell(tokens: list[Token], i: int, header_line: int) -> bool:
    """A header cell that names no known column (``备注``, ``指标解释``): a column all the same.

    In a piped header every cell on the header's line is a column; in a text read a cell per line,
    a short label cell is one when a known column follows it.  Either way the unknown column keeps
    its place, and the columns after it keep theirs.  (Words are never taken: a name's words would be.)
    """
    token = tokens[i]
    if not 0 < len(token.key) <= UNKNOWN_HEAD_CHARS_MAX or is_number(token.text) or level1_name(token.key):
        return False
    between = any(column_of(t.key) for t in tokens[i + 1 : i + 3])  # a known column follows: still the header
    return token.cell and (between or token.line == header_line)


#: Known data columns (年度指标值, 分值, …) that must follow an unknown header cell for it to be the name column.
NAMELESS_HEADER_COLUMNS_MIN = 3


def _unnamed_name_column(tokens: list[Token], start: int) -> int | None:
    """A header whose name column has a heading the vocabulary lacks (``指标内容``): the label before its values.

    The first label (not a known column, not a head word) followed by at least
    :data:`NAMELESS_HEADER_COLUMNS_MIN` known data columns is where the names stand.
    """
    for i in range(start, len(tokens) - NAMELESS_HEADER_COLUMNS_MIN):
        token = tokens[i]
        if _is_head(token) or is_number(token.text) or not 0 < len(token.key) <= UNKNOWN_HEAD_CHARS_MAX:
            continue
        after = [column_of(t.key) for t in tokens[i + 1 : i + 1 + NAMELESS_HEADER_COLUMNS_MIN]]
        if all(c is not None and c not in TEXT_COLUMNS for c in after):
            return i
    return None


def _joined_column(tokens: list[Token], i: int) -> Column | None:
    """A header word split over two tokens (``一级`` ``指标``, ``年度指标`` ``值``)."""
    if i + 1 < len(tokens) and not tokens[i].cell:
        return column_of(tokens[i].key + tokens[i + 1].key)
    return None


def ordered_columns(seen: list[Column]) -> list[Column]:
    """Data columns in header order; a Sichuan 性质/指标值/单位 triple replaces 年度指标值.

    Without a 指标值 column the header's own order stands (``指标性质 指标方向 年度指标值 实际完成值 计量单位``).
    """
    triple = Column.NATURE in seen and Column.VALUE in seen
    out: list[Column] = []
    for column in seen:
        if column is Column.NAME or (column in out and column is not Column.OTHER):
            continue
        if triple and column in (Column.TARGET, Column.NATURE):
            if Column.NATURE not in out:
                out += [Column.NATURE, Column.VALUE, Column.MEASURE]
            continue
        if triple and column in (Column.VALUE, Column.MEASURE):
            continue
        out.append(column)
    return out or list(DEFAULT_COLUMNS)


_PRINTED_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)分?\)?$")


def _printed_weight(label_key: str) -> Decimal | None:
    found = _PRINTED_WEIGHT.search(label_key)
    return Decimal(found.group(1)) if found else None


@dataclass
class Level:
    """The level-1 and level-2 labels in force while reading down the table."""

    level1: str | None = None
    level2: str | None = None
    blocks: int = 0
    weight: Decimal | None = None  # the 一级 block's printed 分值 (``产出指标(50分)``)

    def take(self, label_key: str) -> bool:
        """Apply a level label; False when the text is not one."""
        if name := level1_name(label_key):
            self.level1, self.level2, self.blocks = name, None, self.blocks + 1
            self.weight = _printed_weight(label_key)
            return True
        if LEVEL1_WEIGHT_ONLY.match(label_key):
            self.level1 = LEVEL1_ORDER[min(self.blocks, len(LEVEL1_ORDER) - 1)]
            self.level2, self.blocks = None, self.blocks + 1
            self.weight = _printed_weight(label_key)
            return True
        if LEVEL2.match(label_key):
            self.level2 = label_key
            return True
        return False


#: A name starting with 指标 and then words (not a numbered stub ``指标1:``): the end of the label before it.
_LABEL_END = re.compile(r"^指[标標]\s*[\u4e00-\u9fff]")
LEVEL_LABEL_CHARS_MAX = 16  # the longest level label with its printed weight (``社会公众或服务对象满意度指标``)


def _level_prefix(text: str) -> tuple[str, str] | None:
    """The longest level label the text starts with, and the rest; None when none or nothing is left."""
    for n in range(min(len(text) - 1, LEVEL_LABEL_CHARS_MAX), 1, -1):
        if is_level(key(text[:n])):
            return text[:n], text[n:]
    return None


def _certain_label(label: str, first: bool) -> bool:
    """A label no name starts with: a 一级 label (``产出指标``, ``产出指标(50分)``) or a label ending in 指标."""
    label_key = key(label)
    return label_key.endswith("指标") or (first and level1_name(label_key) is not None and label_key[-1] in "分)")


def peeled_levels(name: str, short_seen: bool, first_row: bool = False) -> tuple[list[str], str, bool]:
    """The level labels glued before a row's name (``产出指标数量指标培训人数``: merged level cells whose text
    extraction wrote into the group's first name), the name left, and whether that cut is a guess.

    A 一级 label, a label ending in 指标, or a short 二级 label after a 一级 one is taken for certain; a short
    二级 label alone (``质量全局工作任务完成情况``) only when the table already showed labels glued so
    (``short_seen``), and as a guess: a name may begin with the same word (``质量合格率``).  A bare 一级 label
    (``项目决策决策依据``) opening the table's first row before any level was read (``first_row``) is its merged
    level cell, also as a guess.  A second label that is a 一级 name and a 二级 one (``服务对象满意度指标``
    after ``满意度指标``) is the 二级 cell.
    """
    labels: list[str] = []
    rest = name.strip()
    guessed = False
    while len(labels) < 2 and (found := _level_prefix(rest)):
        label, after = found
        if not re.search(r"[\u4e00-\u9fff\d]", after) or (
                labels and level1_name(key(label)) and not LEVEL2.match(key(label))):
            break
        if not (_certain_label(label, not labels) or (labels and level1_name(key(labels[0])))):
            if labels or not (short_seen or (first_row and level1_name(key(label)))):
                break
            guessed = True
        labels.append(label)
        rest = after.strip()
    return labels, rest, guessed


def _label_span(tokens: list[Token], i: int) -> tuple[int, str] | None:
    """Longest run of tokens from ``i`` that reads as a level label or a section word."""
    joined = ""
    best = None
    for n in range(1, LABEL_JOIN_MAX + 1):
        if i + n > len(tokens):
            break
        joined += tokens[i + n - 1].key
        if (
            level1_name(joined)
            or LEVEL1_WEIGHT_ONLY.match(joined)
            or LEVEL2.match(joined)
            or joined in ("绩效指标", "指标")
        ):
            best = (n, joined)
    return best


def _table_end(tokens: list[Token], i: int) -> bool:
    joined = ""
    for n in range(3):
        if i + n >= len(tokens):
            return False
        joined += tokens[i + n].key
        if TABLE_END.match(joined):
            return True
    return False


def _unshift(row: Row) -> None:
    """``其中桃树种植面积 | 1.5亩 | 1.5亩``: an unscored sub-row fills the first cells, not its columns."""
    misplaced = [c for c in NUMERIC_COLUMNS if c in row.values and not is_number(row.values[c])]
    if not misplaced or any(is_number(v) for v in row.values.values()):
        return
    texts = list(row.values.values())
    lines = [row.lines[c.name] for c in row.values]
    if len(texts) > 2:
        return
    row.values = dict(zip((Column.TARGET, Column.ACTUAL), texts, strict=False))
    row.lines = {"name": row.lines["name"]} | {c.name: n for c, n in zip(row.values, lines, strict=False)}


_NUMBERED = re.compile(r"^指[标標]\d+[:：]")
_LABEL_PIECE = re.compile(r"^[(（]?\d*分?[)）]?$|指标[)）]?$")


def _numbered_names(tokens: list[Token]) -> list[list[Token]]:
    """``指标24:… 数 指标25:…``: several numbered names run together, stray label pieces dropped."""
    starts = [n for n, t in enumerate(tokens) if _NUMBERED.match(t.text)]
    if len(starts) < 2 and not (starts and starts[0] > 0):
        return [tokens]
    names = []
    for start, end in zip(starts, [*starts[1:], len(tokens)], strict=True):
        name = tokens[start:end]
        cut = next((n for n, t in enumerate(name) if n and _LABEL_PIECE.search(t.key)), len(name))
        names.append(name[:cut])
    return names


_SENTENCE_END = ("。", ";", "；")


def _name_start(tokens: list[Token], i: int, j: int) -> int:
    """A name never runs across the end of a sentence: description text before it is not the name."""
    for n in range(j - 2, i - 1, -1):
        if tokens[n].text.endswith(_SENTENCE_END) or (n > i and _is_prose_points(tokens, n - 1)):
            return n + 1
    return i


def _is_prose_points(tokens: list[Token], n: int) -> bool:
    """``2 分,没有不得分。``: a number of points inside a scoring description, not a cell."""
    return n + 1 < len(tokens) and tokens[n + 1].text.startswith("分") and len(tokens[n + 1].text) > 1


def _is_points(tokens: list[Token], n: int) -> bool:
    """A bare number that is a cell of its own (not prose points)."""
    return is_number(tokens[n].text) and not _is_prose_points(tokens, n)


class _Reader:
    def __init__(self, tokens: list[Token], columns: list[Column]) -> None:
        self.tokens = tokens
        self.columns = columns
        self.pattern = [c for c in columns if c not in TEXT_COLUMNS] or list(DEFAULT_COLUMNS)
        self.level = Level()
        self.short_levels = False  # level labels glued before a name were seen (``产出指标数量…``)
        self.rows_in_group = 0  # rows read since the last level label
        self.level2_end = -1  # the token after the last 二级 label read (-1: the last label read is no 二级 one)
        self.name_word = -1  # a label word read as a name's first word (:meth:`_second_label`)
        self.rows: list[Row] = []
        self.pending: list[Token] = []
        self.orphans: list[list[Token]] = []
        self.orphan_names: list[list[Token]] = []
        self.line_end: dict[int, int] = {t.line: n for n, t in enumerate(tokens)}  # last token of each line
        self.cells_on_line = Counter(t.line for t in tokens if t.cell and t.text)
        self.first_cell: dict[int, Token] = {}  # the first cell of each line
        self.all_cells_on_line = Counter(t.line for t in tokens if t.cell and self.first_cell.setdefault(t.line, t))
        self.last_number = {t.line: n for n, t in enumerate(tokens) if is_number(t.text)}  # … last number
        # cells but never an empty one: extraction dropped the blank cells, so positions no longer hold
        self.dropped = any(t.cell for t in tokens) and not any(t.cell and not t.text for t in tokens)

    def read(self, start: int) -> Table:
        tokens, i = self.tokens, start
        while i < len(tokens):
            token = tokens[i]
            if not token.key or FILLER.match(token.key):
                i += 1
                continue
            if _table_end(tokens, i):
                self._flush()
                return Table(self.rows, token, tokens[i - 1] if i else None, True, self.orphans,
                             blocks=self.level.blocks)
            span = _label_span(tokens, i)
            if span and self._second_label(i, span):
                span = None  # a 二级 label right after another, a word after it: a name's first word (``资金到位 及时率``)
                self.name_word = i
            if span:  # _label_span only returns level labels and section words
                self._flush()
                self.level.take(span[1])
                self.rows_in_group = 0
                self.level2_end = i + span[0] if not level1_name(span[1]) and LEVEL2.match(span[1]) else -1
                i += span[0]
                continue
            if column_of(token.key) or token.key in INDICATOR_HEAD_WORDS:
                i += 1  # the header printed again after a page break
                continue
            step = self._cell_row(i) if token.cell else self._word_row(i)
            if step and step > i:  # every step moves on: no input can make the reader loop
                i = step
            else:
                self.pending.append(token)
                i += 1
        self._flush()
        return Table(self.rows, None, tokens[-1] if tokens else None, True, self.orphans, blocks=self.level.blocks)

    def _second_label(self, i: int, span: tuple[int, str]) -> bool:
        """A 二级 label right after another 二级 label and followed on its line by a word that is no label nor value:
        the first piece of a name broken where it wrapped (``时效指标 资金到位 及时率``), not a group of its own."""
        tokens, after = self.tokens, i + span[0]
        return (i == self.level2_end and not level1_name(span[1]) and bool(LEVEL2.match(span[1]))
                and span[1] != self.level.level2 and after < len(tokens) and tokens[after].line == tokens[i].line
                and bool(tokens[after].key) and not is_value(tokens[after].text) and not is_number(tokens[after].text)
                and _label_span(tokens, after) is None)

    def _flush(self) -> None:
        """Text before a label: the wrapped reason of the row above (template stubs ``指标2:`` dropped).

        In a sheet flattened column by column the value groups come first and the names later:
        a name then takes the oldest value group still waiting (``orphans``).
        """
        text = [t.text for t in self.pending if not t.text.endswith((":", "："))]
        if self.orphans and len(re.findall(r"[\u4e00-\u9fff]", "".join(text))) >= NAME_CHARS_MIN:
            for name in _numbered_names(self.pending):
                if self.orphans:
                    self._fill(self._new_row(name), self.orphans.pop(0))
        elif text and self.rows:
            self.rows[-1].reason += text
        self.pending = []

    def _fill(self, row: Row, values: list[Token]) -> None:
        for column, token in zip(self.pattern, values, strict=True):
            row.values[column] = token.text
            row.lines[column.name] = token.line

    def _new_row(self, name_tokens: list[Token]) -> Row:
        joiner = "" if len({t.line for t in name_tokens}) > 1 else " "
        text = joiner.join(t.text for t in name_tokens).strip()
        if _LABEL_END.match(text) and self.level.level2 and not self.level.level2.endswith("指标") and not self.rows_in_group:
            text = text[2:]  # ``社会效益 指标政策知晓率``: the label's 指标 wrapped onto the name's line
        labels, name, guessed = peeled_levels(text, self.short_levels, not self.rows and self.level.level1 is None)
        for n, label in enumerate(labels):
            if n and LEVEL2.match(key(label)):  # the second label is the 二级 cell, even one that names a 一级 too
                self.level.level2 = key(label)
            else:
                self.level.take(key(label))
        self.short_levels = self.short_levels or bool(labels)
        # in a table of cells a label has a cell of its own: one inside the name cell may come with shifted cells
        in_cell = bool(labels) and any(t.cell for t in name_tokens)
        row = Row(
            self.level.level1, self.level.level2, name, block=self.level.blocks, block_weight=self.level.weight,
            peeled=labels[-1] if guessed or in_cell else None, peeled_cell=in_cell,
        )
        self.rows_in_group = 0 if labels else self.rows_in_group + 1
        row.lines["name"] = name_tokens[0].line
        self.rows.append(row)
        return row

    def _row_line(self, line: int) -> bool:
        """The line holds enough cells for a name and the value columns: a row of its own — filled cells (blank
        cells dropped), or as many cells blank ones counted after a filled first cell (a row whose merged level
        cells were left out, ``培训人数 | 100人 |  | 2 |  |``: its blank value cells kept, its name first)."""
        if self.cells_on_line.get(line, 0) > len(self.pattern):
            return True
        first = self.first_cell.get(line)
        return first is not None and bool(first.text) and self.all_cells_on_line.get(line, 0) > len(self.pattern)

    def _cell_row(self, i: int) -> int | None:
        """Positional: the name cell, then one cell per column (a level label ends the row early)."""
        tokens = self.tokens
        row = self._new_row(
            [*self.pending, tokens[i]] if self.pending and not self.pending[-1].cell else [tokens[i]]
        )
        self.pending = []
        if self.dropped and (end := self._dropped_cells(row, i)):
            return end
        j = i + 1
        for column in self.columns:
            if j >= len(tokens) or (tokens[j].key and (_label_span(tokens, j) or _table_end(tokens, j))):
                break
            if column in TEXT_COLUMNS and tokens[j].line != tokens[j - 1].line and self._row_line(tokens[j].line):
                break  # a reason never starts on a line that holds a row of its own (empty cells dropped)
            if tokens[j].text and column is not Column.OTHER:
                row.values[column] = tokens[j].text
                row.lines[column.name] = tokens[j].line
            j += 1
        _unshift(row)
        return j

    def _dropped_cells(self, row: Row, i: int) -> int | None:
        """A row of a table whose blank cells vanished: its values are the cells left on its line.

        Fewer values than value columns: which columns hold them is chosen like a word row's with
        blanks (:func:`choose_layout`): the form's arithmetic and the layout priors decide.
        """
        tokens = self.tokens
        end = self.line_end[tokens[i].line]
        values = tokens[i + 1 : end + 1]
        # the columns a form leaves blank most (性质, 单位, 调整值) are the ones extraction dropped first, but a
        # class word among the values (正向) is the 指标性质 cell, printed
        classed = any(t.text in _CLASS_WORDS for t in values)
        blank = OFTEN_BLANK - _CLASS_COLUMNS if classed else OFTEN_BLANK
        pattern = [c for c in self.pattern if c not in blank] if len(values) < len(self.pattern) else self.pattern
        if not values or len(values) > len(self.pattern) or any(_label_span(tokens, n) for n in range(i + 1, end + 1)):
            return None
        texts = [t.text for t in values]
        if len(values) == len(pattern) and _words_fit(pattern, texts):  # the blank cells were text columns
            columns = pattern
        elif layout := choose_layout(texts, pattern if len(values) < len(pattern) else self.pattern, row.name):
            columns, row.choice = layout
        else:
            return None
        for column, token in zip(columns, values, strict=True):
            row.values[column] = token.text
            row.lines[column.name] = token.line
        return end + 1

    def _word_row(self, i: int) -> int | None:
        """Anchored: name words, then the value pattern, all values on one line."""
        tokens, k = self.tokens, len(self.pattern)
        if not self.pending and is_value(tokens[i].text) and i + k <= len(tokens) and self._fits(i):
            if self.orphan_names:
                self._fill(self._new_row(self.orphan_names.pop(0)), tokens[i : i + k])
            else:
                self.orphans.append(tokens[i : i + k])  # values without a name: it comes later
            return i + k
        for j in range(i if self.pending else i + 1, min(i + NAME_WORDS_MAX, len(tokens) - k + 1)):
            if j > i and tokens[j - 1].line != tokens[j].line:
                break
            if j > i and j - 1 != self.name_word and (span := _label_span(tokens, j - 1)):
                # a level cell centred in its block prints between a row's name and its values
                return self._label_inside(i, j - 1, span)
            values = tokens[j : j + k]
            if not self._fits(j):
                continue
            after = tokens[j + k] if j + k < len(tokens) else None
            if after is not None and after.line == values[-1].line and _is_points(tokens, j + k):
                continue
            start = _name_start(tokens, i, j)
            self.pending += tokens[i:start]  # description text before the name: the reason above
            return self._take(start, j, values)
        return self._weight_score_only(i) or self._positional_line(i) or self._partial_line(i)

    def _positional_line(self, i: int) -> int | None:
        """A short line ``name v1 … vk`` whose values break the pattern: keep them (odd ones get noted)."""
        tokens, k = self.tokens, len(self.pattern)
        end = self.line_end[tokens[i].line]
        count = end - i + 1
        if self.pending or not k < count <= k + 2 or not is_number(tokens[end].text) or tokens[i].cell:
            return None
        if any(_label_span(tokens, n) for n in range(i + 1, end + 1)):
            return None
        return self._take(i, end + 1 - k, tokens[end + 1 - k : end + 1])

    def _partial_line(self, i: int) -> int | None:
        """``name v1 … vm`` with fewer values than columns (blank cells vanished): which columns hold them.

        Every order-keeping assignment of the values to the columns that their kind allows is a
        reading; the form's arithmetic and the layout priors choose (:func:`choose_layout`).
        """
        tokens, k = self.tokens, len(self.pattern)
        if tokens[i].cell or (self.pending and not self._pending_name(self.pending)):
            return None  # words waiting that are no name (a value among them): not a line of values below its name
        end = self.line_end[tokens[i].line]
        first_value = end + 1
        lowest = i if self.pending else i + 1  # a line of values only: the name is the line(s) before it
        while first_value > lowest and (is_value(tokens[first_value - 1].text) or tokens[first_value - 1].text in ANSWERS):
            first_value -= 1
        # values only from the token on: the name waits before them (the line above, or wrapped onto this one)
        below = bool(self.pending) and first_value == i
        if self.pending and not below:
            return None
        values = tokens[first_value : end + 1]
        name = self.pending if below else tokens[i:first_value]
        if not 0 < len(values) < k or len(re.findall(r"[\u4e00-\u9fff]", "".join(t.text for t in name))) < 2:
            return None
        if any(_label_span(tokens, n) for n in range(i, end + 1)):
            return None
        layout = choose_layout([t.text for t in values], self.pattern, "".join(t.text for t in name))
        if layout is None:
            return None
        columns, choice = layout
        if below:
            self.pending = []  # the name's line(s) above, taken whole: not the reason of the row before
            choice = replace(choice, broken=(*choice.broken, "values_below"))
        else:
            self._flush()
        row = self._new_row(name)
        row.choice = choice
        for column, token in zip(columns, values, strict=True):
            row.values[column] = token.text
            row.lines[column.name] = token.line
        return end + 1

    def _pending_name(self, pending: list[Token], chars_min: int = NAME_CHARS_MIN) -> bool:
        """Words waiting before a line of values read as a name (or, ``chars_min`` lower, a name's first
        piece): a few words of text, no figure among them, no sentence ended (a reason ends its sentence)."""
        return (
            0 < len(pending) <= NAME_WORDS_MAX
            and len(re.findall(r"[\u4e00-\u9fff]", "".join(t.text for t in pending))) >= chars_min
            and not any(is_value(t.text) or is_number(t.text) or t.cell for t in pending)
            and not any(t.text.endswith(_SENTENCE_END) for t in pending[:-1])
        )

    def _wrapped_name(self, i: int) -> bool:
        """The words waiting before a name that starts line ``i`` are that name's first piece, not the reason of
        the row before: they fill the line just above on their own (:meth:`_pending_name`), and the row before
        printed no reason on its line (a reason wrapped onto the next line starts on its row's line)."""
        pending, tokens = self.pending, self.tokens
        if not pending or not self._pending_name(pending, 1) or (i and tokens[i - 1].line == tokens[i].line):
            return False
        if {t.line for t in pending} != {tokens[i].line - 1}:
            return False
        before = self.rows[-1] if self.rows else None
        return before is None or (not before.reason and Column.REASON not in before.values
                                  and max(before.lines.values()) < pending[0].line)

    def _label_inside(self, i: int, at: int, span: tuple[int, str]) -> int | None:
        """``组织机构 项目管理 13 分 2 2``: the name, the block label, then the values."""
        values_at = at + span[0]
        start = _name_start(self.tokens, i, at + 1)
        if start >= at or values_at + len(self.pattern) > len(self.tokens) or not self._fits(values_at):
            return None
        self.pending += self.tokens[i:start]
        self._flush()
        self.level.take(span[1])
        self.pending = self.tokens[start:at]
        return self._take(values_at, values_at, self.tokens[values_at : values_at + len(self.pattern)])

    def _fits(self, j: int) -> bool:
        line = self.tokens[j].line
        for offset, column in enumerate(self.pattern):
            token = self.tokens[j + offset]
            if token.line != line or token.cell:
                return False
            if column not in NUMERIC_COLUMNS and _label_span(self.tokens, j + offset):
                return False
            if column in NUMERIC_COLUMNS and (
                not is_number(token.text) or _is_prose_points(self.tokens, j + offset)
            ):
                return False
        return True

    def _take(self, i: int, j: int, values: list[Token]) -> int:
        if j > i and self._wrapped_name(i):
            self.pending += self.tokens[i:j]  # the name's first piece wrapped onto the line above
            i = j
        elif j > i:
            self._flush()
        first, *later = _numbered_names(self.tokens[i:j] if j > i else self.pending)
        row = self._new_row(first)
        self.orphan_names += later  # their values come after these (a sheet flattened by column)
        self.pending = []
        self._fill(row, values)
        end = j + len(values)
        if self.last_number.get(values[-1].line, -1) >= end:
            return end  # more rows follow on this line (a flattened page), not a reason
        while (
            end < len(self.tokens)
            and self.tokens[end].line == values[-1].line
            and not _label_span(self.tokens, end)
            and not _table_end(self.tokens, end)
        ):
            row.reason.append(self.tokens[end].text)
            end += 1
        return end

    def _weight_score_only(self, i: int) -> int | None:
        """``指标1:工程质量合格 10 10``: a row whose target and actual were left blank."""
        if self.pattern[-2:] != [Column.WEIGHT, Column.SCORE]:
            return None
        tokens = self.tokens
        line_end = self.line_end[tokens[i].line]
        if not 2 <= line_end - i <= NAME_WORDS_MAX or not all(
            is_number(t.text) for t in tokens[line_end - 1 : line_end + 1]
        ):
            return None
        if any(is_number(t.text) for t in tokens[i : line_end - 1]):
            return None
        self._flush()
        row = self._new_row(tokens[i : line_end - 1])
        for column, token in zip(
            (Column.WEIGHT, Column.SCORE), tokens[line_end - 1 : line_end + 1], strict=True
        ):
            row.values[column] = token.text
            row.lines[column.name] = token.line
        return line_end + 1


#: A scoring rubric (决策/管理/绩效): each level cell carries its own 分值 before the indicator's.
RUBRIC_PLAN = ("level1", "weight", "level2", "weight", "name", "weight", "score")


def _plan(tokens: list[Token], first: int, last: int) -> tuple[str, ...]:
    """The header's roles in order, repeats kept (the column plan before columns are merged)."""
    found = (role_of(_COLUMN_MARK.sub("", t.key), "indicator_columns") for t in tokens[first:last])
    return tuple(role for role in found if role)


#: Roles of the text columns a rubric may print after its 得分 (a reason, a note): no figures of the rubric.
_TRAILING_TEXT_ROLES = frozenset({"reason", "method", "core", "review"})


def _rubric_plan(plan: tuple[str, ...]) -> bool:
    """The header is a rubric's, text columns after its 得分 (``偏差原因分析及改进措施``) aside."""
    while plan and plan[-1] in _TRAILING_TEXT_ROLES:
        plan = plan[:-1]
    return plan == RUBRIC_PLAN


def _cells(tokens: list[Token], start: int) -> tuple[list[tuple[str, bool, Token]], Token | None]:
    """The table's cells from ``start`` as (text, is a number, first token), words of one text joined."""
    cells: list[tuple[str, bool, Token]] = []
    for i in range(start, len(tokens)):
        token = tokens[i]
        if not token.key or FILLER.match(token.key):
            continue
        if _table_end(tokens, i):
            return cells, token
        number = is_number(token.text)
        if cells and not number and not cells[-1][1] and not token.cell:
            text, _, head = cells[-1]
            cells[-1] = (f"{text} {token.text}", False, head)
        else:
            cells.append((token.text, number, token))
    return cells, None


def read_rubric(tokens: list[Token], start: int) -> Table:
    """A rubric table: ``[一级 分值] [二级 分值] 三级 分值 得分`` per row, level cells only where they change.

    A row ends in a name and two numbers; the (text, number) pairs before it are the level cells
    that start there — two pairs a new 一级 and 二级, one pair a new 二级.  Each level's printed 分值
    must be the sum of its rows' (a block constraint): where it is not, the block is doubted.
    """
    if (positional := _rubric_by_position(tokens, start)) is not None:
        return positional
    cells, end = _cells(tokens, start)
    rows: list[Row] = []
    level1 = level2 = None
    pairs: list[tuple[str, str]] = []
    blocks: list[tuple[str, list[int]]] = []  # (printed 分值, rows) of each level block, in order
    open_blocks: list[list[int]] = [[], []]  # rows of the 一级 and the 二级 block being read
    position = 0
    while position < len(cells):
        text, number, token = cells[position]
        following = [c[1] for c in cells[position + 1 : position + 3]]
        if not number and following == [True, True]:
            if len(pairs) >= 2:
                level1 = level1_name(key(pairs[-2][0])) or pairs[-2][0]
                blocks.append((pairs[-2][1], []))
                open_blocks[0] = blocks[-1][1]
            if pairs:
                level2 = pairs[-1][0]
                blocks.append((pairs[-1][1], []))
                open_blocks[1] = blocks[-1][1]
            pairs = []
            for members in open_blocks:
                members.append(len(rows))
            row = Row(level1, level2, text)
            row.lines["name"] = token.line
            for column, (value, _, cell) in zip((Column.WEIGHT, Column.SCORE), cells[position + 1 : position + 3], strict=True):
                row.values[column] = value
                row.lines[column.name] = cell.line
            rows.append(row)
            position += 3
        elif not number and following[:1] == [True]:
            pairs.append((text, cells[position + 1][0]))
            position += 2
        else:
            position += 1
    return _rubric_table(rows, blocks, open_blocks, end, tokens)


def _rubric_by_position(tokens: list[Token], start: int) -> Table | None:
    """A rubric with ``|`` borders, a row a line, blank cells kept: each cell read by its place in
    :data:`RUBRIC_PLAN` (a row whose 得分 or 分值 is blank keeps its other cells in their columns).  None when
    the table's lines are not rows of cells up to the name at least."""
    lines: dict[int, list[Token]] = {}
    end = None
    while 0 < start < len(tokens) and tokens[start - 1].line == tokens[start].line and not tokens[start - 1].key:
        start -= 1  # the first row's blank level cells, read with the header's (a blank cell is a header's too)
    for i in range(start, len(tokens)):
        if tokens[i].key and _table_end(tokens, i):  # a blank cell is a place in its row, never the table's end
            end = tokens[i]
            break
        lines.setdefault(tokens[i].line, []).append(tokens[i])
    named = RUBRIC_PLAN.index("name") + 1  # a row's blank cells after its name may be left out
    if not lines or not all(all(t.cell for t in line) and len(line) >= named for line in lines.values()):
        return None
    rows: list[Row] = []
    level1 = level2 = None
    blocks: list[tuple[str, list[int]]] = []
    open_blocks: list[list[int]] = [[], []]
    for cells in lines.values():
        line = cells + [Token("", cells[-1].line, cell=True)] * (len(RUBRIC_PLAN) - len(cells))
        name, weight, score = line[4], line[5], line[6]
        for depth, (label, points) in enumerate(((line[0], line[1]), (line[2], line[3]))):
            if label.key:
                if depth == 0:
                    level1 = level1_name(label.key) or label.text
                else:
                    level2 = label.text
                blocks.append((points.text, []))
                open_blocks[depth] = blocks[-1][1]
        if not name.key:
            continue
        for members in open_blocks:
            members.append(len(rows))
        row = Row(level1, level2, name.text)
        row.lines["name"] = name.line
        for column, cell in ((Column.WEIGHT, weight), (Column.SCORE, score)):
            if cell.key:
                row.values[column] = cell.text
                row.lines[column.name] = cell.line
        rows.append(row)
    return _rubric_table(rows, blocks, open_blocks, end, tokens)


def _rubric_table(rows: list[Row], blocks: list[tuple[str, list[int]]], open_blocks: list[list[int]],
                  end: Token | None, tokens: list[Token]) -> Table:
    """The rubric's rows, each level block whose printed 分值 is not its rows' sum doubted."""
    table = Table(rows, end, tokens[-1] if tokens else None, True)
    cut = (id(open_blocks[0]), id(open_blocks[1])) if end is None else ()  # cut off: cannot be summed
    closed = [block for block in blocks if id(block[1]) not in cut]
    table.doubts = [
        (members, f"分值合计 {total} 与该级指标的分值 {printed} 不符")
        for printed, members in closed
        if (total := _weight_sum(rows, members)) is not None and total != number_of(printed)
    ]
    return table


def _weight_sum(rows: list[Row], members: list[int]) -> Decimal | None:
    weights = [number_of(rows[n].values.get(Column.WEIGHT, "")) for n in members]
    if not members or None in weights:
        return None
    return sum((w for w in weights if w is not None), Decimal(0))


_NAME_UNIT = re.compile(r"[(（]\s*[≥≤]?\s*([^()（）]{1,6})\s*[)）]$")


def _unit_in_name(name: str) -> bool:
    """``工程合格率(%)``, ``保种数量(头)``: the name carries the unit its bare numbers are in."""
    found = _NAME_UNIT.search(name)
    return found is not None and any(unit in found.group(1) for unit in UNITS)


def choose_layout(values: list[str], pattern: list[Column], name: str = "") -> tuple[list[Column], Choice] | None:
    """The columns that hold ``values`` when the other cells of the row are blank.

    A number fits any column, other values only the text columns; among the order-keeping
    assignments the form's arithmetic (:mod:`.constraints`) and the layout priors decide: the
    values fill the first columns, two bare numbers are a 分值 and its 得分, a bare number under a
    name that carries its unit is the target.
    """
    layouts, readings, evidence = layout_readings(values, pattern, name)
    choice = choose(readings, evidence)
    if choice is None:
        return None
    columns = layouts[readings.index(choice.reading)]
    if _bare_number_placed(columns, values, pattern, name):
        choice = replace(choice, broken=(*choice.broken, "bare_number_placed"))
    return columns, choice


#: The most points a row's 分值 or 得分 can be: a bare number above it is never the points.
POINTS_MAX = Decimal(100)


def _bare_number_placed(columns: list[Column], values: list[str], pattern: list[Column], name: str) -> bool:
    """A bare number put in a target or actual cell while the row's 分值/得分 cells all stay blank: when it could be
    points (at most 100) and the name carries no unit for it, it may be the 分值 of a row printed with its points
    only, so the row's reading is a guess whatever the priors say."""
    placed = any(c not in NUMERIC_COLUMNS and is_number(v) and (number_of(v) or 0) <= POINTS_MAX
                 for c, v in zip(columns, values, strict=True))
    return (placed and not _unit_in_name(name) and not NUMERIC_COLUMNS & set(columns)
            and bool(NUMERIC_COLUMNS & set(pattern)))


def layout_readings(
    values: list[str], pattern: list[Column], name: str = ""
) -> tuple[list[list[Column]], list[dict[str, str]], list[float]]:
    """Every order-keeping assignment of ``values`` to ``pattern``'s columns, its reading and its layout prior."""
    priors = settings().priors
    measured = _unit_in_name(name)
    layouts: list[list[Column]] = []
    readings: list[dict[str, str]] = []
    evidence: list[float] = []
    for chosen in combinations(range(len(pattern)), len(values)):
        columns = [pattern[n] for n in chosen]
        if any(c in NUMERIC_COLUMNS and not is_number(v) for c, v in zip(columns, values, strict=True)):
            continue
        if not _words_fit(columns, values, pattern):
            continue
        reading = {JUDGED_ROLE[c]: v for c, v in zip(columns, values, strict=True) if c in JUDGED_ROLE}
        prior = priors.layout_prefix if chosen == tuple(range(len(values))) else 0.0
        weight, score = number_of(reading.get("weight")), number_of(reading.get("score"))
        if weight is not None and score is not None and weight >= score:
            prior += priors.points_pair
        if measured and is_number(reading.get("target", "")):
            prior += priors.unit_in_name
        target, actual = reading.get("target", ""), reading.get("actual", "")
        if actual and is_number(actual) and target and not is_number(target) and re.search(r"\d", target):
            prior -= priors.bare_actual  # ``=100%`` then ``22.5``: a bare number after a measured target is points
        if Column.RATIO in columns:
            prior += _coefficient(values[columns.index(Column.RATIO)], weight, score)
        layouts.append(columns)
        readings.append(reading)
        evidence.append(prior)
    return layouts, readings, evidence


def _coefficient(ratio: str, weight: Decimal | None, score: Decimal | None) -> float:
    """Evidence from a 得分系数 (Chongqing): 得分 = 分值 × 系数 for the reading that puts it right, against otherwise."""
    value = number_of(ratio.rstrip("%"))
    evidence = settings().weights.formula
    if value is None or weight is None or score is None:
        return -evidence  # a coefficient with no 分值 and 得分 to multiply is a cut gone wrong
    share = value / 100 if ratio.endswith("%") or value > 1 else value
    return evidence if abs(weight * share - score) <= Decimal("0.05") else -evidence


def headless_start(tokens: list[Token], start: int = 0) -> int | None:
    """Where a table without a header starts: its first 一级 label after token ``start`` or, in a table
    printing no 一级 labels, its first 二级 label (``数量指标``) in a cell of its own, or, printing no level
    labels at all, its first row in cells (:func:`_first_row_cell`)."""
    first = next((i for i in range(start, len(tokens)) if (s := _label_span(tokens, i)) and level1_name(s[1])), None)
    if first is None:
        first = next((i for i in range(start, len(tokens))
                      if tokens[i].cell and (s := _label_span(tokens, i)) and LEVEL2.match(s[1])), None)
    return first if first is not None else _first_row_cell(tokens, start)


#: Rows that open with a name cell and carry figures but are no indicator: the funds block's rows.
_FUNDS_ROW_WORDS = tuple(key(w) for w in (*vocabulary()["funds_rows"]["words"], *vocabulary()["funds_block"]["total"]))
#: Figures on a line after its first cell that make the line a row of the table (a name, then its values).
ROW_FIGURES_MIN = 1


def _first_row_cell(tokens: list[Token], start: int) -> int | None:
    """The first line in cells, after token ``start``, whose first filled cell is a name (no value, no label of
    the funds block or of the table's end) followed by at least :data:`ROW_FIGURES_MIN` values: the first row
    of a table printing neither its header nor level labels (三级 names only)."""
    lines: dict[int, list[int]] = {}
    for i in range(start, len(tokens)):
        if tokens[i].cell and tokens[i].text:
            lines.setdefault(tokens[i].line, []).append(i)
    for indices in lines.values():
        name = tokens[indices[0]]
        if (is_value(name.text) or is_number(name.text) or len(name.key) < 2 or TABLE_END.match(name.text)
                or name.key.startswith(_FUNDS_ROW_WORDS)):
            continue
        if sum(is_value(tokens[i].text) for i in indices[1:]) >= ROW_FIGURES_MIN:
            return indices[0]
    return None


def read_headless(tokens: list[Token], first: int, columns: list[Column]) -> Table:
    """The rows from token ``first`` (the table's first level label) read under ``columns``, no header found."""
    table = _Reader(tokens, columns).read(first)
    table.header_found = False
    table.columns = columns
    return table


def read_table(tokens: list[Token], start: int = 0) -> Table:
    """Read the indicator table found after token ``start``; without a header, in the national order."""
    header = find_header(tokens, start)
    if header is None:
        first = headless_start(tokens, start)
        if first is None:
            return Table([], None, tokens[-1] if tokens else None, False)
        table = read_headless(tokens, first, list(DEFAULT_COLUMNS))
        table.columns = []
        return table
    columns, first, end = header
    if _rubric_plan(_plan(tokens, first, end)):
        return read_rubric(tokens, end)
    table = _Reader(tokens, columns).read(end)
    table.columns = columns
    return table
