"""The official form as a grid of (merged) cells, shared by the xlsx and PDF writers.

:func:`build_sheet` lays a :class:`~jixiao.model.Form` out in a :class:`~.layout.Layout`: 附件 line,
title, unit and date line, header fields, funds block, goals, the three-level indicator table with
merged level-1/level-2 cells, total, conclusion, contact and footnotes. When a scorecard is
given, a tenth column 复核得分 shows the computed scores and flags every row whose declared
score differs. Both writers only translate this grid; neither knows the form.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import TYPE_CHECKING, Literal

from ..model import Form, FundRow, Indicator
from .layout import OFFICIAL_COLUMNS, Layout

if TYPE_CHECKING:
    from ..scoring import Scorecard

Style = Literal[
    "title",  # 表名
    "subtitle",  # （2022年度）
    "line",  # 单位（盖章） / 填报日期 / 联系人: text outside the table
    "label",  # a row or block label (部门（单位）名称, 年度总体目标 …)
    "vertical",  # a block label written top to bottom (绩效指标)
    "header",  # column header
    "text",  # free text, wrapped, left aligned
    "center",  # short text, centred
    "number",  # weight, score, money
    "footnote",  # 注
]
Value = str | Decimal | None
#: What the review column is, shown with its header (a comment in xlsx, a note under the PDF table).
REVIEW_NOTE = (
    "复核得分由 jixiao 按评分规则 {profile} 计算，不属于官方表式；红色底纹：填报得分与复核得分不一致。"
)


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) cell: top-left at ``(row, col)``, 0-based, spanning ``rows × cols``."""

    row: int
    col: int
    value: Value
    style: Style
    rows: int = 1
    cols: int = 1
    boxed: bool = True  # inside the bordered table
    flagged: bool = False  # declared score ≠ computed score (复核不一致)
    note: str | None = None  # how the computed value was obtained (shown as a comment)


@dataclass
class Sheet:
    """The laid-out form: cells, column widths (Excel character units) and table landmarks."""

    layout: Layout
    cells: list[Cell] = field(default_factory=list)
    widths: list[Decimal] = field(default_factory=list)
    rows: int = 0
    indicator_header: int = 0  # row repeated at the top of every printed page

    @property
    def columns(self) -> int:
        """Number of columns, 9 or 10 with the review column."""
        return len(self.widths)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell whose top-left corner is ``(row, col)``."""
        return next((c for c in self.cells if c.row == row and c.col == col), None)


def fill(template: str, **values: object) -> str:
    """``template.format`` with missing values as empty text."""
    return template.format(**{k: "" if v is None else v for k, v in values.items()})


def plain_number(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: ``50`` → ``"50"``, ``22.50`` → ``"22.5"``."""
    return format(value.normalize(), "f")


def text_width(text: str) -> int:
    """Width in half-width character units (Excel column units): CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def as_text(value: str | Decimal | int | None) -> str:
    """Display text of a value: a Decimal as written (``3331.80``, no exponent), None as empty."""
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def differs(declared: Decimal | None, computed: Decimal | None) -> bool:
    """Whether a declared score disagrees with the computed one (both known)."""
    return declared is not None and computed is not None and declared != computed


def runs(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Consecutive runs of equal keys as ``(start, length)``."""
    out: list[tuple[int, int]] = []
    start = 0
    for _key, group in groupby(keys):
        length = len(list(group))
        out.append((start, length))
        start += length
    return out


def level1_label(layout: Layout, name: str | None, members: Iterable[Indicator]) -> str | None:
    """``产出指标(50分)``: the level-1 name with the sum of its indicators' weights."""
    if name is None:
        return None
    weights = [i.weight for i in members if i.weight is not None]
    if not weights:
        return name
    return fill(
        layout.indicators.level1_with_weight, name=name, weight=plain_number(sum(weights, Decimal(0)))
    )


