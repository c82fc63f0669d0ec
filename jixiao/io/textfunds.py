"""The funds block (项目资金 / 预算执行情况) of a text form.

The total row's figures follow its label (``年度资金总额``) in column order, but cells go
missing (an empty 年初预算数 prints nothing), get glued together by OCR
(``202010100.00%10`` = 20 | 20 | 10 | 100.00% | 10) or come after the header in a
scrambled order.  The figures are therefore *aligned* to the header columns: every way of
cutting glued runs and of leaving columns empty is scored for plausibility (the 执行率
is a percentage equal to 执行数/预算数, the 分值 is a round weight, the 得分 is at most the
分值) and the best one wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, islice

from .textscan import amount, is_blank, label_re, labels_re, splits
from .vocabulary import contained_roles, vocabulary

#: The total row's labels and the words opening the block (vocabulary ``[funds_block]``).
TOTAL_LABELS: list[str] = vocabulary()["funds_block"]["total"]
START_LABELS: list[str] = vocabulary()["funds_block"]["start"]

# Column labels of the vocabulary, most specific first; ``None`` marks group headings that are not columns.
_COLUMN_WORDS: list[tuple[str, str | None]] = [
    (word, None if role == "group" else role) for word, role in contained_roles("funds_columns")
]
_COLUMN_RE = re.compile("|".join(f"(?P<c{i}>{label_re(w)})" for i, (w, _) in enumerate(_COLUMN_WORDS)))
# ``得分(20分*执行率)`` names the weight inside the score heading.
_SCORE_FORMULA = re.compile(r"^\s*[(（]\s*(\d+)\s*分\s*[*×]\s*执行率\s*[)）]")
_PERCENT_RATE = re.compile(label_re("执行率") + r"\s*[(（]\s*%\s*[)）]")  # ``执行率(%)``: bare rates are percentages
_BLOCK_WEIGHT = re.compile(r"[(（]\s*(\d+)\s*分\s*[)）]")
_VALUE = r"(?:\d[\d.,%]*(?:\s*(?:%|万元|元|万|分))?|[-—–/]+)"  # glued runs (``194.9194.9100%``) stay one
_RUN = re.compile(rf"(?:[\s|:：]*{_VALUE})+")
_SUBROW = re.compile(
    r"[\s|]*(?:其中\s*[:：]?\s*)?(?P<label>[\u4e00-\u9fff、，\s]{2,16}?(?:资金|拨款|支出|补助))"
)

_FIGURE = re.compile(r"\d")
_COLUMNS = vocabulary()["indicator_columns"]
#: The indicator table's header (一级指标 / 三级指标 / 指标名称): the funds block has ended there.
_TABLE_HEAD = re.compile(labels_re([*_COLUMNS["level1"], *_COLUMNS["level2"], *_COLUMNS["name"]]))
_HEAD_MARKS = re.compile(r"(?:\s*[(（][^()（）\d]{0,8}[)）])+")  # ``(A)``, ``（B/A）``, ``(%)``, ``（万元）`` after a heading
_PAIR_FIGURE = re.compile(r"[\s|:：]*(\d[\d.,]*(?:\s*%)?|[-—–/])(?![\d.])")
_EMPTY_CELL = re.compile(r"[\s|:：]*")
_DIGIT_DASH = re.compile(r"[\d%][-—–/]|[-—–/]\d")  # a dash glued to a figure: cells printed with no separator
_DASH_OR_FIGURES = re.compile(r"[-—–/]|[^-—–/]+")
#: Figures glued together show it: a ``%`` inside (``202010100.00%10``) or two decimal points.
_GLUED = re.compile(r"%.|\..*\.")
#: A row's only figure, this long: several figures glued with no sign between (``8808808801010``).
_LONG_RUN = re.compile(r"(?:\d{5,16}|\d{3,12}\.\d{1,6})(?:\s*%)?")  # longer: no row of figures, and costly to cut
MONEY = ("initial", "budget", "executed")
CUT_COST = 0.3
#: A glued run's cut that ranks less than this above another cut with other figures is a guess (I20 on funds).
NARROW_CUT = 2.0
BARE_RATE_MIN = 10  # a rate printed without % is a percentage from here (``100`` under 执行率(%))
COMMON_WEIGHTS = {Decimal(n) for n in (5, 10, 15, 20, 25, 30)}
#: Funds headings this close (characters between) are one header; a header names this many columns at least.
DENSE_GAP, DENSE_ROLES = 12, 3
#: The runs of funds headings tried, the first ones (a form prints its funds header once, or again after a page
#: break): each is an alignment to rank, and a long text of headings must not cost one per run.
DENSE_RUNS_MAX = 4
#: A total row read after its own label (年度资金总额) wins over one read after the headings, all else equal.
LABEL_BONUS = 1.0
FOLLOW_GAP = 0  # characters (beyond spaces and cell borders) between headings and the figures they head
PERCENT_ELSEWHERE = 3.0  # what a figure with ``%`` under any column but 执行率 costs a reading


@dataclass
class FundsRead:
    """What was read of the funds block: figures by column, and where (text offsets)."""

    total: dict[str, str | None]
    rows: list[tuple[str, dict[str, str | None], int]]
    weight: Decimal | None
    offset: int
    #: the total row's figures run on into more figures than it has columns, with no label between (a page on
    #: one line whose indicator header was lost): where the row ends is a guess
    runs_on: bool = False
    #: the total row's figures were glued and another cut of them, giving other figures, is nearly as plausible
    narrow_cut: bool = False


def _columns(header: str) -> tuple[list[str], Decimal | None]:
    """Column kinds in the order the header names them, and a weight named in a score heading."""
    found: list[str] = []
    weight = None
    for m in _COLUMN_RE.finditer(header):
        kind = _kind(m)
        if kind is None:
            continue
        if kind == "score" and (f := _SCORE_FORMULA.match(header, m.end())):
            weight = Decimal(f.group(1))
        if kind not in found or kind == "text":
            found.append(kind)
    return found, weight


def _values(run: str) -> list[str]:
    values: list[str] = []
    tokens = [t for t in re.split(r"[\s|:：]+", run) if t]
    for value in _dashes_apart(tokens) if any(map(_DIGIT_DASH.search, tokens)) else tokens:
        if value == "%" and values:  # ``100 %``: the sign printed apart still belongs to its number
            values[-1] += value
        elif value:
            values.append(value)
    return values


def _dashes_apart(tokens: list[str]) -> list[str]:
    """Glued cells with dashes among them (``238.9325.8910100.00%-``, ``0//10100%10``, ``---1076%7.6``): each
    dash a blank cell of its own, the figures between them a run to cut."""
    return [part for token in tokens for part in _DASH_OR_FIGURES.findall(token)]


def plausibility(assigned: dict[str, str | None], percent_header: bool = False) -> float:
    """How plausible one assignment of figures to columns is; ``percent_header``: the rate column is
    headed ``执行率(%)``, so a bare number there is the percentage it says (``86.48``)."""
    score = 0.0
    rate = assigned.get("rate")
    if rate is not None:
        marked = rate.endswith("%") or (percent_header and amount(rate) is not None)
        score += 3 if marked else (0 if amount(rate) == 0 else -2)  # nothing spent: "0"
    # a rate printed without its sign counts as a percentage when the sums agree: ``95.8`` under a
    # (%) header, or the fraction ``0.958``
    bare = amount(rate) if rate and not rate.endswith("%") else None
    percent = amount(rate.rstrip("% ")) if rate and rate.endswith("%") else None
    if bare is not None and bare >= BARE_RATE_MIN:
        percent = bare
    elif bare is not None and 0 < bare <= 1 and "." in (rate or ""):
        percent = bare * 100
    weight = amount(assigned.get("weight"))
    if weight is not None:
        score += 2 if weight in COMMON_WEIGHTS else (-5 if weight > 100 or weight == 0 else -0.5)
    points = amount(assigned.get("score"))
    if points is not None and weight is not None:
        score += 1 if points <= weight else -3
    # only the rate is a percentage: a ``%`` under 预算数/执行数/分值/得分 is the rate, or a figure of another table
    score -= PERCENT_ELSEWHERE * sum(1 for column, value in assigned.items() if column != "rate" and (value or "").endswith("%"))
    budget, executed = amount(assigned.get("budget")), amount(assigned.get("executed"))
    if budget is not None and budget == amount(assigned.get("initial")):
        score += 0.5  # most budgets are not adjusted during the year
    if budget and executed is not None:
        score += 0.5 if executed <= budget else 0
        if percent is not None and (percent == 0) == (executed == 0):  # 0% only when nothing was spent
            agrees = abs(executed / budget * 100 - percent) <= _rounding(percent)
            score += (2 if bare is not None and not percent_header else 4) if agrees else -1  # a bare rate: weaker
        elif percent is not None:
            score -= 2
    if percent is not None and weight and points is not None:  # 得分 = 分值 × 执行率 (capped at full marks)
        score += 2 if abs(weight * min(percent, Decimal(100)) / 100 - points) <= _rounding(points) else 0
    return score


def _odd_cents(assigned: dict[str, str | None]) -> int:
    """Amounts cut out of a glued run with more than two decimals: each one a reason to doubt the cut."""
    return 2 * sum(1 for column in MONEY if "." in (v := assigned.get(column) or "") and len(v.split(".")[1]) > 2)


def _rounding(printed: Decimal) -> Decimal:
    """How far a printed figure may be from the exact one: half its last place, and a cent for the sums."""
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5) / Decimal(10) ** (places + 1) + Decimal("0.01")


def _candidates(values: list[str], slots: int, glued: bool = False) -> Iterator[list[str]]:
    """The values as read, then with one glued token cut into several numbers; ``glued``: the row's cells were
    printed with no separator (dashes among its figures), so a long figure may be several."""
    yield values
    if len(values) >= slots:
        return
    for index, value in enumerate(values):
        if _GLUED.search(value) or ((glued or len(values) == 1) and _LONG_RUN.fullmatch(value)):
            for cents in (True, False):  # amounts printed with cents first: their cuts are few
                for parts in range(2, slots - len(values) + 2):
                    for pieces in splits(value.replace(" ", ""), parts, cents):
                        if cents or any(len(p.split(".")[-1]) > 2 for p in pieces if "." in p):  # once each
                            yield values[:index] + pieces + values[index + 1 :]


def _prefixes(values: list[str], slots: int) -> Iterator[list[str]]:
    """The figures that belong to the total row: a flattened sheet runs on into the 其中 rows."""
    longest = min(len(values), slots)
    for length in range(longest, max(0, longest - 3), -1):
        yield values[:length]


def align(values: list[str], columns: list[str], percent_header: bool = False) -> dict[str, str | None]:
    """Assign read figures to the numeric columns, leaving the least plausible ones empty."""
    return aligned(values, columns, percent_header)[0]


def aligned(values: list[str], columns: list[str], percent_header: bool = False) -> tuple[dict[str, str | None], bool]:
    """:func:`align`, and whether a glued run's cut won narrowly: another cut, giving other figures, ranks
    within :data:`NARROW_CUT` of it (``300259.4586.5%``: 259.45 with no 分值, or 259.4 and 分值 5)."""
    assigned, narrow, _ = ranked_alignment(values, columns, percent_header)
    return assigned, narrow


def ranked_alignment(values: list[str], columns: list[str], percent_header: bool = False, glued: bool = False
                     ) -> tuple[dict[str, str | None], bool, float]:
    """:func:`aligned`, and the winning assignment's rank (its plausibility, less what cutting and dropping cost);
    ``glued``: as :func:`_candidates`."""
    numeric = [c for c in columns if c != "text"]
    ranked: list[tuple[float, dict[str, str | None], bool]] = []  # (rank, assignment, made by cutting a glued run)
    for read in _candidates(values, len(numeric), glued):
        # a run cut into pieces is cut to the row's figures: no piece is left over for the next row
        for candidate in _prefixes(read, len(numeric)) if len(read) <= len(values) else [read]:
            for dropped in combinations(range(len(numeric)), len(numeric) - len(candidate)):
                kept = iter(candidate)
                assigned = {c: (None if i in dropped else next(kept)) for i, c in enumerate(numeric)}
                _initial_a_as_budget(assigned)
                rank = (
                    plausibility(_figures(assigned), percent_header)  # a dash is a blank cell, not a figure
                    + 0.001 * sum(dropped)
                    - CUT_COST * max(0, len(read) - len(values))  # fewer cuts of a glued run are likelier
                    - _odd_cents(assigned) * (len(read) > len(values))
                    - (2 if len(read) > len(values) else 0.01 if len(read) > len(numeric) else 1)
                    * (len(read) - len(candidate))
                )
                ranked.append((rank, assigned, len(read) > len(values)))
    if not ranked:
        return {}, False, float("-inf")
    top, best, cut = max(ranked, key=lambda r: r[0])  # the first of equal ranks, as before
    chosen = _figures(best)
    rivals = (rank for rank, assigned, by_cut in ranked if (by_cut or cut) and _figures(assigned) != chosen)
    narrow = top - max(rivals, default=top - NARROW_CUT - 1) < NARROW_CUT
    return {k: (None if is_blank(v) else v) for k, v in best.items()}, narrow, top


def _figures(assigned: dict[str, str | None]) -> dict[str, str | None]:
    return {k: v for k, v in assigned.items() if not is_blank(v)}


@dataclass(frozen=True)
class _Anchor:
    """Where the total row's figures may start: after its label, or after the column headings."""

    at: re.Match[str]  # the label or the last heading; the figures follow it
    head_from: int  # where the headings naming the columns start
    bonus: float = 0.0  # a total row's own label is the likelier place, all else equal
    #: how far after the headings the figures may start (None: anywhere in the window): headings that are
    #: not the row's own label must be followed by the figures at once, not by another table's
    follow: int | None = None


def _header_end(text: str) -> re.Match[str] | None:
    """Without a total-row label the figures follow the column headings (``…执行率得分(分)O76%107.6``)."""
    for start in re.finditer(labels_re(START_LABELS), text):
        heads = _contiguous(text, list(_COLUMN_RE.finditer(text, start.end(), start.end() + 120)))
        if len(heads) >= 3:
            return _after_points(text, heads[-1])
    return None


def _contiguous(text: str, heads: list[re.Match[str]]) -> list[re.Match[str]]:
    """The headings up to the first figure between two of them: the ones after it head another table
    (the indicator table's 分值 | 得分 under a funds row printed without its label)."""
    for n in range(1, len(heads)):
        if _FIGURE.search(text, heads[n - 1].end(), heads[n].start()):
            return heads[:n]
    return heads


def _after_points(text: str, head: re.Match[str]) -> re.Match[str]:
    return re.compile(r"[(（]\s*分\s*[)）]|").match(text, head.end()) or head


def _kind(head: re.Match[str]) -> str | None:
    """The column a heading matched by :data:`_COLUMN_RE` names (None: a group heading)."""
    return next(_COLUMN_WORDS[int(name[1:])][1] for name, value in head.groupdict().items() if value)


def _dense_headers(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Runs of funds headings side by side anywhere (a funds header whose block label is far from it, or
    printed after it): at least :data:`DENSE_ROLES` columns, one of them an amount; (start, last heading)."""
    run: list[re.Match[str]] = []
    for head in [*_COLUMN_RE.finditer(text), None]:
        if head is not None and run and head.start() - run[-1].end() <= DENSE_GAP:
            run.append(head)
            continue
        kinds = {_kind(h) for h in run} - {None, "text"}
        if len(kinds) >= DENSE_ROLES and kinds & {"initial", "initial_a", "budget", "executed"}:
            yield run[0].start(), _after_points(text, run[-1])
        run = [head] if head is not None else []


def _anchors(text: str) -> Iterator[_Anchor]:
    """The places the total row may start, the likeliest first: its label (年度资金总额), the end of the headings
    after the block's label (项目资金 年初预算数 …), the end of any run of funds headings."""
    total = re.search(labels_re(TOTAL_LABELS) + r"\s*[:：]?", text) or re.search(r"(?<![\u4e00-\u9fff])总额", text)
    if total:
        yield _Anchor(total, _block_start(text, total.start()), LABEL_BONUS)
    if end := _header_end(text):  # without a label, as before: the figures anywhere after the headings
        yield _Anchor(end, _block_start(text, end.start()), follow=FOLLOW_GAP if total else None)
    for first, last in islice(_dense_headers(text), DENSE_RUNS_MAX):
        yield _Anchor(last, first, follow=FOLLOW_GAP)


def _block_start(text: str, before: int) -> int:
    starts = list(re.finditer(labels_re(START_LABELS), text[:before]))
    return starts[-1].start() if starts else max(0, before - 200)


def headings(text: str) -> list[tuple[str, int, int]]:
    """The funds column headings printed anywhere in ``text``: (column kind, start, end), group headings left out."""
    return [(kind, h.start(), h.end()) for h in _COLUMN_RE.finditer(text) if (kind := _kind(h)) not in (None, "text")]


def header_places(text: str) -> tuple[bool, bool]:
    """Whether the funds headings follow the block's label (项目资金 年初预算数 …), and whether they stand anywhere
    as a dense run: the two places :func:`read_funds` looks for a total row printed without its label."""
    return _header_end(text) is not None, next(_dense_headers(text), None) is not None


def read_funds(text: str) -> FundsRead | None:
    """Find the total row and its 其中 rows in the flat text of a form: at every place the row may start, the
    figures aligned to the columns, and the most plausible reading kept (the label's on a tie); the block read
    as heading–figure pairs competes on the same plausibility."""
    best: tuple[float, FundsRead] | None = None
    for read in (*(_read_at(text, anchor) for anchor in _anchors(text)), _read_pairs(text)):
        if read is not None and (best is None or read[0] > best[0]):
            best = read
    return best[1] if best else None


def _pair_value(text: str, head: re.Match[str]) -> tuple[str | None, int] | None:
    """The figure printed right after a funds heading (its column marks ``(A)``, ``(%)`` skipped), or None for a
    cell left empty (the next heading follows at once); no pair when anything else follows."""
    end = _HEAD_MARKS.match(text, head.end())
    at = end.end() if end else head.end()
    if value := _PAIR_FIGURE.match(text, at):
        return value.group(1), value.end()
    gap = _EMPTY_CELL.match(text, at)
    return (None, at) if gap and _COLUMN_RE.match(text, gap.end()) else None


def _pair_runs(text: str) -> Iterator[list[tuple[str, str | None, int, int]]]:
    """Runs of funds headings each followed by its own figure (a funds table read column by column, or printed
    as label–value pairs): (column kind, figure or None, heading start, figure end) per heading."""
    run: list[tuple[str, str | None, int, int]] = []
    for head in [*_COLUMN_RE.finditer(text), None]:
        kind = _kind(head) if head is not None else None
        pair = _pair_value(text, head) if head is not None and kind not in (None, "text") else None
        if head is not None and kind is None:
            continue  # a group heading (年度预算数) over the pairs
        adjacent = run and head is not None and head.start() - run[-1][3] <= DENSE_GAP
        if pair is not None and kind is not None and head is not None and (not run or adjacent):
            run.append((kind, pair[0], head.start(), pair[1]))
            continue
        if run:
            yield run
        run = [(kind, pair[0], head.start(), pair[1])] if pair is not None and kind and head is not None else []


def _initial_a_as_budget(assigned: dict[str, str | None]) -> None:
    """年初预算数(A) is the budget the rate divides by: its figure is the initial budget and the budget both."""
    if "initial_a" in assigned:
        assigned["budget"] = assigned["initial"] = assigned.pop("initial_a")


def _block_weight(text: str, start: int, end: int) -> Decimal | None:
    """The points the block's label prints between ``start`` and ``end`` (``项目资金（万元）（10分）``)."""
    block = _BLOCK_WEIGHT.search(text, start, end)
    return Decimal(block.group(1)) if block else None


def _read_pairs(text: str) -> tuple[float, FundsRead] | None:
    """The funds block printed as heading–figure pairs (``年初预算数100全年预算数120全年执行数110.5分值10…``):
    each figure is its heading's, so nothing is aligned; the first run naming :data:`DENSE_ROLES` columns, one an
    amount, with figures in most of them."""
    for run in _pair_runs(text):
        kinds = [kind for kind, *_ in run]
        figures = [value for _, value, *_ in run if value is not None]
        if (len(set(kinds)) < DENSE_ROLES or len(set(kinds)) < len(kinds) or not set(kinds) & set(MONEY)
                or len(figures) < DENSE_ROLES or 2 * len(figures) < len(run)):
            continue
        total: dict[str, str | None] = {kind: (None if is_blank(value) else value) for kind, value, *_ in run}
        _initial_a_as_budget(total)
        weight = _block_weight(text, _block_start(text, run[0][2]), run[0][2])
        return plausibility(total) + LABEL_BONUS, FundsRead(total, [], weight, run[0][2])
    return None


def _read_at(text: str, anchor: _Anchor) -> tuple[float, FundsRead] | None:
    """The funds block read with its total row's figures after ``anchor``, and how plausible the reading is."""
    total, head_from = anchor.at, anchor.head_from
    table = _TABLE_HEAD.search(text, total.end(), total.end() + 300)  # the row's figures come before the table
    run = next(
        (
            m
            for m in _RUN.finditer(text, total.end(), table.start() if table else total.end() + 300)
            if len(_values(m.group())) >= 2 or re.search(r"\d{4,}|%\d|\d\.\d+\.\d", m.group())
        ),
        None,
    )
    if run is None or (anchor.follow is not None and len(text[total.end() : run.start()].strip(" |:：")) > anchor.follow):
        return None
    columns, formula_weight = _columns(
        text[head_from : total.start()] + " " + text[total.end() : run.start()]
    )
    if not columns:
        return None
    percent_header = bool(_PERCENT_RATE.search(text[head_from : run.start()]))
    weight = formula_weight or _block_weight(text, head_from, total.start())
    rows = []
    position = run.end()
    while sub := _SUBROW.match(text, position):
        sub_run = _RUN.match(text, sub.end())
        values = _values(sub_run.group()) if sub_run else []
        rows.append((re.sub(r"\s+", "", sub.group("label")), align(values, columns, percent_header),
                     sub.start("label")))
        position = sub_run.end() if sub_run else sub.end()
    figures = _values(run.group())
    runs_on = not rows and len(figures) > len([c for c in columns if c != "text"]) and not any(map(_GLUED.search, figures))
    glued = bool(_DIGIT_DASH.search(run.group())) and not re.search(r"\d[\s|]+\d", run.group())
    figures_read, narrow, rank = ranked_alignment(figures, columns, percent_header, glued)
    return rank + anchor.bonus, FundsRead(figures_read, rows, weight, total.start(), runs_on, narrow and not runs_on)
