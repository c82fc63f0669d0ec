"""Indicator tables whose cells were glued together (OCR, DOCX dumps, doc-sharing sites).

``安装坡面水标尺10≥266米≥266米10水标尺宽度10≥50厘米≥50厘米10`` is two rows of
[name, 分值, 指标值, 实际值, 得分].  The text is cut at level labels, then into *atoms*
(numbers with their comparison sign and unit) and text; a row ends where a run of atoms
fills the header's value pattern.  Where a pattern is one value short, the usual glue is
undone: a weight stuck to a target (``20100%`` → 20 | 100%), a target equal to its actual
(``显著提升显著提升`` → 显著提升 | 显著提升).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from .constraints import Choice, choose, consistency, settings
from .textlabels import FUNDS_ROW_WORDS, LEVEL2, TABLE_END, Column, column_of, key, level1_name
from .textrows import (
    NAME_CHARS_MIN,
    NUMERIC_COLUMNS,
    ROLE_OF_COLUMN,
    TEXT_COLUMNS,
    Level,
    Row,
    Table,
    layout_readings,
)
from .textscan import ATOM, UNITS, Token, is_glued_row, label_re, splits
from .vocabulary import vocabulary

_PROTECTED = re.compile(r"指[标標](?:\(biāo\))?\d{1,2}(?=[:：]|[\u4e00-\u9fff])")
_LEVEL_WORDS = ["产出指标", "效益指标", "满意度指标", "绩效指标"]
_LEVEL2_WORDS = [
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "进度指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "经济效益",
    "社会效益",
    "生态效益",
    "可持续影响",
    "可持续性",
]
# every 二级 word of the vocabulary printed with 指标 is a label too (``群众满意度指标``): a name never ends in 指标
_LEVEL2_WORDS += [f"{w}指标" for w in vocabulary()["levels"]["level2"] if f"{w}指标" not in _LEVEL2_WORDS]
#: Bare level-2 words: labels only where a row starts (``成本每年财政补助…``), never inside a name.
_BARE_LEVEL2 = re.compile(r"^(数量|质量|时效|成本)(?!指)")
#: Any level word of the vocabulary (一级 names, 二级 words), as a level cell opening a row read a row per line.
_LINE_LEVELS = sorted(
    {*vocabulary()["levels"]["level2"], *vocabulary()["levels"]["level1"].values()}, key=len, reverse=True
)
_LINE_LEVEL2 = re.compile(  # printed as labels are: Traditional characters, pinyin glosses (label_re)
    "^(" + "|".join(map(label_re, _LINE_LEVELS)) + ")(?:" + label_re("指标") + ")?(?:等)?(?:[(（]\\d+分[)）])?"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A 二级 cell with its printed 分值 glued before a name (``数量指标60发放覆盖率``): the label, the figure.
_WEIGHTED_LEVEL2 = re.compile(
    "^((?:" + "|".join(map(label_re, _LINE_LEVELS)) + ")(?:" + label_re("指标") + ")?)(\\d{1,3}(?:\\.\\d{1,2})?)(?=[\u4e00-\u9fff])"
)
#: The level columns of a header each followed by a 分值 column, and how far before the name column to look for them.
_LEVEL_WEIGHT_HEAD = re.compile("级指标(?:分值|权重)")
LEVEL_HEAD_CHARS = 24
_LABEL_TAIL = re.compile("(?:" + label_re("指标") + ")?等")
_LABEL_END_WEIGHT = re.compile("^(" + label_re("指标") + ")(\\d{1,3}(?:\\.\\d{1,2})?)(?=[\u4e00-\u9fff])")
_END_WORDS = ["总分", "合计", "说明", "注:", "注：", "备注", "偏差大或目标未完成原因分析", "其他需要说明事项"]
_HEAD_WORDS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年初目标值(A)",
    "实际完成值(B)",
    "年度指标值",
    "实际完成值",
]
# ``生态效益指标1病害减少`` is the label 生态效益 and the name 指标1病害减少; ``数量指标5000吨`` is a label.
_UNIT_CHARS = "".join(sorted({u[0] for u in UNITS if "\u4e00" <= u[0] <= "\u9fff"}))
_NOT_A_NUMBERED_NAME = rf"(?!\d{{1,2}}[:：(（]|\d{{1,2}}[\u4e00-\u9fff](?<![{_UNIT_CHARS}]))"
_SPLIT = re.compile(
    "("
    + "|".join(
        [label_re(w) + r"(?:[(（]\d+分[)）])?" for w in _LEVEL_WORDS]
        + [label_re(w) + "(?:等)?" + _NOT_A_NUMBERED_NAME for w in sorted(_LEVEL2_WORDS, key=len, reverse=True)]
        + [label_re(w) for w in _END_WORDS]
        + [label_re("年度绩效目标") + r"\d*(?:[(（]\d+分[)）])?"]
        + [label_re(w) for w in _HEAD_WORDS]
    )
    + ")"
)
_PAGE_MARK = re.compile(r"^\d{1,2}、")
#: A bare figure (no sign, no unit): after a level label, before the text of a name or another label, it is the
#: level's printed 分值 (``产出指标50数量20大组工网络运维费用22``: the rubric's 一级 and 二级 weight columns).
_LEVEL_WEIGHT = re.compile(r"\d{1,3}(?:\.\d{1,2})?")
_DOUBLED_RE = re.compile(r"^(.+?)((.+)\3)$")
DOUBLED_MAX = 120  # a name plus a value written twice is short; the regex is quadratic


def _doubled(text: str) -> re.Match[str] | None:
    """``名称XX`` split as name, X twice (``粮食储备设备维护及安全性高高``)."""
    return _DOUBLED_RE.match(text) if len(text) <= DOUBLED_MAX else None


_HEADER_NAME = re.compile(label_re("三级指标") + "|" + label_re("指标名称"))


@dataclass
class _Piece:
    text: str
    line: int
    atom: bool
    label: bool = False


GLUED_ROW_LINES = 0.5  # this share of the lines with figures each one glued row: a glued table


def is_glued(tokens: list[Token]) -> bool:
    """Most of the text sits in long runs without separators, or most rows are glued into one word each."""
    long = sum(len(t.text) for t in tokens if len(t.text) >= 25 and not t.cell)
    if long > 0.5 * max(1, sum(len(t.text) for t in tokens)):
        return True
    return rows_per_line(tokens)


#: A comparison word of the vocabulary (``大于等于``) ending a text, right before a number.
_OPERATOR_END = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, vocabulary()["operators"]["words"]), key=len, reverse=True)) + ")$"
)
#: A name this long on a row without target and actual may hold them, glued (``…规定达成预期指标``).
VALUES_IN_NAME = 8
#: A glued line this long (the median) holds several rows, not one (a page dump, not a table's rows).
ROW_LINE_CHARS = 150


def rows_per_line(tokens: list[Token], longest: int | None = None) -> bool:
    """Most lines with figures end in one word holding a whole row (a table scraped a row per line).

    ``longest``: the median glued line must be at most this long (one row per line, not several).
    """
    lines: dict[int, list[Token]] = {}
    for token in tokens:
        lines.setdefault(token.line, []).append(token)
    rows = [words for words in lines.values() if any(c.isdigit() for t in words for c in t.text)]
    glued = [words for words in rows if not words[-1].cell and is_glued_row(words[-1].text)]  # spaces may stay in a name
    lengths = sorted(sum(len(t.text) for t in words) for words in glued)
    if longest is not None and lengths and lengths[len(lengths) // 2] > longest:
        return False
    return len(glued) >= 3 and len(glued) >= GLUED_ROW_LINES * len(rows)


def _joined(tokens: list[Token]) -> tuple[str, list[int]]:
    """The tokens' text without separators or page markers, and the line of every character."""
    text, lines = [], []
    previous_line = None
    for token in tokens:
        piece = _PAGE_MARK.sub("", token.text) if token.line != previous_line else token.text
        previous_line = token.line
        text.append(piece)
        lines += [token.line] * len(piece)
    return "".join(text), lines


