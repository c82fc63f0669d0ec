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
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .textlabels import FOOTER_LABELS, SCORE_TOTAL_LABELS, SUBTOTAL_LABELS, SUM_ROW_LABELS, is_level, key
from .textscan import Token, is_glued_row, is_value, tokenize
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
_SERIAL_GLUED = re.compile(rf"{_SERIAL}(?=[\u4e00-\u9fff《“\"(（★☆●※])")  # a mark may open a name (``★补助…``)
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
    for c in sorted(from_one, key=lambda c: c[0]):  # each restart right after a run or the restart before it
        if len(c) < run_min and c[0] <= last + 1 and not any(k in span for k in c for span in spans):
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


#: A label's key ignores a bracketed figure after it: ``满意度指标（5）`` is the label, then the serial (5), unless
#: the figure is the level's points (``产出指标（50分）``).
_SERIAL_END = re.compile(r"(?:\d|[(（]\d{1,3}[)）])$")


def _levels_prefix(text: str) -> int:
    """The length of the (up to two) level labels a glued row starts with (``产出指标数量``), 0 when none."""
    at = 0
    for _ in range(2):
        found = next((n for n in range(min(len(text) - at - 1, LEVEL_LABEL_CHARS_MAX), 1, -1)
                      if is_level(key(text[at : at + n])) and not _SERIAL_END.search(text[at : at + n])), None)
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


def drop_glued_serials(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines with the serials glued before the names of glued rows (a row a line: ``2开展…13个12个10.5``,
    ``产出指标数量1大组工网络运维费用1个1个22``) taken out, where they run in sequence from row to row."""
    candidates: list[_Candidate] = []
    weak: list[_Candidate] = []  # a serial before a row holding no figure (``14粮食储备…安全性高高``)
    spans: dict[int, tuple[int, int]] = {}
    bare = False  # a serial printed as a bare number (``2开展…``), not ``1.``, ``2、``, ``（3）``
    for n, (_, text) in enumerate(lines):
        stripped = _glued_line(text)
        if stripped is None:
            continue
        at = _levels_prefix(stripped)
        m = _SERIAL_GLUED.match(stripped, at)
        if m is None or _value(m) == 0 or _points(stripped[m.end():]):
            continue
        (candidates if is_glued_row(stripped[m.end():]) else weak).append(_Candidate(n, _value(m)))
        spans[n] = (m.start(), m.end())
        bare = bare or m.group().isdigit()
    candidates = _first_before_figure(lines, candidates, spans)
    head = next((n for n, (_, text) in enumerate(lines) if _glued_head(text)), None)
    # a header naming the column, or every serial punctuated as a list's (``1.``, ``（2）``: no name opens so) and
    # one after a level label (in the indicator table, not a numbered list of goals)
    named = head is not None or (not bare and any(spans[c.at][0] > 0 for c in candidates))
    serials = _runs(candidates, [True] * len(candidates), 1 if named else SERIAL_RUN_MIN)
    if not serials:
        return lines
    serials |= _holes_filled(lines, candidates, serials, weak)
    out = list(lines)
    if head is not None:  # the header's 序号 goes with its column
        number, text = lines[head]
        out[head] = (number, _SERIAL_HEAD_WORD.sub("", text, count=1))
    for n in serials:
        number, text = lines[n]
        start, end = spans[n]
        stripped = text.strip()
        printed = [k for k, c in enumerate(stripped) if c != " "]  # the glued line's characters in the printed one
        out[n] = (number, stripped[: printed[start]] + stripped[printed[end - 1] + 1 :])
    return out


def _holes_filled(lines: list[tuple[int, str]], candidates: list[_Candidate], serials: set[int],
                  weak: list[_Candidate]) -> set[int]:
    """The weak candidates (a row without figures after them) that are the run's missing serial: the line of a
    hole (… 10 … 12 …) or the one right after the run's last row holding its next number."""
    value_at = {c.at: c.value for c in candidates if c.at in serials}
    kept = sorted(value_at)
    found = {c.at for a, b in pairwise(kept) if value_at[b] == value_at[a] + 2
             for c in weak if a < c.at < b and c.value == value_at[a] + 1}
    last = kept[-1]
    after = next((n for n in range(last + 1, len(lines)) if lines[n][1].strip()), None)
    found |= {c.at for c in weak if c.at == after and c.value == value_at[last] + 1}
    return found


def _first_before_figure(lines: list[tuple[int, str]], candidates: list[_Candidate],
                         spans: dict[int, tuple[int, int]]) -> list[_Candidate]:
    """The candidates, with the serial 1 glued before a name that opens with a figure (``15000吨稻谷…``: 1, then
    ``5000吨稻谷…``) where the glued row right before a 2 starts with a 1 and a digit: only the run that follows
    tells it from a figure (the run's evidence is weighed by :func:`_runs` as for any other serial)."""
    out = list(candidates)
    for candidate in candidates:
        if candidate.value != 2:
            continue
        before = next((n for n in range(candidate.at - 1, -1, -1) if lines[n][1].strip()), None)
        if before is None or before in spans or (stripped := _glued_line(lines[before][1])) is None:
            continue
        at = _levels_prefix(stripped)
        if stripped[at : at + 2][:1] == "1" and stripped[at + 1 : at + 2].isdigit() and is_glued_row(stripped[at + 1 :]):
            out.append(_Candidate(before, 1))
            spans[before] = (at, at + 1)
    return sorted(out, key=lambda c: c.at)


#: A space inside a glued row where a wrapped cell broke (``医 保统筹``, ``满意度 指标``): between two Chinese characters.
_WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _glued_line(text: str) -> str | None:
    """The line as one glued word, its wrapped cells' spaces taken out; None when a space separates its cells."""
    stripped = text.strip()
    glued = _WRAP_SPACE.sub("", stripped)
    return glued if glued and " " not in glued else None


__all__ = ["SERIAL_HEADS", "drop_glued_serials", "drop_serial_cells", "drop_serial_words"]
