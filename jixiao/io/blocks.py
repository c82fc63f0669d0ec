"""The form's own sums across rows as constraints, and the doubts they raise (表块约束).

A row can be read right and the form still disagree with itself: the 分值 of a 一级 block's rows add
up to the block's printed 分值 (``产出指标(50分)``), the indicators' 分值 and the execution 分值 add up
to 100, the 得分 to the declared 总分, the 执行率 is 全年执行数 / 全年预算数, and the 其中 rows add up
to the total row.  Each rule is a small pure function returning a verdict (+1 holds, 0 cannot be
judged, −1 broken) like the row constraints of :mod:`.constraints`.  A broken block rule puts the
fields that could explain it in doubt (import note ``I20`` with their paths) when its weight in
``constraints.toml`` reaches the doubt threshold — real forms break their own arithmetic too (the
auditor reports that), so the weights say how often a break is a misreading rather than the form.

The form's shape is a constraint as well: a form has a unit, a year, a funds block; a project form
has a 项目名称; a complete text has a 总分.  A field the reader found no value for is said (``I21``),
so that a missing value is never silently missing.  Both readers (text and grid) call
:func:`form_doubts` on the form they built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..audit import covers
from ..model import Form, FundRow, Indicator, Location
from ..scoring import score_execution
from .constraints import Verdict, number, profiles, settings
from .misread import head_doubts
from .notes import ImportNote

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LevelBlock:
    """A 一级 block as printed: its name, its printed 分值, the indicator rows under it, and whether it ended.

    A block the text cut off (its last row may be missing) cannot be summed: ``closed`` is False.
    """

    level: str
    printed: Decimal
    members: tuple[int, ...]
    closed: bool
    where: Location | None = None  # where the block starts (its notes say it; else the reader's place)


@dataclass(frozen=True)
class Extent:
    """How much of the form the text holds: its head (单位, 资金情况 …) and its end (the 总分 row).

    A text that starts mid-table has no head to read; one cut before the end leaves its sums unjudged.
    ``sums``: whether a failing sum may be the reader's doing.  Cells read exactly (xlsx, xls, docx) with
    nothing left unplaced hold what the unit wrote, so a sum that fails there is the unit's own error, for
    the auditor to report, and no import doubt.
    """

    head: bool
    end: bool
    sums: bool = True
    #: whether ``end`` False is known (a grid's rows stop) rather than guessed from end words (text), which
    #: a form may print in words no end rule knows
    end_known: bool = True


# --- the block constraints (表块约束) -------------------------------------------------------------


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def level_sum(weights: Sequence[Decimal | None], printed: Decimal) -> Verdict:
    """The 分值 of a block's rows add up to the block's printed 分值."""
    total = _sum(weights)
    return 0 if total is None else (1 if total == printed else -1)


def weights_total(weights: Sequence[Decimal | None], funds_weight: Decimal | None) -> Verdict:
    """The indicators' 分值, with the execution 分值, add up to 100 (a whole table only).

    Forms whose indicators carry all 100 points (the central transfer-payment form, Sichuan's) print
    the execution 分值 apart: their indicators alone add up to 100.
    """
    total = _sum(weights)
    if total is None or not weights:
        return 0
    return 1 if HUNDRED in (total + (funds_weight or 0), total) else -1


def scores_total(scores: Sequence[Decimal | None], funds_score: Decimal | None, declared: Decimal | None) -> Verdict:
    """The 得分 of the rows, with the execution 得分 or alone, add up to the declared 总分 (within rounding)."""
    total = _sum(scores)
    if total is None or declared is None or not scores:
        return 0
    tolerance = Decimal(str(settings().blocks.score_rounding))
    return 1 if min(abs(total + (funds_score or 0) - declared), abs(total - declared)) <= tolerance else -1


def percents(rate: str | None) -> tuple[Decimal, ...]:
    """What a printed 执行率 may mean, in percent: ``86.19%`` → 86.19; a bare ``0.958`` under a (%)
    header or as a fraction → 95.8 or 0.958; no number → nothing to judge."""
    text = (rate or "").strip()
    value = number(text.rstrip("%").strip())
    if value is None:
        return ()
    return (value,) if text.endswith("%") else (value, value * HUNDRED)


def execution_rate(budget: Decimal | None, executed: Decimal | None, rate: str | None) -> Verdict:
    """执行率 = 全年执行数 / 全年预算数, within the rounding of the printed rate."""
    printed = percents(rate)
    if not printed or budget is None or executed is None:
        return 0
    if budget == 0:
        return 1 if executed == 0 else -1
    tolerance = Decimal(str(settings().blocks.rate_tolerance))
    return 1 if any(abs(executed / budget * HUNDRED - p) <= tolerance for p in printed) else -1


def funds_points(weight: Decimal | None, score: Decimal | None) -> Verdict:
    """The execution 分值 is a round share below 100 (room for the indicators); its 得分 does not exceed it.

    A 分值 with two decimals (``1.96``) is an amount of money read in the wrong column.
    """
    if weight is not None and (weight >= HUNDRED or weight != weight.quantize(Decimal("0.1"))):
        return -1
    if weight is not None and score is not None:
        return 1 if score <= weight else -1
    return 0


def funds_formula(form: Form) -> Verdict:
    """The execution 得分 is what a shipped profile's policy gives for the form's 执行率 (B/A, or the printed
    rate without amounts): the funds row's own formula, as :func:`jixiao.io.constraints.formula` is a row's."""
    declared = form.funds.score_declared
    if declared is None:
        return 0
    rounding = Decimal(str(settings().blocks.score_rounding))
    return 1 if any(abs(score_execution(form, profile).score - declared) <= rounding for profile in profiles()) else -1


def subrows_sum(total: FundRow, rows: Sequence[FundRow]) -> Verdict:
    """The 其中 rows (当年财政拨款, 上年结转, 其他资金) add up to the total row, column by column."""
    verdicts = []
    for column in ("initial", "budget", "executed"):
        parts = [getattr(row, column) for row in rows]
        whole = getattr(total, column)
        if whole is None or not parts or any(p is None for p in parts):
            continue
        verdicts.append(1 if sum(parts) == whole else -1)
    return min(verdicts, default=0)


# --- doubts -----------------------------------------------------------------------------------------


def _breaks(name: str) -> bool:
    """Whether a broken rule of this name is worth a doubt (its weight reaches the threshold)."""
    blocks = settings().blocks
    return float(getattr(blocks, name)) >= blocks.doubt_threshold


def _note(message: str, path: str, where: Location | None) -> ImportNote:
    return ImportNote("I20", message + "，请核对原表", where, path=path)


def level_doubts(form: Form, blocks: Sequence[LevelBlock], where: Location | None = None) -> list[ImportNote]:
    """I20 on the rows of a closed 一级 block whose 分值 do not add up to its printed 分值.

    Too little points at a row the reader lost or a 分值 misread (the whole rows are doubted, names
    included); too much at a 分值 misread (the 分值 are doubted).
    """
    notes: list[ImportNote] = []
    if not _breaks("level_sum"):
        return notes
    for block in blocks:
        weights = [form.indicators[n].weight for n in block.members]
        if not block.closed or level_sum(weights, block.printed) >= 0:
            continue
        total = _sum(weights)
        assert total is not None
        message = f"「{block.level}」各指标分值合计 {total}，与所印的 {block.printed} 分不符"
        at = block.where or where
        if total < block.printed:  # a row lost: the list is incomplete, or a 分值 misread
            notes.append(_note(message + "，可能漏读了指标行或分值读错", "indicators", at))
        else:
            notes += [_note(message + "，分值可能读错", f"indicators[{n}].weight", at) for n in block.members]
    return notes


def total_doubts(form: Form, complete: bool, where: Location | None = None) -> list[ImportNote]:
    """I20 where the whole table's sums fail: the 分值 against 100, the 得分 against the declared 总分."""
    notes = []
    weights = [i.weight for i in form.indicators]
    # a double-weight form (河北: 单项指标得分 × 权重占比 = 折算得分) adds up its 折算得分, not its 分值
    double = any(i.weight_share is not None for i in form.indicators)
    scores = [i.score_converted if double else i.score_declared for i in form.indicators]
    if complete and not double and _breaks("weights_total") and weights_total(weights, form.funds.weight) < 0:
        total = _sum(weights)
        assert total is not None
        message = f"各指标分值合计 {total}（加资金执行分值 {form.funds.weight or 0}）不等于 100"
        if total + (form.funds.weight or 0) < HUNDRED:  # too little: a row lost (the whole list is doubted)
            notes.append(_note(message + "，可能漏读了指标行", "indicators", where))
        else:
            notes += [_note(message + "，分值可能读错", f"indicators[{n}].weight", where)
                      for n in range(len(form.indicators))]
    if complete and _breaks("scores_total") and scores_total(scores, form.funds.score_declared, form.total_declared) < 0:
        got = f"各项得分合计 {_sum(scores)}（加资金执行得分 {form.funds.score_declared or 0}）"
        notes.append(_note(f"{got}与总分 {form.total_declared} 不符，总分或某项得分可能读错", "total_declared", where))
        listed = any(note.path == "indicators" for note in notes)
        if not listed and _short(scores, form.funds.score_declared, form.total_declared):  # too little: a row lost
            notes.append(ImportNote("I25", f"{got}少于总分 {form.total_declared}，可能漏读了指标行，请核对原表", where,
                                    path="indicators"))
    return notes


def _short(scores: Sequence[Decimal | None], funds_score: Decimal | None, declared: Decimal | None) -> bool:
    """The 得分 read, with the execution 得分, fall short of the declared 总分 (the sum is judged already)."""
    total = _sum(scores)
    return total is not None and declared is not None and total + (funds_score or 0) < declared


def funds_doubts(form: Form, where: Location | None = None) -> list[ImportNote]:
    """I20 where the funds block disagrees with itself: 执行率, execution points and their formula, 其中 rows."""
    funds, notes = form.funds, []
    total = funds.total
    if total is not None and _breaks("execution_rate") and execution_rate(
        total.budget, total.executed, funds.rate_declared
    ) < 0:
        notes.append(_note(f"执行率 {funds.rate_declared} 与全年执行数 {total.executed} / 全年预算数 {total.budget} "
                           "不符，预算数或执行数可能读错（列错位）", "funds.rows[0]", where))
        notes.append(_note(f"执行率 {funds.rate_declared} 与预算数、执行数不符", "funds.rate_declared", where))
    if funds.rate_declared and not any(c.isdigit() for c in funds.rate_declared):
        notes.append(_note(f"执行率「{funds.rate_declared}」中没有数字，资金各列可能错位", "funds", where))
    if _breaks("funds_points") and funds_points(funds.weight, funds.score_declared) < 0:
        got = f"资金执行分值 {funds.weight}" + (f"、得分 {funds.score_declared}" if funds.score_declared is not None else "")
        notes.append(_note(f"{got}不合常理（分值应小于 100，得分不超过分值），可能读错（列错位）", "funds.weight", where))
        notes.append(_note("资金执行得分可能读错", "funds.score_declared", where))
    elif _breaks("funds_formula") and funds_formula(form) < 0:
        notes.append(_note(f"资金执行得分 {funds.score_declared} 不是任何评分规则按执行率算得的分数，得分或执行率可能读错",
                           "funds.score_declared", where))
    subs = funds.rows[1:]
    if total is not None and _breaks("subrows_sum") and subrows_sum(total, subs) < 0:
        notes.append(_note("「其中」各行之和与年度资金总额不符，资金行可能读错", "funds.rows", where))
    return notes


#: Fields every form has, by kind, with their Chinese names (the form's shape as a constraint).
EXPECTED = (("unit", "单位名称"), ("year", "年度"))
EXPECTED_PROJECT = (("project", "项目名称"),)


def unread_doubts(
    form: Form, extent: Extent, funds_columns: frozenset[str] = frozenset(), where: Location | None = None
) -> list[ImportNote]:
    """I21 for a field the form has but the reader found no value for (never a silent gap).

    ``extent``: whether the text holds the form's end (the 总分), and whether a missing end is known or only
    guessed; ``funds_columns``: the funds header's numeric columns (a column printed but not read is said).
    A field is said missing whatever the reader thought of the text's extent: one taken as starting
    mid-table may print its head where no head rule looks, one taken as cut off its 总分 in words no end
    rule knows.
    """
    why = "未能读出总分" if extent.end or not form.indicators else "文本似在总分之前中断，未读出总分"
    # with no row read, nothing is known of the table's end either: its 总分 is as unread as its rows
    said = not form.indicators or extent.end or not extent.end_known
    notes = [ImportNote("I21", f"{why}，请补填或核对原表", where, path="total_declared")
             ] if form.total_declared is None and said else []
    if not form.indicators:
        notes.append(ImportNote("I21", "未能读出任何绩效指标行，请核对原表", where, path="indicators"))
    expected = EXPECTED + (EXPECTED_PROJECT if form.kind == "project" else ())
    notes += [ImportNote("I21", f"未能读出{label}，请补填或核对原表", where, path=path)
              for path, label in expected if getattr(form, path) in (None, "")]
    total = form.funds.total
    if total is None or all(v is None for v in (total.initial, total.budget, total.executed)):
        notes.append(ImportNote("I21", "未能读出资金情况（年度资金总额各列），请补填或核对原表", where, path="funds"))
        return notes
    for column, label in (("budget", "全年预算数"), ("executed", "全年执行数")):
        if getattr(total, column) is None:
            notes.append(ImportNote("I21", f"未能读出年度资金总额的{label}，请核对原表", where,
                                    path=f"funds.rows[0].{column}"))
    for column, path, label in (("weight", "funds.weight", "资金执行分值"), ("score", "funds.score_declared", "资金执行得分"),
                                ("rate", "funds.rate_declared", "执行率")):
        field = path.split(".")[1]
        if column in funds_columns and getattr(form.funds, field) in (None, ""):
            notes.append(ImportNote("I21", f"表头有{label}一列，但未能读出其值，请核对原表", where, path=path))
    return notes


#: Indicator fields a header column promises, with their Chinese names.
ROW_FIELDS = (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"), ("score_declared", "得分"))


def unread_cells(form: Form, columns: frozenset[str], where: Location | None = None) -> list[ImportNote]:
    """I21 for an indicator row with no value in a column its header prints and nearly every row fills.

    ``columns``: the indicator fields the table's header has a column for.  A column many rows leave
    blank is blank on the form (one 得分 per group, unscored sub-rows); a row nearly alone without a
    value lost it.  A column filled once per group (:func:`grouped_blanks`) is a layout: it is said
    once (I26), and only its blank cells that no group explains get an I21.
    """
    notes = []
    rows = form.indicators
    for field, label in ROW_FIELDS:
        filled = [_filled(row, field) for row in rows]
        if field not in columns or sum(filled) < settings().blocks.unread_share * len(rows):
            continue
        grouped = grouped_blanks(rows, field)
        if len(grouped) >= GROUPED_MIN:
            notes.append(ImportNote("I26", f"{label}一列按组填写（一组只有一行填写），其余 {len(grouped)} 行该列空白，"
                                           "属表格版式，未逐行提示", where, severity="info"))
        else:
            grouped = set()
        notes += [ImportNote("I21", f"第{n + 1}个指标「{rows[n].name}」的{label}未能读出，请核对原表", where,
                             path=f"indicators[{n}].{field}")
                  for n, has in enumerate(filled) if not has and n not in grouped]
    return notes


GROUPED_MIN = 2  # this many blank cells a group explains: the column is filled once per group


def _filled(row: Indicator, field: str) -> bool:
    return getattr(row, field) not in (None, "")


def grouped_blanks(rows: Sequence[Indicator], field: str) -> set[int]:
    """The rows blank in ``field`` because their group prints it once (按组填写的空白单元格).

    Within one 二级 group, two layouts: a sub-row with its values but no points, below a row that has
    the column filled (``其中`` rows of a scored row, one 得分 per group); and a head row with the group's
    points but no values, above rows that have the values and no points.  A row blank in one cell of a
    pair only (得分 without 分值, a target without its actual) lost that cell: it is never counted.
    """
    points = field in ("weight", "score_declared")
    own, other = (("target", "actual"), ("weight", "score_declared")) if points else (
        ("weight", "score_declared"), ("target", "actual"))

    def group(n: int) -> tuple[str | None, str | None]:
        return rows[n].level1, rows[n].level2

    def carries(n: int, fields: tuple[str, str]) -> bool:
        return all(_filled(rows[n], name) for name in fields)

    blanks = set()
    for n in range(len(rows)):
        if any(_filled(rows[n], name) for name in other) or not carries(n, own):
            continue  # blank beside its filled pair, or a row without its own pair: a cell lost, not laid out
        same = [k for k in range(len(rows)) if k != n and group(k) == group(n) and _filled(rows[k], field)]
        if points and any(k < n for k in same):
            blanks.add(n)  # under the scored row of its group
        elif not points and (below := next((k for k in same if k > n), None)) is not None and not any(
                _filled(rows[below], name) for name in own):
            blanks.add(n)  # the head of its group: the values are on the rows below, without points
    return blanks


def form_doubts(
    form: Form,
    blocks: Sequence[LevelBlock] = (),
    extent: Extent = Extent(head=True, end=False),
    funds_columns: frozenset[str] = frozenset(),
    indicator_columns: frozenset[str] = frozenset(),
    where: Location | None = None,
    known: Sequence[ImportNote] = (),
) -> list[ImportNote]:
    """Every doubt the block constraints and the form's shape raise on a form just read.

    ``known``: the reader's own notes; a field they already say was not read gets no second note.
    """
    unread = [n for n in unread_doubts(form, extent, funds_columns, where) + unread_cells(form, indicator_columns, where)
              if not any(k.path and n.path and covers(k.path, n.path) for k in known)]
    complete = extent.head and extent.end and extent.sums
    return level_doubts(form, blocks, where) + total_doubts(form, complete, where) + funds_doubts(
        form, where) + head_doubts(form) + unread


def layout_doubt(form: Form, notes: Sequence[ImportNote]) -> list[ImportNote]:
    """I20 on the whole list when most of its rows are in doubt as a whole: the table's layout was not
    recognised, so rows may be lost between them too (a parent path covers them)."""
    rows = len(form.indicators)
    whole = {note.path for note in notes if note.path and note.path.startswith("indicators[") and "." not in note.path}
    if not rows or "indicators" in {note.path for note in notes} or len(whole) <= settings().blocks.misaligned_share * rows:
        return []
    location = next((note.location for note in notes if note.path in whole), None)
    return [_note(f"{len(whole)}/{rows} 个指标行的读数可能错位，未能识别该表的版式，整张指标表存疑", "indicators", location)]