class _Builder:
    """Appends cells row by row."""

    def __init__(self, layout: Layout, card: Scorecard | None) -> None:
        self.sheet = Sheet(layout=layout)
        self.review = card is not None
        self.sheet.widths = [*layout.widths, *([layout.review_width] if self.review else [])]
        self.review_note = REVIEW_NOTE.format(profile=card.profile) if card else None
        self.row = 0

    def put(
        self,
        col: int,
        value: Value,
        style: Style,
        cols: int = 1,
        rows: int = 1,
        boxed: bool = True,
        flagged: bool = False,
        note: str | None = None,
    ) -> None:
        self.sheet.cells.append(Cell(self.row, col, value, style, rows, cols, boxed, flagged, note))

    def review_cell(
        self, value: Value, flagged: bool = False, note: str | None = None, rows: int = 1
    ) -> None:
        if self.review:
            self.put(OFFICIAL_COLUMNS, value, "number", rows=rows, flagged=flagged, note=note)

    def next_row(self, count: int = 1) -> None:
        self.row += count


def _title(b: _Builder, form: Form) -> None:
    layout = b.sheet.layout
    width = b.sheet.columns
    if layout.attachment:
        b.put(0, layout.attachment, "line", cols=2, boxed=False)
        b.next_row()
    b.put(0, layout.title, "title", cols=width, boxed=False)
    b.next_row()
    b.put(0, fill(layout.year_line, year=form.year), "subtitle", cols=width, boxed=False)
    b.next_row()
    if layout.stamp_line:
        b.put(0, fill(layout.stamp_line, unit=form.unit), "line", cols=5, boxed=False)
    b.put(5, fill(layout.date_line, filled_on=form.filled_on), "line", cols=width - 5, boxed=False)
    b.next_row()


def _header_fields(b: _Builder, form: Form) -> None:
    for pairs in b.sheet.layout.header_rows:
        spans = [(0, 3, 3, 6)] if len(pairs) == 1 else [(0, 3, 3, 2), (5, 2, 7, 2)]
        for (label, attr), (label_col, label_cols, value_col, value_cols) in zip(pairs, spans, strict=False):
            b.put(label_col, label, "label", cols=label_cols)
            b.put(value_col, getattr(form, attr), "text", cols=value_cols)
        b.review_cell(None)
        b.next_row()


def _fund_row(b: _Builder, row: FundRow | str, is_total: bool, form: Form, card: Scorecard | None) -> None:
    layout = b.sheet.layout
    if isinstance(row, str):
        row = FundRow(label=row)
    b.put(1, row.label, "center", cols=2)
    for col, amount in zip((3, 4, 5), (row.initial, row.budget, row.executed), strict=True):
        b.put(col, amount, "number")
    if is_total:
        b.put(6, form.funds.weight, "number")
        b.put(7, form.funds.rate_declared, "center")
        b.put(8, form.funds.score_declared, "number")
        computed = card.execution.score if card else None
        note = card.execution.explanation if card else None
        b.review_cell(computed, differs(form.funds.score_declared, computed), note)
    else:
        for col in (6, 7, 8):
            b.put(col, layout.funds.not_applicable, "center")
        b.review_cell(None)
    b.next_row()


def _funds(b: _Builder, form: Form, card: Scorecard | None) -> None:
    layout = b.sheet.layout.funds
    rows: list[FundRow | str] = list(form.funds.rows) or list(layout.default_rows)
    b.put(0, layout.label, "label", rows=1 + len(rows))
    b.put(1, layout.headers[0], "header", cols=2)
    for col, header in enumerate(layout.headers[1:], start=3):
        b.put(col, header, "header")
    if b.review:
        b.put(OFFICIAL_COLUMNS, b.sheet.layout.review_header, "header", note=b.review_note)
    b.next_row()
    for index, row in enumerate(rows):
        _fund_row(b, row, index == 0, form, card)