def _columns(text: str, start: int) -> tuple[list[Column], int]:
    """Column words from ``start`` on, and where the header ends (a few unknown characters are skipped)."""
    found: list[Column] = []
    position, end, gap = start, start, 0
    while position < len(text) and gap <= 3:
        for length in range(min(60, len(text) - position), 1, -1):
            column = column_of(key(text[position : position + length]))
            if column is not None:
                if column not in found and column is not Column.NAME:
                    found.append(column)
                position = end = position + length
                gap = 0
                break
        else:
            position += 1
            gap += 1
    return found, end


def _lex(text: str, lines: list[int]) -> list[_Piece]:
    pieces: list[_Piece] = []
    offset = 0
    for part in _SPLIT.split(text):
        if not part:
            continue
        line = lines[min(offset, len(lines) - 1)]
        if _SPLIT.fullmatch(part):
            pieces.append(_Piece(part, line, atom=False, label=True))
        else:
            pieces += _atoms(part, lines, offset)
        offset += len(part)
    return pieces


def _signed(pieces: list[_Piece]) -> list[_Piece]:
    """A comparison word standing between two values (``8大于等于1次``) is the next value's sign."""
    out: list[_Piece] = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if out and out[-1].atom and not piece.atom and _OPERATOR_END.fullmatch(piece.text) and following and following.atom:
            pieces[index + 1] = _Piece(piece.text + following.text, following.line, atom=True)
            continue
        out.append(piece)
    return out


def _lex_lines(text: str, lines: list[int]) -> list[_Piece]:
    """:func:`_lex` line by line: no value runs on into the next line's name (``22`` / ``2022年…``)."""
    pieces: list[_Piece] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end == len(text) or lines[end] != lines[start]:
            pieces += _signed(_lex(text[start:end], lines[start:end]))
            start = end
    return pieces


