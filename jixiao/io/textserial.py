"""The 序号 (serial number) column of an indicator table, found and dropped before the rows are read.

Many forms print a 序号 column (``1``, ``2.``, ``（3）`` a row, sometimes afresh in each 一级 group) before the
level cells or between them and the name.  It holds no field; left in, it is read as a name, shifts a row's
cells, or glues onto the name (``数量指标1培训人数…``).  A single small number before a name proves nothing
(a name may start with one, a 分值 may stand before the next row's name), so the evidence is the sequence:
numbers before names that run 1, 2, 3 … over at least ``SERIAL_RUN_MIN`` rows (any run under a 序号 header), a
row's cells between them; where the rows have lines of their own each opens its line (after the level cells at
most).  Numbers that do not run in sequence are left where they are, for the readers and their constraints to
judge (they doubt what stays unsure).  The passes run before the text is repaired and again on its tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .textlabels import FOOTER_LABELS, SCORE_TOTAL_LABELS, SUBTOTAL_LABELS, SUM_ROW_LABELS, is_level, key
from .textscan import UNITS, Token, is_glued_row, is_value, tokenize
from .vocabulary import vocabulary

#: The shortest run of serials in sequence taken as a 序号 column (two in a row happen by chance).
SERIAL_RUN_MIN = 3
#: Filled cells or words between two serials: a row (a name and its values), not a numbered list of prose.
ROW_CELLS_MIN = 2
#: Labels of the rows that end the table or a block (总分, 合计, 小计, 联系人): the last figure before one is a
#: row's cell, never a serial.
_END_LABELS = tuple(key(w) for w in (*SCORE_TOTAL_LABELS, *SUM_ROW_LABELS, *SUBTOTAL_LABELS, *FOOTER_LABELS))
#: A level label's last piece when the label broke at a space (``群众满意度 指标``).
_LABEL_PIECES = frozenset({"指标"})
#: Headers that name the serial column (the vocabulary's ``serial`` role).
SERIAL_HEADS = frozenset(key(w) for w in vocabulary()["indicator_columns"]["serial"])
#: A serial as printed: ``1``, ``1.``, ``1、``, ``（1）``.
_SERIAL = r"(?:(\d{1,3})[.．、]?|[(（](\d{1,3})[)）])"
#: A serial as a cell of its own.
_SERIAL_CELL = re.compile(rf"^{_SERIAL}$")
#: A serial glued before a name at the start of a glued row (what follows must be a character of a name).
_SERIAL_GLUED = re.compile(rf"{_SERIAL}(?=[\u4e00-\u9fff《“\"(（★☆●◆■▲※])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
LEVEL_LABEL_CHARS_MAX = 16  # the longest level label (``社会公众或服务对象满意度指标``), as the row reader's


@dataclass(frozen=True)
class _Candidate:
    """A number that may be a serial: where it stands (token or line index) and its value."""

    at: int
    value: int


def _value(match: re.Match[str]) -> int:
    return int(match.group(1) or match.group(2))


def _points(following: str) -> bool:
    """``1 分;``, ``2 分,缺一项扣``: a number of points in a scoring description (a name never starts with 分)."""
    return following.startswith("分")


def _runs(candidates: list[_Candidate], evidence: list[bool], run_min: int = SERIAL_RUN_MIN) -> set[int]:
    """The places of the candidates that run in sequence from 1: chains 1, 2, 3 … of at least ``SERIAL_RUN_MIN``
    and, once such a chain is seen, shorter chains from 1 outside it (a 序号 numbered afresh per group).  Figures
    that happen to rise (分值 2, 3, 4 before the next rows' names) rarely start at 1.
    ``evidence[k]``: a row's cells stand between candidate k and the next (a numbered prose list holds none).
    ``run_min``: the shortest run taken (1 under a 序号 header: the header names the column)."""
    chains: list[list[int]] = []  # indices into candidates
    for k, candidate in enumerate(candidates):
        # the longest chain it continues (a figure before a level label may open a chain of its own); a chain
        # goes on over one serial missing (a serial equal to the 得分 before it is left out at first)
        open_chain = max((c for c in chains if 0 < candidate.value - candidates[c[-1]].value <= 2
                          and evidence[c[-1]]), key=lambda c: (candidate.value - candidates[c[-1]].value == 1, len(c)),
                         default=None)
        if open_chain is not None:
            open_chain.append(k)
        else:
            chains.append([k])
    from_one = [c for c in chains if candidates[c[0]].value == 1 and all(evidence[k] for k in c[:-1])]
    long = [c for c in from_one if len(c) >= run_min]
    if not long:
        return set()
    last = max(c[-1] for c in long)
    spans = [range(c[0], c[-1] + 1) for c in long]  # inside a run a 1 before a name is a figure, not a restart
    restarts = []
    for c in sorted((c for c in from_one if len(c) < run_min), key=lambda c: c[0]):
        # a group numbered afresh right after the run, or after such a group (效益 1, 2, then 满意度 1)
        if c[0] <= last + 1 and not any(k in span for k in c for span in spans):
            restarts.append(c)
            last = max(last, c[-1])
    return {candidates[k].at for c in (*long, *restarts) for k in c}


def _serials(tokens: list[Token]) -> set[int]:
    """The indices of the tokens that are serials: cells before names running in sequence from row to row.

    Where the rows have lines of their own a serial opens its line, after the level cells at most; where a line
    holds several rows (a page on one line) it follows the previous row's figures."""
    found: list[_Candidate] = []
    for n, token in enumerate(tokens):
        if (m := _SERIAL_CELL.match(token.text)) is None:
            continue
        following = next((t for t in tokens[n + 1 : n + 4] if t.text), None)
        if following is not None and _CJK.search(following.text) and not is_value(following.text) \
                and not _points(following.text) and _value(m) > 0 \
                and not following.key.startswith(_END_LABELS):
            found.append(_Candidate(n, _value(m)))
    per_line = Counter(tokens[c.at].line for c in found)
    headed = any(t.key in SERIAL_HEADS for t in tokens)
    # inside a line of several rows, a bare number with no 序号 header may as well be a 分值 or 得分 (a weight-first
    # table prints one before the next row's name): only ``1.``, ``（1）`` say serial there
    strong = [c for c in found if _opens_row(tokens, c.at)
              or (per_line[tokens[c.at].line] > 1 and not _score_pair(tokens, c)
                  and (headed or not tokens[c.at].text.isdigit()))]
    weak = [c for c in found if c not in strong and per_line[tokens[c.at].line] > 1]
    serials = _runs(strong, _evidence(tokens, strong), 1 if headed else SERIAL_RUN_MIN)
    if not serials:
        return serials
    # a figure repeating the one before it is still the serial where it fills the hole in a run (… 1 … 3 …)
    value_at = {c.at: c.value for c in strong if c.at in serials}
    kept = sorted(value_at)
    for a, b in pairwise(kept):
        if value_at[b] == value_at[a] + 2:
            serials |= {c.at for c in weak if a < c.at < b and c.value == value_at[a] + 1}
    return serials


def _evidence(tokens: list[Token], candidates: list[_Candidate]) -> list[bool]:
    """Per candidate: a row's cells stand between it and the next one."""
    return [sum(1 for t in tokens[a.at + 1 : b.at] if t.text) >= ROW_CELLS_MIN
            for a, b in pairwise(candidates)] + [True]


def _score_pair(tokens: list[Token], candidate: _Candidate) -> bool:
    """The candidate repeats the figure before it: an 得分 equal to its 分值 (``… 2 2 开展…``), likelier than a
    serial equal to the 得分 before it."""
    at = candidate.at
    before = next((t for t in reversed(tokens[max(0, at - 3) : at]) if t.text), None)
    return before is not None and before.text == tokens[at].text  # ``1.``, ``（1）`` are printed unlike a score


def _opens_row(tokens: list[Token], n: int) -> bool:
    """Only blank cells and level labels stand before token ``n`` on its line, and its row goes on there (a
    text of one cell a line tells nothing by its lines)."""
    line = tokens[n].line
    before = [t for t in tokens[max(0, n - 8) : n] if t.line == line]
    return n + 1 < len(tokens) and tokens[n + 1].line == line and all(
        not t.text or is_level(t.key) or t.key in _LABEL_PIECES for t in before)


def drop_serial_cells(tokens: list[Token]) -> list[Token]:
    """The tokens without the 序号 header cell and the serial cells that run in sequence before names."""
    serials = _serials(tokens)
    if not serials:
        return tokens
    return [t for n, t in enumerate(tokens) if n not in serials and t.key not in SERIAL_HEADS]


def drop_serial_words(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines without their serial cells or words and the 序号 header (as :func:`drop_serial_cells`), before
    the text is repaired: a table printed on one line is cut into rows by its cells' kinds, and a serial
    left in would read as a cell of its own."""
    tokens = tokenize(lines)
    serials = _serials(tokens)
    if not serials:
        return lines
    dropped: dict[int, set[int]] = {}  # line number → indices of its tokens to drop
    place_in_line: dict[int, int] = {}
    for n, token in enumerate(tokens):
        at = place_in_line[token.line] = place_in_line.get(token.line, -1) + 1
        if n in serials or token.key in SERIAL_HEADS:
            dropped.setdefault(token.line, set()).add(at)
    return [(number, _without(text, dropped[number]) if number in dropped else text) for number, text in lines]


def _without(text: str, indices: set[int]) -> str:
    """The line without its cells (``|``-separated) or words at ``indices``, the rest as printed: a word goes
    with the space after it, so the blank cells around it keep their width."""
    if "|" in text:
        return "|".join(p for n, p in enumerate(text.split("|")) if n not in indices)
    out, at = [], 0
    for n, word in enumerate(re.finditer(r"\S+\s?", text)):
        if n in indices:
            out.append(text[at : word.start()])
            at = word.end()
    return "".join(out) + text[at:]


_FIGURE_END = re.compile(r"\d[)）]?$")


def _levels_prefix(text: str) -> int:
    """The length of the (up to two) level labels a glued row starts with (``产出指标数量``), 0 when none."""
    at = 0
    for _ in range(2):
        # a label never ends in a figure: ``成本指标（4）`` is the label, then the serial
        found = next((n for n in range(min(len(text) - at - 1, LEVEL_LABEL_CHARS_MAX), 1, -1)
                      if is_level(key(text[at : at + n])) and not _FIGURE_END.search(text[at : at + n])), None)
        if found is None:
            break
        at += found
    return at


#: A serial column's header word inside a glued header line (``一级指标二级指标序号三级指标…``).
_SERIAL_HEAD_WORD = re.compile("|".join(map(re.escape, vocabulary()["indicator_columns"]["serial"])))
_NAME_HEADS = tuple(key(w) for w in vocabulary()["indicator_columns"]["name"])


def _glued_head(text: str) -> bool:
    """A glued indicator header holding a 序号 (``一级指标二级指标序号三级指标…``)."""
    label = key(text)
    return " " not in text.strip() and bool(_SERIAL_HEAD_WORD.search(label)) and any(h in label for h in _NAME_HEADS)


#: A serial glued onto the digits that open a name or its first figure (``15000吨稻谷…``: serial 1, then
#: ``5000吨``): which of the leading digits are the serial only the sequence of the rows around it says.
_SERIAL_DIGITS = re.compile(r"(\d{1,3})(?=\d)")
#: Spaces a glued row may hold inside its name (a cell broken at a space: ``…纳入医 保统筹100%100%1515``).
NAME_SPACES_MAX = 2


def _glued_rest(rest: str) -> bool:
    """What follows a glued serial is a glued row, its name broken at a space or two at most."""
    return rest.count(" ") <= NAME_SPACES_MAX and is_glued_row(rest.replace(" ", ""))


def _digit_prefixes(text: str, at: int) -> list[tuple[int, int]]:
    """The serial values a digit run glued before a row's first figure may hold (``15000…`` → 1, 15, 150),
    with where each ends."""
    m = _SERIAL_DIGITS.match(text, at)
    if m is None:
        return []
    digits = text[at : m.end() + 1]
    return [(int(digits[:n]), at + n) for n in range(1, min(3, len(digits) - 1) + 1) if digits[0] != "0"]


def _continues(value: int, before: _Candidate | None, after: _Candidate | None) -> bool:
    """``value`` follows the serial before it (or opens the sequence) and leads to the one after it, if any; or it
    restarts the numbering (1) just before a 2."""
    follows = value == (before.value + 1 if before else 1) and (after is None or after.value == value + 1)
    return follows or (value == 1 and after is not None and after.value == 2)


def _sequence_filled(candidates: list[_Candidate], ambiguous: dict[int, list[tuple[int, int]]],
                     spans: dict[int, tuple[int, int]], framed: frozenset[int] = frozenset()) -> list[_Candidate]:
    """The candidates with the lines whose serial is glued onto digits (:func:`_digit_prefixes`) where one of its
    readings continues the sequence: one more than the serial before it (or 1 when none is), one less than the
    serial after it.  A line in ``framed`` (its row shows fewer figures than a glued row: ``11政策性…100%无``,
    ``14粮食储备设备维护及安全性高高``) is taken only between two serials it continues on both sides."""
    found = {c.at: c for c in candidates}
    places = sorted(found)  # the lines holding a serial so far: a line's neighbours found by bisection, not a scan
    for n, options in sorted(ambiguous.items()):
        k = bisect_left(places, n)
        before = found[places[k - 1]] if k else None
        after = found[places[k]] if k < len(places) else None
        if n in framed and (before is None or after is None):
            continue
        fits = [(value, end) for value, end in options if _continues(value, before, after)]
        if fits:
            value, end = fits[0]
            found[n] = _Candidate(n, value)
            places.insert(k, n)
            spans[n] = (spans[n][0], end)
    return sorted(found.values(), key=lambda c: c.at)


def drop_glued_serials(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines with the serials glued before the names of glued rows (a row a line: ``2开展…13个12个10.5``,
    ``产出指标数量1大组工网络运维费用1个1个22``) taken out, where they run in sequence from row to row."""
    candidates: list[_Candidate] = []
    ambiguous: dict[int, list[tuple[int, int]]] = {}
    framed: set[int] = set()
    spans: dict[int, tuple[int, int]] = {}
    bare = False  # a serial printed as a bare number (``2开展…``), not ``1.``, ``2、``, ``（3）``
    for n, (_, text) in enumerate(lines):
        stripped = text.strip()
        if not stripped:
            continue
        at = _levels_prefix(stripped)
        m = _SERIAL_GLUED.match(stripped, at)
        if m is not None and _value(m) > 0 and _glued_rest(stripped[m.end():]) and not _points(stripped[m.end():]):
            candidates.append(_Candidate(n, _value(m)))
            spans[n] = (m.start(), m.end())
            bare = bare or m.group().isdigit()
        elif (options := _digit_prefixes(stripped, at)) and _glued_rest(stripped[at:]):
            ambiguous[n] = options
            spans[n] = (at, at)
            bare = True
        elif m is not None and _value(m) > 0 and stripped[m.end():].count(" ") <= NAME_SPACES_MAX \
                and not _points(stripped[m.end():]):
            ambiguous[n], spans[n] = [(_value(m), m.end())], (m.start(), m.end())
            framed.add(n)
            bare = bare or m.group().isdigit()
    candidates = _sequence_filled(candidates, ambiguous, spans, frozenset(framed))
    head = next((n for n, (_, text) in enumerate(lines) if _glued_head(text)), None)
    # a header naming the column, or every serial punctuated as a list's (``1.``, ``（2）``: no name opens so) and
    # one after a level label (in the indicator table, not a numbered list of goals)
    named = head is not None or (not bare and any(spans[c.at][0] > 0 for c in candidates))
    serials = _runs(candidates, [True] * len(candidates), 1 if named else SERIAL_RUN_MIN)
    if not serials:
        return lines
    out = list(lines)
    if head is not None:  # the header's 序号 goes with its column
        number, text = lines[head]
        out[head] = (number, _SERIAL_HEAD_WORD.sub("", text, count=1))
    for n in serials:
        number, text = lines[n]
        start, end = spans[n]
        stripped = text.strip()
        out[n] = (number, stripped[:start] + stripped[end:])
    return out


#: A serial where a page glued on one line runs from a row's figures into the next row's name (``…92%222.基础…``:
#: 分值 2, 得分 2, serial 2): the digit run before the name (which of its last digits are the serial the sequence
#: says), its printed mark; or a bracketed serial (``…22（2）开展…``: a bracket after figures opens no name). The
#: digit run is taken whole (``(?<!\d)``): tried from each of its digits, a long run of figures costs its square.
_PAGE_SERIAL = re.compile(r"(?<!\d)(\d+)([.．、]?)(?=[\u4e00-\u9fff《“\"★☆●◆■▲※])|[(（](\d{1,3})[)）](?=[\u4e00-\u9fff《“\"(（])")
#: The indicator header glued into a page line with its 序号 column next to the names' (``…二级指标序号三级指标…``).
_PAGE_HEAD = re.compile(
    "(?:" + "|".join(map(re.escape, vocabulary()["indicator_columns"]["serial"])) + ")(?=三级指标|指标名称)"
    "|(?<=三级指标)(?:" + "|".join(map(re.escape, vocabulary()["indicator_columns"]["serial"])) + ")")
#: What a row's figures may end with before the next name: a unit (``38508人``) is the figure's, not a name.
_UNIT_START = re.compile("|".join(re.escape(u) for u in UNITS if re.match(r"[\u4e00-\u9fff]", u)))


def _page_serials(text: str, start: int) -> list[tuple[int, int]]:
    """The spans of the serials in a page line from ``start`` on: at each place where digits run into a name, the
    serial the sequence expects next (1, 2, 3 …, or 1 again after a level label) if the digits end with it."""
    spans: list[tuple[int, int]] = []
    expected = 1
    for m in _PAGE_SERIAL.finditer(text, start):
        if m.group(3) is not None:
            value, begin = int(m.group(3)), m.start()
        elif _UNIT_START.match(text, m.end(1)) and not m.group(2):
            continue  # ``38508人``: a figure and its unit
        else:
            digits = m.group(1)
            fitting = [n for n in range(1, min(3, len(digits)) + 1) if int(digits[-n:]) in (expected, 1)
                       and digits[-n] != "0"]
            if not fitting:
                continue
            n = max(fitting, key=lambda k: int(digits[-k:]) == expected)
            value, begin = int(digits[-n:]), m.end(1) - n
        if value == expected or (value == 1 and _after_label(text[:begin])):
            spans.append((begin, m.end()))
            expected = value + 1
    return spans


def _after_label(before: str) -> bool:
    """The text before a serial ends with a level label (a 一级 group numbered afresh)."""
    return any(is_level(key(before[-n:])) for n in range(2, min(len(before), LEVEL_LABEL_CHARS_MAX) + 1))


def drop_page_serials(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A page glued on one line (its rows one after the other, no separator) without its 序号 header word and the
    serials that run in sequence between one row's figures and the next row's name."""
    out = list(lines)
    for n, (number, text) in enumerate(lines):
        head = _PAGE_HEAD.search(text)
        if head is None:
            continue
        spans = _page_serials(text, head.end())
        if len(spans) < SERIAL_RUN_MIN:
            continue
        kept, at = [], 0
        for begin, end in [(head.start(), head.end()), *spans]:
            kept.append(text[at:begin])
            at = end
        out[n] = (number, "".join(kept) + text[at:])
    return out


__all__ = ["SERIAL_HEADS", "drop_glued_serials", "drop_page_serials", "drop_serial_cells", "drop_serial_words"]