def _goals(b: _Builder, form: Form) -> None:
    layout = b.sheet.layout.goals
    b.put(0, layout.label, "label", rows=2)
    b.put(1, layout.expected, "header", cols=4)
    b.put(5, layout.actual, "header", cols=4)
    b.review_cell(None, rows=2)
    b.next_row()
    b.put(1, form.goals.expected, "text", cols=4)
    b.put(5, form.goals.actual, "text", cols=4)
    b.next_row()


def _indicators(b: _Builder, form: Form, card: Scorecard | None) -> None:
    layout = b.sheet.layout
    indicators = form.indicators
    b.sheet.indicator_header = b.row
    b.put(0, layout.indicators.label, "vertical", rows=1 + max(len(indicators), 1))
    for col, header in enumerate(layout.indicators.headers, start=1):
        b.put(col, header, "header")
    if b.review:
        b.put(OFFICIAL_COLUMNS, layout.review_header, "header", note=b.review_note)
    b.next_row()
    first = b.row
    for start, length in runs([i.level1 for i in indicators]):
        members = indicators[start : start + length]
        label = level1_label(layout, members[0].level1, members)
        b.sheet.cells.append(Cell(first + start, 1, label, "center", rows=length))
        for sub, sub_length in runs([i.level2 for i in members]):
            b.sheet.cells.append(Cell(first + start + sub, 2, members[sub].level2, "center", rows=sub_length))
    computed = {s.index: s for s in card.indicators} if card else {}
    for index, indicator in enumerate(indicators):
        b.put(3, indicator.name, "text")
        b.put(4, indicator.target, "center")
        b.put(5, indicator.actual, "center")
        b.put(6, indicator.weight, "number")
        b.put(7, indicator.score_declared, "number")
        b.put(8, indicator.reason, "text")
        result = computed.get(index)
        if result is not None:
            b.review_cell(result.score, differs(indicator.score_declared, result.score), result.explanation)
        else:
            b.review_cell(None)
        b.next_row()
    if not indicators:
        b.next_row()


def total_weight(form: Form) -> Decimal | None:
    """分值 of the 总分 row: the funds weight plus every indicator weight (None when none is given)."""
    weights = [w for w in (form.funds.weight, *(i.weight for i in form.indicators)) if w is not None]
    return sum(weights, Decimal(0)) if weights else None


def _footer(b: _Builder, form: Form, card: Scorecard | None) -> None:
    layout = b.sheet.layout
    footer = layout.footer
    b.put(0, footer.total, "label", cols=6)
    b.put(6, total_weight(form), "number")
    b.put(7, form.total_declared, "number")
    b.put(8, None, "text")
    total = card.total if card else None
    # The grade goes in the note: a text beside 绩效结论 would read back as the unit's conclusion.
    grade = f"复核总分 {total}，等级：{card.grade}（规则 {card.profile}）" if card else None
    b.review_cell(total, differs(form.total_declared, total), grade)
    b.next_row()
    b.put(0, footer.conclusion, "label", cols=3)
    b.put(3, form.conclusion, "text", cols=6)
    b.review_cell(None)
    b.next_row()
    b.put(0, fill(footer.contact, name=form.contact.name), "line", cols=5, boxed=False)
    b.put(5, fill(footer.phone, phone=form.contact.phone), "line", cols=b.sheet.columns - 5, boxed=False)
    b.next_row()
    for note in footer.footnotes:
        b.put(0, note, "footnote", cols=b.sheet.columns, boxed=False)
        b.next_row()


def build_sheet(form: Form, layout: Layout, card: Scorecard | None = None) -> Sheet:
    """Lay out ``form`` in ``layout``; with ``card``, add the 复核得分 column."""
    b = _Builder(layout, card)
    _title(b, form)
    _header_fields(b, form)
    _funds(b, form, card)
    _goals(b, form)
    _indicators(b, form, card)
    _footer(b, form, card)
    b.sheet.rows = b.row
    return b.sheet