def _atoms(part: str, lines: list[int], offset: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    position = 0
    for m in ATOM.finditer(part):
        protected = _PROTECTED.search(part, max(0, m.start() - 6), m.end() + 1)
        if protected and protected.start() <= m.start() < protected.end():
            continue
        if m.start() > position:
            text = part[position : m.start()]
            if text == "." and pieces and pieces[-1].atom and pieces[-1].text[-1:].isdigit():
                # ``12.512.5``: a decimal run goes on; one glued run, cut by the readings later
                pieces[-1] = _Piece(pieces[-1].text + text + m.group(), pieces[-1].line, atom=True)
                position = m.end()
                continue
            if (len(text) == 1 and not re.match(r"[\u4e00-\u9fff。，、；：]", text)) or text in ("工",):
                pieces.append(_Piece(text + m.group(), lines[offset + position], atom=True))
                position = m.end()
                continue
            pieces.append(_Piece(text, lines[offset + position], atom=False))
        pieces.append(_Piece(m.group(), lines[offset + m.start()], atom=True))
        position = m.end()
    if position < len(part):
        pieces.append(_Piece(part[position:], lines[offset + position], atom=False))
    return pieces


def _is_doubled(text: str) -> bool:
    """``是是``, ``1010``: a value written twice (target equal to actual, weight equal to score)."""
    m = _doubled("#" + text)
    return m is not None and m.group(1) == "#"


def _repairs(values: list[str]) -> list[list[str]]:
    """One glue undone: a doubled value split (``1010`` → 10 | 10), a weight cut off a target."""
    options = []
    for index, value in enumerate(values):
        if _is_doubled(value):
            half = value[: len(value) // 2]
            options.append([*values[:index], half, half, *values[index + 1 :]])
        for cut in range(1, len(value)):
            head, tail = value[:cut], value[cut:]
            if (
                re.fullmatch(r"0|[1-9]\d*(\.\d+)?", head)
                and ATOM.fullmatch(tail)
                and (not tail.startswith("0") or tail.startswith("0."))
            ):
                options.append([*values[:index], head, tail, *values[index + 1 :]])
    return options


_DIGIT_RUN = re.compile(r"\d{3,12}")  # fewer digits: one number or a doubled one (``22``); more: no row of figures


def _value_options(values: list[str], k: int) -> list[list[str]]:
    """The value lists ``values`` may stand for, at most ``k`` long: as written, glue undone, digit runs cut."""
    options = [values]
    for _ in range(2):
        options += [o for option in options if len(option) < k for o in _repairs(option) if o not in options]
    for index, value in enumerate(values):
        if _DIGIT_RUN.fullmatch(value):
            for parts in range(2, k - len(values) + 2):
                # a lone 0 cut out of a run is far likelier the run's own digit (``5000`` is no 5|0|0|0)
                options += [[*values[:index], *cut, *values[index + 1 :]] for cut in splits(value, parts) if "0" not in cut]
    return [option for option in options if len(option) <= k]


def _fill(values: list[str], pattern: list[Column]) -> tuple[list[str], Choice] | None:
    """Values for the pattern, undoing up to two glues if values are missing; None when they cannot fit.

    Of the ways to undo the glue, the one most consistent with the form's arithmetic wins
    (:func:`jixiao.io.constraints.choose`); the choice says how narrowly.
    """
    options = [values]
    for _ in range(min(2, len(pattern) - len(values))):
        options += [o for option in options if len(option) < len(pattern) for o in _repairs(option)]
    fitting = [
        option
        for option in options
        if len(option) == len(pattern)
        and not any(
            c in NUMERIC_COLUMNS
            and not re.fullmatch(r"\d+(\.\d+)?%?" if c is Column.RATIO else r"\d+(\.\d+)?", v)
            for c, v in zip(pattern, option, strict=True)
        )
    ]
    readings = [
        {ROLE_OF_COLUMN[c]: v for c, v in zip(pattern, option, strict=True) if c in ROLE_OF_COLUMN}
        for option in fitting
    ]
    choice = choose(readings)
    if choice is None:
        return None
    return fitting[readings.index(choice.reading)], choice


#: Columns glued text usually leaves empty (the unit, nature and direction are also inside the values, or
#: glued to the name: ``办结信访案件正向168起``).
OFTEN_BLANK = {Column.NATURE, Column.DIRECTION, Column.MEASURE, Column.ADJUSTED, Column.VALUE}
#: The 指标性质 classification words (``正向``, ``定量指标``), longest first.
_NATURES = tuple(sorted(vocabulary()["natures"]["words"], key=len, reverse=True))
_FLAG = re.compile(r"^[是否](?=.)")


_UNIT_END = re.compile("(?<=\\d)(" + "|".join(map(re.escape, UNITS)) + ")$")
_BARE_FIGURE = re.compile(r"^(?:[<>]=|[≥≤=<>≧≦＝]|" + "|".join(map(re.escape, vocabulary()["operators"]["words"])) + r")?\d+(\.\d+)?$")


def _unit_shared(values: list[str], at: int, actual: int) -> list[str]:
    """``168 | 168起`` read where the 计量单位 column follows the actual (指标值, 实际完成值, 计量单位): the unit
    cell glued to the actual is the bare target's unit as well (``168起 | 168起``)."""
    unit = _UNIT_END.search(values[actual]) if actual < len(values) else None
    if unit is None or not _BARE_FIGURE.match(values[at]):
        return values
    return [*values[:at], values[at] + unit.group(1), *values[at + 1 :]]


def _unit_shared_reading(reading: dict[str, str]) -> dict[str, str]:
    """:func:`_unit_shared` on a reading (role → text)."""
    if "target" not in reading or "actual" not in reading:
        return reading
    target, _ = _unit_shared([reading["target"], reading["actual"]], 0, 1)
    return {**reading, "target": target}


#: A unit cell OCR turned into Latin letters (``数量tot扁`` for ``数量 篇``).
_MANGLED_UNIT = re.compile(r"(?<=[\u4e00-\u9fff])[A-Za-z]{2,4}[\u4e00-\u9fff]?$")


#: A unit character followed by one of these is a noun of the name (人数, 次数, 天数), not a unit cell;
_COUNT_NOUN_ENDS = "数率量。，；、）)”"  # and punctuation ends a name, never a sign misread


def _without_nature(name: str) -> str:
    """The name without a 指标性质 word glued after it (``办结信访案件正向``; OCR may swap its characters)."""
    for word in _NATURES:
        tail = name[-len(word) :]
        if len(name) > len(word) + 1 and (tail == word or (len(word) == 4 and sorted(tail) == sorted(word))):
            return name[: -len(word)]
    return name


def _clean_name(name: str, units: bool = True) -> tuple[str, str]:
    """Strip the 计量单位 and 指标性质 cells glued after a name (``控制率%定量指标``, ``次数次``).

    A stray character after the unit (``次数次到0次``) is the target's comparison sign read wrong
    by OCR: it is given back to the target.  ``units``: the 计量单位 column may stand right after the
    name (not where the plan prints it after a value: ``办结信访案件正向168起`` keeps its 件).
    """
    name = _without_nature(name)
    if not units:
        return name, ""
    name = _MANGLED_UNIT.sub("", name)
    for stray in ("", name[-1:]):
        stem = name[: len(name) - len(stray)]
        if stray and (stray in _UNIT_CHARS + "%" or stray in _COUNT_NOUN_ENDS):  # 人数, 次数: a name's word
            continue
        for unit in UNITS:
            if stem.endswith(unit) and len(stem) > len(unit) + 1:
                return stem[: -len(unit)], stray
    return name, ""


#: Qualitative answers written in target/actual cells, longest first (``基本达到`` before ``达到``).
ANSWERS = sorted(vocabulary()["answers"]["words"], key=len, reverse=True)


def _answer_pair(text: str) -> tuple[str, str] | None:
    """``是基本达到`` → 是 | 基本达到: a target and an actual, both qualitative answers."""
    for first in ANSWERS:
        if text.startswith(first) and text[len(first) :] in ANSWERS:
            return first, text[len(first) :]
    return None


def _dated_target(head: list[_Piece]) -> tuple[list[_Piece], list[str]] | None:
    """Name pieces, then a target of figures (``2022年12月底``) and the answer after it (``已完成``)."""
    if len(head) < 3 or head[-1].atom:
        return None
    word = next((w for w in ANSWERS if head[-1].text.endswith(w)), None)
    rest = head[-1].text[: -len(word)] if word else ""
    if word is None or len(rest) > 1:
        return None
    start = len(head) - 1
    while start > 1 and head[start - 1].atom:
        start -= 1
    if start == len(head) - 1:
        return None
    return head[:start], ["".join(p.text for p in head[start:-1]) + rest, word]


def _answer_tail(text: str) -> tuple[str, list[str]] | None:
    """``全局工作任务完成情况优秀已完成`` → the name, then the target and the actual answers glued to it."""
    answers: list[str] = []
    while len(answers) < 2:
        word = next((w for w in ANSWERS if text.endswith(w) and len(_CJK.findall(text[: -len(w)])) >= NAME_CHARS_MIN), None)
        if word is None:
            break
        answers.insert(0, word)
        text = text[: -len(word)]
    return (text, answers) if answers else None


def _answers_split(pieces: list[_Piece]) -> list[_Piece]:
    """Text pieces that are two answers glued together become two value pieces."""
    out: list[_Piece] = []
    for piece in pieces:
        pair = None if piece.atom or _is_doubled(piece.text) else _answer_pair(piece.text)
        if out and pair:
            out += [_Piece(pair[0], piece.line, atom=True), _Piece(pair[1], piece.line, atom=True)]
        else:
            out.append(piece)
    return out


def _target_and_weight(values: list[str], pattern: list[Column]) -> list[str] | None:
    """``足额保障率=100%22.5``: a form filled in before evaluation lists a target and a weight only."""
    if len(values) != 2 or not re.match(r"[≥≤=<>≧≦＝]|\d+(\.\d+)?\D", values[0]):
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", values[1]) or pattern.index(Column.TARGET) > pattern.index(
        Column.WEIGHT
    ):
        return None
    by = {Column.TARGET: values[0], Column.WEIGHT: values[1]}
    return [by.get(c, "") for c in pattern]


#: Text opening with one of these goes on with the words before it (``140人，定向…``): no name starts so.
_GOES_ON = "，、。；：,.;:)）”’"
#: A figure opening with one of these continues a range (``0-6岁``, ``2018-2022``): a name's words, not values.
_RANGE_DASHES = "-~～—至"


def _level_weight(piece: _Piece, following: list[_Piece]) -> tuple[str, str] | None:
    """A bare figure right after a level label, followed by text that opens a name or is the next label: the
    level's printed 分值 (a name's own figures carry a unit or a sign, a row's values come after its name).
    Returns the figure and the character it took for a unit (``10人`` before ``员工资支出``), which the
    next text takes back; None when the piece is no such figure."""
    if not piece.atom or not following or following[0].atom:
        return None
    nxt = following[0].text
    if _LEVEL_WEIGHT.fullmatch(piece.text):
        return (piece.text, "") if _CJK.search(nxt[:2]) else None  # ``★补助…``: a mark may open the name
    figure, unit = piece.text[:-1], piece.text[-1:]
    if _LEVEL_WEIGHT.fullmatch(figure) and unit in _UNIT_CHARS and _opens_name(unit + nxt):
        return figure, unit
    return None


def _certain_level(label: str) -> bool:
    """A level label no name starts with: a 一级 name or a label ending in 指标 (``成本指标``, ``满意度指标``)."""
    return bool(level1_name(label) or (label.endswith("指标") and LEVEL2.match(label)))


def _is_level_weight(piece: _Piece) -> bool:
    return piece.atom and bool(_LEVEL_WEIGHT.fullmatch(piece.text))


def shows_level_weights(pieces: list[_Piece]) -> bool:
    """The table prints its levels' 分值 even where no header says so: a 一级 label, a bare figure, then a 二级
    label with a bare figure of its own (``产出指标50数量20…``, ``效益指标30社会效益指标30…``), somewhere in it."""
    for at in range(len(pieces) - 2):
        first, figure, second = pieces[at : at + 3]
        if not (first.label and level1_name(key(first.text)) and _is_level_weight(figure)) or second.atom:
            continue
        nxt = pieces[at + 3] if at + 3 < len(pieces) else None
        whole = LEVEL2.match(key(second.text)) and not level1_name(key(second.text))
        if (whole and nxt is not None and _is_level_weight(nxt)) or _WEIGHTED_LEVEL2.match(second.text) \
                or (second.label and (m := _LABEL_END_WEIGHT.match(nxt.text if nxt else "")) and m.start() == 0):
            return True
        if (bare := _BARE_LEVEL2.match(second.text)) and bare.end() == len(second.text) and nxt is not None \
                and _is_level_weight(nxt):
            return True
    return False


def _weighted_levels(pieces: list[_Piece]) -> list[_Piece]:
    """Level cells printed with their 分值 (the rubric's ``一级指标 分值 二级指标 分值`` columns), glued so that a
    二级 label, its figure and the name make one text (``产出指标`` ``60`` ``数量指标60发放覆盖率``: the numbered-name
    guard keeps ``指标60发`` whole): the label and its figure are cut off as a label and an atom, where a 一级
    label with a bare figure after it showed the table prints level weights."""
    out: list[_Piece] = []
    weights_seen = False
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        if (len(out) >= 2 and out[-2].label and level1_name(key(out[-2].text)) and out[-1].atom
                and _LEVEL_WEIGHT.fullmatch(out[-1].text)):
            weights_seen = True
        row_start = not out or out[-1].atom or out[-1].label or out[-1].line != piece.line
        following = pieces[index : index + 2]
        if (weights_seen and not piece.atom and not piece.label and len(following) == 2 and following[0].label
                and LEVEL2.match(key(piece.text + following[0].text)) and _is_level_weight(following[1])):
            # ``服务对象`` ``满意度指标`` ``10``: the label cut where a shorter label matched, one label again
            out.append(_Piece(piece.text + following[0].text, piece.line, atom=False, label=True))
            index += 1
            continue
        if (weights_seen and out and out[-1].label and LEVEL2.match(key(out[-1].text)) and not piece.atom
                and _LABEL_TAIL.fullmatch(piece.text) and following and _is_level_weight(following[0])):
            out[-1] = _Piece(out[-1].text + piece.text, out[-1].line, atom=False, label=True)  # ``…指标`` ``等`` ``20``
            continue
        if (weights_seen and out and out[-1].label and LEVEL2.match(key(out[-1].text)) and not piece.atom
                and (m := _LABEL_END_WEIGHT.match(piece.text))):  # ``社会效益`` ``指标30足额…``: the label's 指标
            out[-1] = _Piece(out[-1].text + m.group(1), out[-1].line, atom=False, label=True)
            out += [_Piece(m.group(2), piece.line, atom=True), _Piece(piece.text[m.end() :], piece.line, atom=False)]
            continue
        if not (weights_seen and row_start and not piece.atom and not piece.label
                and (m := _WEIGHTED_LEVEL2.match(piece.text))):
            out.append(piece)
            continue
        rest = piece.text[m.end() :]
        if re.fullmatch(label_re("指标"), rest) and index + 1 < len(pieces) and pieces[index].atom \
                and not pieces[index + 1].atom:  # ``…43指标`` ``1`` ``:居民…``: a numbered name, one text again
            rest += pieces[index].text + pieces[index + 1].text
            index += 2
        out += [_Piece(m.group(1), piece.line, atom=False, label=True), _Piece(m.group(2), piece.line, atom=True),
                _Piece(rest, piece.line, atom=False)]
    return out


def _opens_name(text: str) -> bool:
    """Text after a row's figures that can open the next name: a few characters besides the answer words
    ending it (``底已完成`` after ``2022年12月`` goes on with the target), and no punctuation first."""
    stem = text
    while word := next((w for w in ANSWERS if stem.endswith(w)), None):
        stem = stem[: -len(word)]
    return len(_CJK.findall(stem)) >= NAME_CHARS_MIN and stem[:1] not in _GOES_ON


@dataclass(frozen=True)
class _Reading:
    """A row read from a run of pieces, not yet kept: its name, its values by the pattern's columns, the choice
    among readings and the winner's score (consistency and layout priors: what the block search adds up)."""

    name: list[_Piece]
    values: list[str]
    choice: Choice
    score: float


def _with_doubt(choice: Choice | None, reason: str) -> Choice:
    """The choice, doubted for ``reason`` (a row with no choice gets the plain confidence)."""
    if choice is None:
        return Choice({}, settings().decide.plain_confidence, None, (reason,))
    return choice if reason in choice.broken else replace(choice, broken=(*choice.broken, reason))


_DIGIT = re.compile(r"\d")


def _unit_given_back(pieces: list[_Piece]) -> list[_Piece]:
    """A unit character ending a figure that was written twice (``22分`` before ``配结果``) given back to the text
    after it, when that opens a name (``分配结果``): the reading :meth:`_GluedReader._unit_lent` makes."""
    out = list(pieces)
    for n in range(len(out) - 1):
        figure, text = out[n], out[n + 1]
        if (figure.atom and not text.atom and len(figure.text) > 2 and figure.text[-1] in _UNIT_CHARS
                and figure.text[-2].isdigit() and _is_doubled(figure.text[:-1]) and _opens_name(figure.text[-1] + text.text)):
            out[n] = _Piece(figure.text[:-1], figure.line, atom=True)
            out[n + 1] = _Piece(figure.text[-1] + text.text, text.line, atom=False)
    return out


def _closes_row(pieces: list[_Piece], nxt: _Piece) -> bool:
    """The figures ending ``pieces`` may close a row and ``nxt`` open the next one (a cut point of the block
    search): two figures or one written twice (``22``: 分值 2, 得分 2; not a figure of a name, ``985工程``), no
    range (``0-6岁``), no unit going on after a figure written once (``42天访视数``), and text after them that
    opens a name."""
    written = next((n for n, p in enumerate(reversed(pieces)) if not p.atom), len(pieces))
    figures = pieces[len(pieces) - written :]
    if not figures or nxt.atom or not _opens_name(nxt.text):
        return False
    if pieces[-1].text[-1:].isdigit() and nxt.text[:1] in _UNIT_CHARS and not _is_doubled(pieces[-1].text):
        return False
    if any(p.text[:1] in _RANGE_DASHES for p in figures):
        return False
    return (len(figures) >= 2 or _is_doubled(figures[0].text) or _ends_doubled(figures[0].text)
            or _unit_named(pieces[: len(pieces) - written]))


#: A name ending in its unit in brackets (``标准化圈舍面积(平方米)``, ``工程合格率(%)``, ``投入资金(≥万元)``).
_BRACKETED_UNIT = re.compile(r"[(（][≥≤>＜<＞]?(?:" + "|".join(map(re.escape, UNITS)) + r")[)）]$")


def _unit_named(name: list[_Piece]) -> bool:
    """The text before a lone figure ends in a bracketed unit: the figure is that row's value (a table filling
    the target only), so a row may end after it."""
    return bool(name) and not name[-1].atom and bool(_BRACKETED_UNIT.search(name[-1].text))


def _ends_doubled(text: str) -> bool:
    """``10088``: a bare digit run whose end is a figure written twice (分值 8, 得分 8) after another figure (100):
    the end of a row's values, where a cut may close the row (the arithmetic of each reading then decides)."""
    return text.isdigit() and any(_is_doubled(text[n:]) for n in range(1, len(text) - 1))


class _GluedReader:
    def __init__(
        self, pattern: list[Column], described: bool = False, flagged: bool = False, headerless: bool = False
    ) -> None:
        self.pattern = pattern
        self.headerless = headerless  # the column order is a guess: read what is unambiguous
        self.described = described  # names carry a unit / nature cell
        self.flagged = flagged  # rows end with a 是/否 cell (是否核心指标)
        self.level = Level()
        self.rows: list[Row] = []
        self.by_line = False  # a row per line (``glued`` rows): a line's end is a row's end
        # rows glued one after the other (a page with no separator): a row ends where its figures end, its
        # text values (answers, a doubled value) glued to the name's end
        self.runs_on = False
        self.cut_guessed = False  # the last row ended where a guess cut it
        self.unit_named = True  # the 计量单位 column may follow the name (no value column stands before it)
        self.unit_after = False  # the 计量单位 column follows the actual: its unit, glued to the actual, is the target's too
        # the header prints a 分值 column after its level columns (``一级指标分值二级指标分值三级指标``): a bare
        # figure after a level label is that level's weight; without the header saying so it may be a row's value
        self.level_weights = False

    def _row(
        self, buffer: list[_Piece], values: list[str], value_lines: list[int], choice: Choice | None = None
    ) -> None:
        """Keep a row; a name that swallowed rows before it (figures, then text opening a name) is searched first."""
        if self.runs_on and (split := self._swallowed(buffer)) is not None:
            earlier, buffer, narrow = split
            for row in earlier:
                kept = _with_doubt(row.choice, "row_cut") if narrow else row.choice
                self._keep(row.name, row.values, [row.name[-1].line] * len(self.pattern), kept)
            if narrow:
                choice = _with_doubt(choice, "row_cut")
        self._keep(buffer, values, value_lines, choice)

    def _swallowed(self, buffer: list[_Piece]) -> tuple[list[_Reading], list[_Piece], bool] | None:
        """The block search over a name's inner cut points: where a run of figures inside it is followed by
        text that can open a name (``分配办法22分配结果``), the name may hold rows whose figures closed them.
        Every segmentation at those points is scored (a DP over the cut points: each earlier segment read as a
        row by :meth:`_line_reading`, each figure run left inside a name costing ``figures_in_name``); the best
        is kept, and doubted (``row_cut``) when it wins by less than the narrow margin.  Returns the earlier rows,
        the name left for the row being kept, and whether the win was narrow; None when the name stays whole."""
        # a name built of several pieces (a doubled value or answers cut off its end) is one text: its figures again
        buffer = _unit_given_back(
            [q for p in buffer for q in (_atoms(p.text, [p.line] * len(p.text), 0) if _DIGIT.search(p.text) and not p.atom else [p])]
        )
        cuts = [n + 1 for n in range(len(buffer) - 1) if _closes_row(buffer[: n + 1], buffer[n + 1])]
        if not cuts or len(cuts) > settings().search.max_cuts:
            return None
        penalty = settings().priors.figures_in_name
        points = [0, *cuts]
        # best[j]: the best score of the rows before point j, and those rows
        best: dict[int, tuple[float, list[_Reading]]] = {0: (0.0, [])}
        for b in cuts:
            options = []
            for a in [p for p in points if p < b and p in best]:
                segment = buffer[a:b]
                if len(_CJK.findall("".join(p.text for p in segment if not p.atom))) < NAME_CHARS_MIN:
                    continue
                reading = self._line_reading(segment, least=1, cut_guessed=True)
                if reading is None or len(_CJK.findall("".join(p.text for p in reading.name))) < NAME_CHARS_MIN:
                    continue
                kept = sum(1 for n in cuts if a < n < b and n - a < len(reading.name))  # figure runs inside its name
                options.append((best[a][0] + reading.score - penalty * kept, [*best[a][1], reading]))
            if options:
                best[b] = max(options, key=lambda o: o[0])
        totals = sorted(
            ((score - penalty * sum(1 for n in cuts if n > j), j, rows) for j, (score, rows) in best.items()),
            key=lambda t: t[0], reverse=True,
        )
        score, j, rows = totals[0]
        if j == 0:
            return None
        narrow = len(totals) > 1 and score - totals[1][0] < settings().decide.narrow_margin
        return rows, buffer[j:], narrow

    def _keep(
        self, buffer: list[_Piece], values: list[str], value_lines: list[int], choice: Choice | None = None
    ) -> None:
        name = "".join(p.text for p in buffer)
        at = self.pattern.index(Column.TARGET) if Column.TARGET in self.pattern else None
        if self.described:
            name, stray = _clean_name(name, self.unit_named)
            if stray and values and at is not None:
                values = [*values[:at], stray + values[at], *values[at + 1 :]]
        sign = _OPERATOR_END.search(name)
        if sign and at is not None and values[at][:1].isdigit():
            # ``…次数(次)大于等于1次``: a comparison word printed before the target's number is the target's
            name, values = name[: sign.start()], [*values[:at], sign.group() + values[at], *values[at + 1 :]]
            if self.described:  # ``…正向大于等于168``: the 指标性质 cell before the 指标方向 cell
                name = _without_nature(name)
        if self.unit_after and at is not None:
            values = _unit_shared(values, at, self.pattern.index(Column.ACTUAL))
        if not name:
            return
        guessed_start, self.cut_guessed = self.cut_guessed, bool(choice and "row_cut" in choice.broken)
        if guessed_start and not self.cut_guessed:  # the row before ended at a guess: so this one starts at it
            choice = _with_doubt(choice, "row_cut")
        row = Row(
            self.level.level1, self.level.level2, name, choice=choice,
            block=self.level.blocks, block_weight=self.level.weight,
        )
        row.lines["name"] = buffer[0].line
        for column, value, line in zip(self.pattern, values, value_lines, strict=True):
            if value:
                row.values[column] = value
                row.lines[column.name] = line
        self.rows.append(row)

    def _close(self, buffer: list[_Piece]) -> None:
        """Text left before a label: a row whose target equals its actual (``安全性高高``)."""
        text = "".join(p.text for p in buffer)
        numeric = [c for c in self.pattern if c in NUMERIC_COLUMNS]
        if buffer and not numeric and len(self.pattern) == 2 and (m := _doubled(text)):
            self._row([_Piece(m.group(1), buffer[0].line, False)], [m.group(3)] * 2, [buffer[-1].line] * 2)
        elif not (self.runs_on and buffer and buffer[-1].atom and self._run_row(buffer)):
            self._answered(buffer)

    def read(self, pieces: list[_Piece]) -> Table:
        self.level_weights = self.level_weights or shows_level_weights(pieces)
        if self.level_weights:
            pieces = _weighted_levels(pieces)
        buffer: list[_Piece] = []
        previous_label = ""
        level_taken = ""  # the level label just taken (a 一级 or 二级 cell): its printed 分值 may follow
        level_weighted = False  # a level's printed 分值 was just read: a 二级 cell with its own may follow
        for index, piece in enumerate(pieces):
            inside = index > 0 and pieces[index - 1].line == piece.line and not pieces[index - 1].label
            closed = index > 0 and pieces[index - 1].atom and not buffer  # a row's figures ended just before it
            # figures, then a label no name starts with (``…2023.12成本指标投入资金``): rows run on in the line, the
            # row before ended with blank cells and the label opens the next group
            after_figures = index > 0 and pieces[index - 1].atom and _certain_level(key(piece.text))
            if (piece.label and self.by_line and inside and not closed and not after_figures
                    and not TABLE_END.match(key(piece.text))):
                # level cells open a row: inside a row, it is a name's word (after a row closed inside a line, a label)
                piece = _Piece(piece.text, piece.line, atom=False)
            if piece.label:
                label = key(piece.text)
                if TABLE_END.match(label):
                    self._close(buffer)
                    return Table(self.rows, Token(piece.text, piece.line), None, True, blocks=self.level.blocks)
                if (
                    LEVEL2.match(previous_label)
                    and not level1_name(previous_label)
                    and not label.endswith("指标")
                    and not buffer
                ):
                    piece = _Piece(
                        piece.text, piece.line, atom=False
                    )  # ``数量指标成本控制``: a name, not a label
                else:
                    self._close(buffer)
                    buffer = []
                    self.level.take(label)
                    previous_label = level_taken = label
                    continue
            following = pieces[index + 1 : index + 2]
            if self.level_weights and level_taken and not buffer and (weight := _level_weight(piece, following)) is not None:
                figure, lent = weight
                if level1_name(level_taken):
                    self.level.weight = Decimal(figure)
                if lent:  # ``成本10人员工资支出``: the unit the figure seemed to carry opens the name
                    pieces[index + 1] = _Piece(lent + following[0].text, following[0].line, atom=False)
                level_taken, level_weighted = "", True
                continue
            level_taken = ""
            if (level_weighted and following and not buffer and not piece.atom and LEVEL2.match(key(piece.text))
                    and _level_weight(following[0], pieces[index + 2 : index + 3]) is not None):
                # ``效益指标30社会效益30提高…``: after a level's printed 分值, a 二级 word with its own 分值
                self.level.take(key(piece.text))
                level_taken, level_weighted = key(piece.text), False
                continue
            level_weighted = False
            if self.flagged and not piece.atom and _FLAG.match(piece.text):
                buffer = []  # a 是/否 cell ends a row: what did not fit before it was a row with blanks
                piece = _Piece(_FLAG.sub("", piece.text), piece.line, atom=False)
            line_start = index == 0 or pieces[index - 1].line != piece.line or pieces[index - 1].label
            line_start = line_start or (self.runs_on and pieces[index - 1].atom)  # a row's figures closed it
            after_level2 = bool(previous_label) and not level1_name(previous_label)  # the row's 二级 cell was printed
            if (
                not buffer
                and (not previous_label or not after_level2)  # after a 一级 label its 二级 cell may follow
                and not piece.atom
                and (bare := self._level2_prefix(piece.text, line_start))
            ):
                self.level.take(key(bare.group(1)))
                piece = _Piece(piece.text[bare.end() :], piece.line, atom=False)
                if (self.by_line or self.runs_on) and line_start and (second := self._level2_prefix(piece.text, line_start, 2)):
                    self.level.take(key(second.group(1)))  # ``项目决策项目目标目标内容``: both level cells
                    piece = _Piece(piece.text[second.end() :], piece.line, atom=False)
                if not piece.text:
                    level_taken = key(bare.group(1))
                    continue
            previous_label = ""
            buffer.append(piece)
            nxt = pieces[index + 1] if index + 1 < len(pieces) else None
            if self.by_line and (nxt is None or nxt.line != piece.line):
                if self._try_row(buffer) or self._line_row(buffer):
                    buffer.clear()
                continue
            if piece.atom:
                if nxt is not None and nxt.atom:
                    continue
                if self._try_row(buffer):
                    buffer.clear()
                elif self.runs_on and nxt is not None and not nxt.atom and self._unit_lent(buffer, nxt):
                    pieces[index + 1] = _Piece(piece.text[-1] + nxt.text, nxt.line, atom=False, label=nxt.label)
                    buffer.clear()
                elif self.runs_on and self._run_row(buffer, nxt):
                    buffer.clear()
        self._close(buffer)
        return Table(self.rows, None, Token(pieces[-1].text, pieces[-1].line) if pieces else None, True,
                     blocks=self.level.blocks)

    def _level2_prefix(self, text: str, line_start: bool, least: int = NAME_CHARS_MIN) -> re.Match[str] | None:
        """A 二级指标 printed at the start of a row, before the name (``数量大组工网络运维费用``).

        In a table read a row per line, any 二级 word of the vocabulary opening a line is the level
        cell, when a name of a few characters follows it; in rows glued one after the other, likewise
        where the previous row's figures ended.
        """
        bare = _BARE_LEVEL2.match(text)
        if bare or not ((self.by_line or self.runs_on) and line_start):
            return bare
        found = _LINE_LEVEL2.match(text)
        return found if found and len(_CJK.findall(text[found.end() :])) >= least else None

    def _unit_lent(self, buffer: list[_Piece], nxt: _Piece) -> bool:
        """``…100%1010家长满意度``: the unit character ending a run's last figure is the next name's first
        character (家长, 件数, 个人) when the figures without it fill every column of a row."""
        last = buffer[-1]
        if nxt.label or len(last.text) < 2 or last.text[-1] not in _UNIT_CHARS or not last.text[-2].isdigit():
            return False
        figure = last.text[:-1]
        if not _opens_name(last.text[-1] + nxt.text) or (figure.isdigit() and not _is_doubled(figure)):
            return False  # a bare figure lends its unit only written twice (``1010家``: 10 | 10), never cut anyhow
        trial = [*buffer[:-1], _Piece(last.text[:-1], last.line, atom=True)]
        if self._line_row(trial, complete=True):
            return True
        count, guessed = len(self.rows), self.cut_guessed
        if self._try_row(trial) and (choice := self.rows[-1].choice) is not None and not choice.broken:
            return True
        del self.rows[count:]  # a reading the arithmetic breaks is no evidence the unit was lent
        self.cut_guessed = guessed
        return False

    def _run_row(self, buffer: list[_Piece], nxt: _Piece | None = None) -> bool:
        """A row of a glued run, ended where its figures end: every column filled, or (doubted, since a name
        may hold figures of its own) with blank cells — when the figures are no range and the text after
        them can open a name (:func:`_opens_name`)."""
        if nxt is not None and buffer[-1].text[-1:].isdigit() and nxt.text[:1] in _UNIT_CHARS and not nxt.label:
            return False  # ``42天访视数``: the figure goes on with its unit, inside the name
        # ``…1000万元10时效1年``: a level word standing alone after the figures is the next group's cell, so the row
        # ends here, its last cells blank (doubted: the cut is a guess)
        level_next = nxt is not None and not nxt.atom and bool(LEVEL2.match(key(nxt.text)))
        if nxt is not None and not nxt.atom and not nxt.label and not _opens_name(nxt.text) and not level_next:
            return self._line_row(buffer, complete=True, cut_guessed=self.by_line)
        written = next((n for n, p in enumerate(reversed(buffer)) if not p.atom), len(buffer))
        ranged = any(p.text[:1] in _RANGE_DASHES for p in buffer[len(buffer) - written :])  # ``0-6岁``: a name's
        # where line ends are row ends, a cut inside a line wants two figures, or one written twice (``44``:
        # 分值 4, 得分 4), not a figure cut anyhow (``985工程``)
        paired = not self.by_line or written >= 2 or (written == 1 and _is_doubled(buffer[-1].text)) or level_next
        # a lone figure after a name ending in its bracketed unit may be the row's one value (``…面积(平方米)5000``),
        # when no reading of two values holds
        alone = written == 1 and _unit_named(buffer[: len(buffer) - written])
        return self._line_row(buffer, complete=True, cut_guessed=self.by_line) or (
            paired and not ranged and (self._line_row(buffer, least=2, cut_guessed=True)
                                       or (alone and self._line_row(buffer, least=1, cut_guessed=True)))
        )

    def _line_row(self, buffer: list[_Piece], complete: bool = False, least: int = 1, cut_guessed: bool = False) -> bool:
        """:meth:`_line_reading`, the row kept."""
        found = self._line_reading(buffer, complete, least, cut_guessed)
        if found is None:
            return False
        self._row(found.name, found.values, [buffer[-1].line] * len(self.pattern), found.choice)
        return True

    def _line_reading(
        self, buffer: list[_Piece], complete: bool = False, least: int = 1, cut_guessed: bool = False
    ) -> _Reading | None:
        """A line that is one row with blank cells: the trailing values, the columns chosen by the arithmetic.

        The values are trailing atoms of the line (the name may end in figures of its own, so every
        number of them is tried), after the usual glue is undone (:func:`_repairs`, and a bare digit
        run cut every way, :func:`splits`), or a text value written twice or qualitative answers
        glued to the name's end (``…情况优秀已完成``); every order-keeping assignment of each to the
        pattern's columns is a reading (:func:`layout_readings`), and the form's arithmetic with the
        layout priors chooses.  An answer cut off the name's end leaves the boundary between name and
        target a guess: such a row is doubted.

        ``complete``: no line end says the row ends here (rows glued one after the other), so only
        readings filling every column of the pattern count — a row with blanks may go on; ``least``: the
        fewest values a reading holds; ``cut_guessed``: where the row ends is a guess, the row is doubted
        when it leaves cells blank, or always inside a line whose end is a row's end.
        """
        k = len(self.pattern)
        candidates: list[tuple[list[_Piece], list[str], bool]] = []  # (name pieces, values, boundary guessed)
        first = len(buffer)
        while first > 1 and (buffer[first - 1].atom or (buffer[first - 1].text in ANSWERS and first < len(buffer))):
            first -= 1
        head = buffer[:first]
        doubled = _doubled("".join(p.text for p in head))
        cut = _answer_tail(head[-1].text) if head and not head[-1].atom else None
        tail = [p.text for p in buffer[first:]]
        if doubled and (len(doubled.group(3)) > 1 or doubled.group(3) in ANSWERS):  # ``…100%覆盖100%覆盖``
            candidates.append(([_Piece(doubled.group(1), head[0].line, atom=False)], [doubled.group(3)] * 2 + tail, False))
        elif cut is not None:
            candidates.append(([*head[:-1], _Piece(cut[0], head[-1].line, atom=False)], [*cut[1], *tail], True))
        candidates += [(buffer[:start], [p.text for p in buffer[start:]], False) for start in range(first, len(buffer))]
        if dated := _dated_target(head):  # ``完成时间2022年12月底已完成``: a date target, then an answer
            candidates.append((dated[0], [*dated[1], *tail], True))
        rows: list[tuple[list[_Piece], dict[Column, str], bool]] = []
        readings: list[dict[str, str]] = []
        evidence: list[float] = []
        for name_pieces, values, guessed in candidates:
            name = "".join(p.text for p in name_pieces)
            if not values or not _CJK.search(name):
                continue
            for option in _value_options(values, k):
                if (complete and len(option) < k) or len(option) < least:
                    continue
                layouts, found, priors = layout_readings(option, self.pattern, name)
                if self.unit_after:  # the arithmetic judges the target with the unit it is printed with
                    found = [_unit_shared_reading(reading) for reading in found]
                rows += [(name_pieces, dict(zip(columns, option, strict=True)), guessed) for columns in layouts]
                readings += found
                cost = settings().priors.glue_cut * (len(option) - len(values))
                if name_pieces and name_pieces[-1].atom:  # a name seldom ends in a figure: it is a value
                    cost += settings().priors.name_ends_in_value
                evidence += [prior - cost for prior in priors]
        choice = choose(readings, evidence)
        if choice is None or ((complete or cut_guessed) and choice.broken):  # no line end vouches for a broken row
            return None
        best = readings.index(choice.reading)
        name_pieces, by_column, guessed = rows[best]
        name = "".join(p.text for p in name_pieces)
        blank = bool({Column.TARGET, Column.ACTUAL} & set(self.pattern) - set(by_column))
        if guessed or (blank and len(_CJK.findall(name)) >= VALUES_IN_NAME):
            # where the name stops and a text value starts is not printed
            choice = replace(choice, broken=(*choice.broken, "name_glued"))
        if cut_guessed and (len(by_column) < k or self.by_line):  # inside a line whose end ends rows
            choice = replace(choice, broken=(*choice.broken, "row_cut"))
        score = consistency(choice.reading) + evidence[best]
        return _Reading(name_pieces, [by_column.get(c, "") for c in self.pattern], choice, score)

    def _try_row(self, buffer: list[_Piece]) -> bool:
        """The trailing pieces of the buffer as the row's values, the rest as its name."""
        k = len(self.pattern)
        for take in range(k, max(0, k - 3), -1):
            if take <= 0 or len(buffer) <= take - 1:
                continue
            tail = _answers_split(buffer[-take:]) if take else []
            # text is a value only as a doubled pair (``是是``): otherwise it is part of a name
            if any(not p.atom and not _is_doubled(p.text) for p in tail[1:]):
                continue
            filled = (
                None
                if not tail[0].atom and not _is_doubled(tail[0].text)
                else _fill([p.text for p in tail], self.pattern)
            )
            head = buffer[:-take]
            if filled is None and tail and not tail[0].atom and (doubled := _doubled(tail[0].text)):
                filled = _fill([doubled.group(3)] * 2 + [p.text for p in tail[1:]], self.pattern)
                head = [*head, _Piece(doubled.group(1), tail[0].line, atom=False)]
            values, choice = filled if filled else (None, None)
            if values is None and self.headerless and not (head and head[-1].atom):
                # a target and a weight only, not the last two of more figures (``25TB25TB10``: the name
                # would end in the first of them)
                values = _target_and_weight([p.text for p in tail], self.pattern)
            if values is None or not head:
                continue
            self._row(head, values, [tail[min(i, len(tail) - 1)].line for i in range(k)], choice)
            return True
        return False

    def _answered(self, buffer: list[_Piece]) -> bool:
        """``保障率100%无没有轮换、动用库存``: a target, a one-word actual, then the reason."""
        if len(buffer) < 3 or self.pattern != [Column.TARGET, Column.ACTUAL]:
            return False
        name, target, rest = buffer[-3:]
        word = next((w for w in ANSWERS if rest.text.startswith(w)), None)
        if name.atom or not target.atom or rest.atom or word is None:
            return False
        self._row([*buffer[:-3], name], [target.text, word], [target.line, rest.line])
        self.rows[-1].reason = [rest.text[len(word) :]]
        return True


# --- block evidence: text values that recur across a table's rows -------------------------------------------

#: A text ending at least this many of a table's glued names, right before their figures, is a value cell.
RECURRING_ROWS = 2
#: The fewest characters of such a text, unless it is an answer word of the vocabulary (良好, 有效).
RECURRING_CHARS = 4
RECURRING_CHARS_MAX = 20  # a repeated value cell is short (``达成预期指标``); longer tails are names, and costly


def _recurring_tail(names: list[str], known: list[str]) -> str | None:
    """The text ending the most ``names`` (the longest of those, each name keeping a name before it); None when
    none recurs.  A form repeats its qualitative cells (``达成预期指标``), not its names:
    a text ending a ``known`` name (a row whose values were read apart: ``梨树种植面积``) is a name's words."""
    counts: Counter[str] = Counter()
    for name in names:
        tails = {name[-n:] for n in range(2, min(len(name), RECURRING_CHARS_MAX) + 1)
                 if len(_CJK.findall(name[:-n])) >= NAME_CHARS_MIN}
        counts.update(t for t in tails if (len(t) >= RECURRING_CHARS or t in ANSWERS) and t[:1] not in _GOES_ON)
    found = [(count, len(tail), tail) for tail, count in counts.items()
             if count >= RECURRING_ROWS and not any(name.endswith(tail) for name in known)]
    if not found:
        return None
    return max(found)[2]


def _glued_values(rows: list[Row], pattern: list[Column]) -> None:
    """Rows whose text target and actual stayed glued to the name (no figure marks where they start): a text
    ending several such names of the table is their 实际完成值, and one ending several names left so their
    年度指标值 (``…影响程度效果明显达成预期指标10``).  The boundary stays a guess: the rows stay doubted."""
    columns = [c for c in (Column.ACTUAL, Column.TARGET) if c in pattern]
    open_rows = [r for r in rows if r.choice is not None and "name_glued" in r.choice.broken
                 and not {Column.TARGET, Column.ACTUAL} & set(r.values)]
    waiting_ids = {id(r) for r in open_rows}
    known = [r.name for r in rows if id(r) not in waiting_ids]
    for column in columns:
        taken: list[Row] = []
        waiting = list(open_rows)
        while (tail := _recurring_tail([r.name for r in waiting], known)) is not None:
            for row in [r for r in waiting if r.name.endswith(tail)]:
                row.name = row.name[: -len(tail)]
                row.values[column] = tail
                row.lines[column.name] = row.lines.get("name", 0)
                waiting.remove(row)
                taken.append(row)
        open_rows = taken  # a target is looked for only where the actual after it was found


_FUNDS_ROW = re.compile("|".join(map(re.escape, FUNDS_ROW_WORDS)))


def _table_start(text: str, lines: list[int], glued: bool) -> int | None:
    """Where a table without its header starts: its first level-1 label, else, in a glued text, the line after
    the funds block's rows (a table printing no level labels; text with separators is left to the readers
    that know its cells)."""
    first = next((m for m in _SPLIT.finditer(text) if level1_name(key(m.group()))), None)
    if first is not None:
        return first.start()
    last_funds_row = None if not glued else max((m.start() for m in _FUNDS_ROW.finditer(text)), default=None)
    if last_funds_row is None:
        return None
    after = _after_funds_rows(text)
    if after is not None and lines[after] == lines[last_funds_row]:
        return after  # the page on one line: the table starts where the funds rows' figures end
    return next((n for n in range(last_funds_row, len(text)) if lines[n] > lines[last_funds_row]), None)


#: The funds rows' figures glued after their labels (``年度资金总额1076%7.6``): amounts, a rate, a score.
_FUNDS_FIGURES = re.compile(r"[\d.%％]*")


def _after_funds_rows(text: str) -> int | None:
    """Where the funds rows (the total, then its 其中 rows, each a label and its figures) end in a glued text,
    when text that can open a name follows them; None when no such place is found."""
    first = _FUNDS_ROW.search(text)
    if first is None:
        return None
    at = first.start()
    while (row := _FUNDS_ROW.match(text, at)) is not None:
        figures = _FUNDS_FIGURES.match(text, row.end())
        at = figures.end() if figures else row.end()
    return at if at < len(text) and _opens_name(text[at : at + 12]) else None


#: A text whose longest line holds this share of its characters is a page on one line (its cells' separators
#: tell no rows apart: the table starts where the funds rows' figures end, as in a glued page).
ONE_LINE_SHARE = 0.5


def on_one_line(tokens: list[Token]) -> bool:
    """Most of the text's characters stand on one line (a page scraped whole)."""
    sizes: Counter[int] = Counter()
    for token in tokens:
        sizes[token.line] += len(token.text)
    return bool(sizes) and max(sizes.values()) >= ONE_LINE_SHARE * sum(sizes.values())


def read_headerless(tokens: list[Token]) -> Table | None:
    """A fragment whose header is lost: read from where its table starts (:func:`_table_start`), columns guessed."""
    text, lines = _joined(tokens)
    start = _table_start(text, lines, is_glued(tokens) or on_one_line(tokens))
    if start is None:
        return None
    reader = _GluedReader([Column.TARGET, Column.ACTUAL, Column.WEIGHT, Column.SCORE], headerless=True)
    reader.by_line = rows_per_line(tokens, ROW_LINE_CHARS)
    reader.runs_on = True
    lex = _lex_lines if reader.by_line else _lex
    table = reader.read(lex(text[start:], lines[start:]))
    table.header_found = False
    return table if table.rows else None


def read_glued(tokens: list[Token]) -> Table | None:
    """Read the indicator table of a glued text, or None if it has no indicator header."""
    text, lines = _joined(tokens)
    name = _HEADER_NAME.search(text)
    if not name:
        return None
    body = next(
        (
            m
            for m in _SPLIT.finditer(text, name.end())
            if column_of(key(m.group())) is None and not key(m.group()).endswith("级指标")
        ),
        None,
    )
    header_end = body.start() if body else len(text)
    columns, columns_end = _columns(text, name.start())
    header_end = min(header_end, max(columns_end, name.end()))
    pattern = [c for c in columns if c not in TEXT_COLUMNS and c not in OFTEN_BLANK] or [
        Column.TARGET,
        Column.ACTUAL,
    ]
    if Column.TARGET not in pattern and Column.VALUE in columns:
        pattern.insert(0, Column.TARGET)
    reader = _GluedReader(
        pattern,
        described=Column.MEASURE in columns or Column.NATURE in columns,
        flagged=Column.CORE in columns,
    )
    at = {column: n for n, column in enumerate(columns)}
    reader.unit_after = Column.MEASURE in at and Column.ACTUAL in at and at[Column.MEASURE] > at[Column.ACTUAL]
    values_at = [at[c] for c in (Column.VALUE, Column.TARGET, Column.ACTUAL) if c in at]
    reader.unit_named = Column.MEASURE not in at or not values_at or at[Column.MEASURE] < min(values_at)
    reader.by_line = rows_per_line(tokens, ROW_LINE_CHARS)
    reader.runs_on = True
    reader.level_weights = bool(_LEVEL_WEIGHT_HEAD.search(key(text[max(0, name.start() - LEVEL_HEAD_CHARS) : name.start()])))
    table = reader.read(_lex_lines(text[header_end:], lines[header_end:]) if reader.by_line else _lex(text[header_end:], lines[header_end:]))
    _glued_values(table.rows, pattern)
    if table.end is None and tokens:
        table.last = tokens[-1]
    return table
