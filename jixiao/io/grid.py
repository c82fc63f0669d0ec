"""Interpret a form laid out as a table (rows of cells from xlsx, xls, pdf or docx) into a Form.

Blocks are found by their header labels (全年预算数, 预期目标, 三级指标 …), never by cell addresses,
so shifted rows/columns, blank rows, extra columns and regional variants all read the same.
A cell's position in its row is its grid column; ``Cell.text is None`` marks a cell covered by a
merged cell (it has no value of its own), ``""`` a blank cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, field_path
from ..model import Form, FormKind, Location
from ..scoring import plain
from .blocks import Extent, LevelBlock, form_doubts, layout_doubt
from .constraints import with_confidence
from .coverage import Residue, leftovers, unplaced_doubts
from .jsonio import explain
from .misread import misread_rows
from .notes import ImportNote
from .textlabels import (
    FOOTER_LABELS,
    INDICATOR_HEAD_WORDS,
    PAGE_MARKS,
    SCORE_TOTAL_LABELS,
    SUBTOTAL_LABELS,
    SUM_ROW_LABELS,
)
from .textlabels import key as label_key
from .vocabulary import role_of, vocabulary


@dataclass(frozen=True)
class Cell:
    """One table cell: its text as read, and where it is in the file."""

    text: str | None
    location: Location


Row = Sequence[Cell]

#: The vocabulary's sections of the three tables (vocabulary.toml).
FUNDS_ROLES, INDICATOR_ROLES, GOAL_ROLES = "funds_columns", "indicator_columns", "goal_columns"
#: Vocabulary roles read differently in a grid: a heading over several columns and the columns of
#: words are no field; 指标值 alone is the target, 年初预算数(A) the initial budget.
_GRID_ROLE: dict[str, str | None] = {
    "group": None, "text": None, "core": None, "method": None, "review": None, "direction": "nature",
    "value": "target", "initial_a": "initial",
}

#: The indicator field each grid role fills (the roles the block constraints check for unread cells).
_FIELD_OF_ROLE = {"target": "target", "actual": "actual", "weight": "weight", "score": "score_declared"}

#: A label cell whose value is the next non-empty cell to its right.
VALUE_LABELS: dict[str, str] = {
    "部门(单位)名称": "unit",
    "部门名称": "unit",
    "单位名称": "unit",
    "实施单位": "unit",
    "项目名称": "project",
    "主管部门": "department",
    "联系人": "contact.name",
    "联系电话": "contact.phone",
    "填报日期": "filled_on",
}
#: ``label：value`` written inside one cell (or one text line, e.g. 单位（盖章）：… 填报日期：…).
INLINE_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "unit",
        re.compile(r"(?:单位[(（]盖章[)）]|填报单位|单位名称)[:：]\s*(?!填报日期)(\S.*?)\s*(?=填报日期|$)"),
    ),
    ("filled_on", re.compile(r"填报日期[:：]\s*(\S+)")),
    ("contact.name", re.compile(r"联系人[:：]\s*(?!联系电话)(\S.*?)\s*(?=联系电话|$)")),
    ("contact.phone", re.compile(r"联系电话[:：]\s*(\S+)")),
)
YEAR = re.compile(r"[(（]\s*((?:19|20)\d\d)\s*年度?\s*[)）]|((?:19|20)\d\d)\s*年度")
LEVEL_WEIGHT = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
NUMBER_WITH_UNIT = re.compile(r"([-+]?\d+(?:\.\d+)?)(?:万元|万|元|分|%)?")  # ``3359.62万`` in a money cell
COMPARISON_SIGNS = set("≥≤≧≦=═<>＜＞≠")
OPERATOR_WORDS = frozenset(vocabulary()["operators"]["words"])
EMPTY_MARKS = {"", "—", "-", "--", "——", "/", "无", "null"}
TOTAL_ROW_LABELS = frozenset(SCORE_TOTAL_LABELS + SUM_ROW_LABELS)  # a grid's rows end at the 总分 or a sum row
#: 绩效结论 alone in its cell, or with its text after a colon in the same cell
CONCLUSION_LABEL = re.compile(r"(绩效结论|评价结论|自评结论|总体评价)([:：]|$)")
FOOTNOTE_START = re.compile(r"^(注|说明|备注)[:：\d]")
#: A footer line under the table (联系人、联系电话、填报人): the table ended there.
FOOTER_START = re.compile(rf"^({'|'.join(FOOTER_LABELS)})([:：]|$)")


@lru_cache(maxsize=4096)  # the same labels recur in every row and every header test
def squash(text: str | None) -> str:
    """Text for label matching: NFKC (full-width → half-width) without any white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def cell_value(text: str | None) -> str | None:
    """A cell's value as written: wrapped lines joined (CJK wraps carry no space), ends trimmed."""
    if text is None:
        return None
    joined = "".join(line.strip() for line in text.splitlines()).strip()
    return joined or None


def parse_number(text: str | None) -> Decimal | None:
    """``"3989.07万元"``, ``" 10分 "``, ``"1,234.5"`` → Decimal; blank or a dash → None.

    Trailing zeros of the fraction are dropped: they are display formatting (a cell shows 20 as
    ``20.00``), so the same form read from any format gives the same decimal.
    Raises ValueError for text that is neither a number nor blank (the caller notes it).
    """
    plain = squash(text).replace(",", "")
    if plain in EMPTY_MARKS:
        return None
    match = NUMBER_WITH_UNIT.fullmatch(plain)
    if not match:
        raise ValueError(plain)
    digits = match.group(1)
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return Decimal(digits)


def level_label(text: str | None) -> str | None:
    """一级指标 without its weight: ``"产出指标(50分)"`` → ``"产出指标"``."""
    value = cell_value(text)
    if value is None:
        return None
    return LEVEL_WEIGHT.sub("", re.sub(r"\s+", "", value)) or None


def join_target(nature: str | None, value: str | None, measure: str | None) -> str | None:
    """Sichuan/Yunnan split targets: 指标性质 ``≥`` + 指标值 ``735`` + 度量单位 ``人次`` → ``≥735人次``.

    A 指标性质 that is a sign or an operator word (``大于等于``) is part of the value; any other
    word (定性, 定量, 正向) is a classification, not part of it.
    """
    if value is None:
        return None
    sign = operator_of(nature) or ""
    unit = measure if measure and not value.endswith(measure) else ""
    return f"{sign}{value}{unit}"


def operator_of(*cells: str | None) -> str | None:
    """The first cell that is a comparison sign or operator word (``≥``, ``大于等于``), not a class (正向)."""
    return next((c for c in cells if c and (set(c) <= COMPARISON_SIGNS or squash(c) in OPERATOR_WORDS)), None)


def match_roles(row: Row, section: str) -> dict[str, int]:
    """Which column holds which role, judged from a header row (the first cell naming a role takes it)."""
    found: dict[str, int] = {}
    for column, cell in enumerate(row):
        role = _role(cell.text, section)
        if role is not None and role not in found:
            found[role] = column
    return found


@lru_cache(maxsize=4096)  # the same labels recur in every row and every header test
def _role(text: str | None, section: str) -> str | None:
    label = label_key(text or "")
    if not label:
        return None
    role = role_of(label, section, contained=True)
    return _GRID_ROLE.get(role, role) if role else None


def is_funds_header(roles: dict[str, int]) -> bool:
    return "executed" in roles and ("budget" in roles or "initial" in roles)


def is_indicator_header(roles: dict[str, int]) -> bool:
    return "name" in roles and ("level1" in roles or "level2" in roles)


def is_title(label: str) -> bool:
    """``部门整体支出绩效目标自评表`` and the like (short: a footnote may mention 自评 too)."""
    return ("自评表" in label or "评价表" in label) and len(label) < 40


def is_page_mark(value: str) -> bool:
    """A page number (``2 / 3``, ``- 2 -``) or a continued table's title (``表1-2（续）``)."""
    line = squash(value)
    return any(pattern.match(line) for pattern in PAGE_MARKS)


def is_label(value: str, levels: set[str]) -> bool:
    """A cell that labels rows, no value: a level's name (``产出指标(50分)``) or a head word (绩效指标) repeated
    down a merged cell."""
    return level_label(value) in levels or label_key(value) in INDICATOR_HEAD_WORDS


def texts(row: Row) -> list[tuple[int, str]]:
    """The non-empty cells of a row as (column, value)."""
    out = []
    for column, cell in enumerate(row):
        value = cell_value(cell.text)
        if value is not None:
            out.append((column, value))
    return out


@dataclass
class _Reader:
    """State while walking the rows of one form."""

    place: Location
    #: the cells are the file's own (xlsx, xls, docx); False for a PDF, whose extraction can lose cells
    exact: bool = True
    notes: list[ImportNote] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Location] = field(default_factory=dict)
    fund_rows: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    #: top → funds → goals → after_goals → indicators → tail (blocks may be missing or reordered)
    state: str = "top"
    roles: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"funds": {}, "goals": {}, "indicators": {}}
    )
    levels: dict[str, str | None] = field(default_factory=lambda: {"level1": None, "level2": None})
    #: the 一级 blocks with a printed 分值 (``产出指标(50分)``): name, 分值, rows under it
    blocks: list[tuple[str, Decimal, list[int]]] = field(default_factory=list)
    #: the rows between the indicator header and the table's end that gave no indicator (coverage)
    unplaced: list[Row] = field(default_factory=list)
    #: the table ended in the cells: a 总分/结论 row, a footer (联系人 …), a footnote or the next form came after it
    whole: bool = False

    def step(self, row: Row, cells: list[tuple[int, str]]) -> bool:
        """Read one non-blank row; False when the row starts another form (reading stops)."""
        if self.state in ("indicators", "tail") and self.indicators and starts_another_form(row):
            self.whole = True
            return False
        if not self._enter_block(row):
            self._read_in_block(row, cells)
        return True

    def _enter_block(self, row: Row) -> bool:
        """Switch state on a block header row; True if the row was one."""
        roles = match_roles(row, INDICATOR_ROLES)
        if is_indicator_header(roles):
            # a header repeated on a new page re-enters the block; its columns may have moved
            self.roles["indicators"], self.state = roles, "indicators"
            return True
        if self.state in ("top", "tail") and is_funds_header(funds := match_roles(row, FUNDS_ROLES)):
            self.roles["funds"], self.state = funds, "funds"
            return True
        if self.state in ("top", "funds") and len(goals := match_roles(row, GOAL_ROLES)) == 2:
            self.roles["goals"], self.state = goals, "goals"
            return True
        return False

    def _read_in_block(self, row: Row, cells: list[tuple[int, str]]) -> None:
        columns = self.roles["indicators"]
        score_column = columns.get("converted", columns.get("score"))  # 总分 sums 折算得分 where the form has it
        if self.state == "goals":
            self.state = "after_goals" if self.read_goals(row, self.roles["goals"]) else "goals"
            return
        if self.state == "indicators":
            if self.read_tail(row, score_column):
                self.state, self.whole = "tail", True
                return
            if FOOTER_START.match(squash(cells[0][1])):
                self.state, self.whole = "tail", True
                self.read_labels(row)
                return
            if self.page_mark(cells):
                return
            if not FOOTNOTE_START.match(squash(cells[0][1])):
                # a one-cell row is a text line between table rows (PDF page edge): no row, but in the region
                if len(row) <= 1 or not self.read_indicator(row, self.roles["indicators"], self.levels):
                    self.unplaced.append(row)
                return
            self.state, self.whole = "tail", True
        if self.state == "funds":
            if len(row) > 1:
                self.read_fund_row(row, self.roles["funds"])
            return
        if self.state == "tail" and self.read_tail(row, score_column):
            return
        self.read_labels(row)

    def page_mark(self, cells: Sequence[tuple[int, str]]) -> bool:
        """A row holding a page mark and nothing else but labels repeated down merged cells."""
        if not any(is_page_mark(value) for _, value in cells):
            return False
        levels = self.level_names()
        return all(is_page_mark(value) or is_label(value, levels) for _, value in cells)

    def level_names(self) -> set[str]:
        """The level names read so far (of the rows, and the level cells over the current row)."""
        names = {name for row in self.indicators for name in (row["level1"], row["level2"]) if name}
        return names | {name for name in self.levels.values() if name}

    def put(self, path: str, value: Any, cell: Cell) -> None:
        """Set a top-level or ``contact.*`` field once (the first place that states it wins)."""
        if value is None or path in self.provenance:
            return
        target = self.data
        *parents, leaf = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
        self.provenance[path] = cell.location

    def number(self, cell: Cell | None, path: str) -> Decimal | None:
        if cell is None:
            return None
        try:
            value = parse_number(cell.text)
        except ValueError:
            self.notes.append(
                ImportNote("I12", f"“{cell_value(cell.text)}”不是数字，{path} 留空", cell.location, path=path)
            )
            return None
        if value is not None:
            self.provenance[path] = cell.location
        return value

    # --- label/value lines outside the tables -------------------------------------------------

    def read_labels(self, row: Row) -> None:
        cells = texts(row)
        for position, (column, value) in enumerate(cells):
            cell = row[column]
            label = squash(value)
            self._read_title(label, cell)
            for path, pattern in INLINE_LABELS:
                found = pattern.search(value)
                if found:
                    self.put(path, self._clean(path, found.group(1)), cell)
            key = VALUE_LABELS.get(label.rstrip(":："))
            if key and position + 1 < len(cells):
                next_column, next_value = cells[position + 1]
                if squash(next_value).rstrip(":：") not in VALUE_LABELS:
                    self.put(key, self._clean(key, next_value), row[next_column])

    @staticmethod
    def _clean(path: str, value: str) -> str | None:
        value = value.strip()
        if path == "contact.name":  # names are padded to width on forms: 屈  杰
            value = re.sub(r"\s+", "", value)
        return value or None

    def _read_title(self, label: str, cell: Cell) -> None:
        if is_title(label):
            self.title += label
            self.provenance.setdefault("kind", cell.location)
        year = YEAR.search(label)
        if year and len(label) < 40:
            self.put("year", int(year.group(1) or year.group(2)), cell)

    # --- funds block ---------------------------------------------------------------------------

    def read_fund_row(self, row: Row, roles: dict[str, int]) -> None:
        first_value_column = min(roles.values())
        labels = [(c, v) for c, v in texts(row) if c < first_value_column]
        if not labels:
            return
        label_column, label = labels[-1]
        label = label.rstrip(":： ")  # "其中：本年财政拨款" as written: the form's label, not ours
        index = len(self.fund_rows)
        self.provenance[f"funds.rows[{index}]"] = row[label_column].location
        fund: dict[str, Any] = {"label": label}
        for role in ("initial", "budget", "executed"):
            if role in roles and roles[role] < len(row):
                fund[role] = self.number(row[roles[role]], f"funds.rows[{index}].{role}")
        self.fund_rows.append(fund)
        if index == 0:
            self._read_fund_totals(row, roles)

    def _read_fund_totals(self, row: Row, roles: dict[str, int]) -> None:
        """分值 / 执行率 / 得分 of the 年度资金总额 row."""
        funds = self.data.setdefault("funds", {})
        for role, key in (("weight", "weight"), ("score", "score_declared")):
            if role in roles and roles[role] < len(row):
                funds[key] = self.number(row[roles[role]], f"funds.{key}")
        if "rate" in roles and roles["rate"] < len(row):
            rate = cell_value(row[roles["rate"]].text)
            if rate and squash(rate) not in EMPTY_MARKS:
                funds["rate_declared"] = rate
                self.provenance["funds.rate_declared"] = row[roles["rate"]].location

    # --- goals ---------------------------------------------------------------------------------

    def read_goals(self, row: Row, roles: dict[str, int]) -> bool:
        """Read the content row under the 预期目标/实际完成情况 header; False if the row is blank."""
        starts = sorted((column, role) for role, column in roles.items())
        found: dict[str, list[tuple[int, str]]] = {}
        for column, value in texts(row):
            owners = [role for start, role in starts if start <= column]
            if owners:  # a cell belongs to the nearest header at or left of it (merges shift text)
                found.setdefault(owners[-1], []).append((column, value))
        for role, cells in found.items():
            self.data.setdefault("goals", {})[role] = "".join(value for _, value in cells)
            self.provenance[f"goals.{role}"] = row[cells[0][0]].location
        return bool(found)

    # --- indicators ----------------------------------------------------------------------------

    def read_indicator(self, row: Row, roles: dict[str, int], levels: dict[str, str | None]) -> bool:
        """Read one indicator row; False when the row has no name (a level's own row, or a row lost)."""
        def cell(role: str) -> Cell | None:
            column = roles.get(role)
            return row[column] if column is not None and column < len(row) else None

        def text(role: str) -> str | None:
            found = cell(role)
            return cell_value(found.text) if found else None

        for level in ("level1", "level2"):
            found = cell(level)
            value = level_label(found.text) if found and level == "level1" else text(level)
            if value is not None:
                if level == "level1" and value != levels["level1"]:
                    levels["level2"] = None  # a 二级 block never runs on into the next 一级 block
                    self._block(value, text(level))
                levels[level] = value
        name = text("name")
        if name is None:
            return False
        index = len(self.indicators)
        if self.blocks and self.blocks[-1][0] == levels["level1"]:
            self.blocks[-1][2].append(index)
        path = f"indicators[{index}]"
        name_cell = cell("name")
        assert name_cell is not None  # name is non-empty, so its cell exists
        self.provenance[path] = name_cell.location
        target = text("target")
        if "nature" in roles or "measure" in roles:
            target = join_target(text("nature"), target, text("measure"))
        indicator: dict[str, Any] = {
            "level1": levels["level1"],
            "level2": levels["level2"],
            "name": name,
            "target": target,
            "actual": text("actual"),
            "weight": self.number(cell("weight"), f"{path}.weight"),
            "score_declared": self.number(cell("score"), f"{path}.score_declared"),
            "reason": text("reason"),
        }
        if "share" in roles:  # 河北 双权重表; a block's share merged down its rows is repeated by the reader
            indicator["weight_share"] = self.number(cell("share"), f"{path}.weight_share")
            indicator["score_converted"] = self.number(cell("converted"), f"{path}.score_converted")
        for role, key in (("target", "target"), ("actual", "actual"), ("reason", "reason")):
            found = cell(role)
            if found is not None and indicator[key] is not None:
                self.provenance[f"{path}.{key}"] = found.location
        self.indicators.append(indicator)
        return True

    def _block(self, level: str, printed: str | None) -> None:
        """A new 一级 block: its printed 分值 (``产出指标(50分)``) makes its rows' sum a constraint."""
        found = LEVEL_WEIGHT.search(squash(printed))
        points = NUMBER.search(found.group()) if found else None
        if points:
            self.blocks.append((level, Decimal(points.group()), []))

    def doubts(self, form: Form) -> list[ImportNote]:
        """The stages the text reader ends with, on the form read: the rows' names and values, the block
        constraints and the form's shape (:mod:`.blocks`), the coverage of the table (:mod:`.coverage`).

        Cells of xlsx, xls and docx are read exactly and never glued: a sum that fails there (a 一级 block's
        分值, all 分值 against 100, all 得分 against the 总分) is the unit's own error, for the auditor to
        report, unless the coverage found cells no row took.  A PDF's extraction can lose cells, so its sums
        are judged as a text's are.  The grid is whole when its table ended in the cells (:attr:`whole`):
        then a missing 总分 is said.
        """
        left = self.residue() if form.indicators else None
        doubtful = not self.exact or bool(left and left.atoms)
        blocks = [LevelBlock(level, printed, tuple(rows), doubtful and (self.whole or n + 1 < len(self.blocks)),
                             self.provenance.get(f"indicators[{rows[0]}]"))
                  for n, (level, printed, rows) in enumerate(self.blocks) if rows]
        funds = frozenset(self.roles["funds"])
        fields = frozenset(_FIELD_OF_ROLE[r] for r in self.roles["indicators"] if r in _FIELD_OF_ROLE)
        rows = misread_rows(form.indicators, [self.provenance.get(f"indicators[{n}]") for n in range(len(form.indicators))])
        extent = Extent(head=True, end=self.whole, sums=doubtful)
        notes = rows + form_doubts(form, blocks, extent, funds, fields, self.place, self.notes)
        # the sums doubt the whole list without saying where; a grid knows the rows that gave no indicator,
        # so the coverage says them even when a sum already doubts the list
        if left is not None:
            notes += unplaced_doubts(lambda: left, self._where, self.notes, self._rows_named)
        return notes + layout_doubt(form, [*self.notes, *notes])

    def residue(self) -> Residue:
        """The values in the rows of the table that gave no indicator, that no row took.

        A grid knows which cells each row read, so the region is only the rows that gave none (a row whose
        name cell is blank or lost), each row's cells one piece (a level label and its 分值 side by side).
        A subtotal row (a 一级 label or 小计 with the block's figures) is no lost row.  Nothing else is taken
        from the region: unlike a text's, it holds no cell a row read, so a printed 分值 taken from it would
        hide a lost row's equal 分值.
        """
        levels = self.level_names()
        subtotals = self._subtotals()
        pieces = []
        for line, row in enumerate(self.unplaced):
            values = [value for _, value in texts(row)]
            if not _is_subtotal(values, levels, subtotals):
                joined = " ".join(values)
                pieces.append((joined, [line] * len(joined)))
        return leftovers(pieces, Counter(), levels)

    def _subtotals(self) -> set[str]:
        """The figures a 一级 block's subtotal row may print: its printed 分值, the sums of its rows' 分值 and 得分."""
        found = {plain(points) for _, points, _ in self.blocks}
        by_block: dict[str, list[dict[str, Any]]] = {}
        for row in self.indicators:
            if row["level1"]:
                by_block.setdefault(row["level1"], []).append(row)
        for members in by_block.values():
            for key in ("weight", "score_declared"):
                values = [row[key] for row in members]
                if all(isinstance(v, Decimal) for v in values):
                    found.add(plain(sum(values, Decimal(0))))
        return found

    def _where(self, line: int) -> Location:
        return next(cell.location for cell in self.unplaced[line] if cell_value(cell.text))

    def _rows_named(self, lines: Sequence[int], most: int = 3) -> str:
        """``工作表 Sheet1 第23行、第25行`` (or ``第2页 第5行``): the places of the rows, without the file."""
        places = [self._where(line) for line in lines]
        named = "、".join(Location(sheet=p.sheet, page=p.page, row=p.row, line=p.line).describe() for p in places[:most])
        return named + ("等" if len(places) > most else "")

    # --- tail: 总分, 绩效结论 -------------------------------------------------------------------

    def read_tail(self, row: Row, score_column: int | None) -> bool:
        """Read a 总分 or 绩效结论 row; True if the row was one of them."""
        cells = texts(row)
        # the label need not be the first text: a merged title column (绩效指标) may precede it
        for position, (column, text) in enumerate(cells):
            label = squash(text)
            after = cells[position + 1 :]
            if label.rstrip(":：") in TOTAL_ROW_LABELS:
                # under 得分 when the table has that column (分值 holds the sum of weights)
                scored = after[-1:] if score_column is None else [c for c in after if c[0] == score_column]
                if scored:
                    self.data["total_declared"] = self.number(row[scored[0][0]], "total_declared")
                return True
            if CONCLUSION_LABEL.match(label):
                inline = re.sub(r"^[^:：]*[:：]", "", text).strip() if re.search("[:：]", text) else ""
                if inline:
                    self.put("conclusion", inline, row[column])
                elif after:
                    self.put("conclusion", after[0][1], row[after[0][0]])
                return True
        return False


def _is_subtotal(values: Sequence[str], levels: set[str], subtotals: set[str]) -> bool:
    """A subtotal row: labels that are a level's name or 小计 (:data:`SUBTOTAL_LABELS`), and figures that are
    a block's subtotals (``产出指标 | 70 | 68``, ``小计 | 30 | 28``)."""
    labels = figures = 0
    for value in values:
        if is_label(value, levels) or squash(value) in SUBTOTAL_LABELS:
            labels += 1
            continue
        try:
            number = parse_number(value)
        except ValueError:
            return False
        if number is not None and plain(number) not in subtotals:
            return False
        figures += number is not None
    return labels > 0 and figures > 0


def _kind(reader: _Reader) -> FormKind:
    if "项目" in reader.title and "部门整体" not in reader.title:
        return "project"
    if "部门" in reader.title:
        return "department"
    return "project" if "project" in reader.data else "department"


def read_one(rows: Sequence[Row], place: Location, exact: bool) -> tuple[Form, list[ImportNote], int | None]:
    """The first form in ``rows``, its notes, and the index where the next form starts (or None).

    ``exact``: the cells are the file's own (xlsx, xls, docx), not extracted from a page (PDF). Raises
    InputError (naming ``place``) when the rows hold neither an indicator nor a funds header.
    """
    reader = _Reader(place, exact)
    stop = None
    for index, row in enumerate(rows):
        cells = texts(row)
        if cells and not reader.step(row, cells):
            stop = index
            break
    if not reader.roles["indicators"] and not reader.roles["funds"]:
        raise InputError(
            "没有找到自评表：既没有“三级指标”表头，也没有“全年预算数/全年执行数”资金表头", place.describe()
        )
    form = _build(reader)
    return form, reader.notes + reader.doubts(form), stop


def _build(reader: _Reader) -> Form:
    data = reader.data
    data["kind"] = _kind(reader)
    data.setdefault("funds", {})["rows"] = reader.fund_rows
    data["indicators"] = reader.indicators
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = field_path(first["loc"])
        where = reader.provenance.get(path) or reader.place
        raise InputError(f"{path} 的值无效：{explain(dict(first))}", where.describe()) from None
    form.provenance = with_confidence(reader.provenance, form.indicators)
    return form


def starts_another_form(row: Row) -> bool:
    """A title (…自评表) or a funds header after a form's table: the next form on the same sheet."""
    if is_funds_header(match_roles(row, FUNDS_ROLES)):
        return True
    return any(is_title(squash(cell.text)) for cell in row)


def has_form(rows: Iterable[Row]) -> bool:
    """Whether the rows hold the headers of a form (cheap check used to list sheets with forms)."""
    for row in rows:
        if is_indicator_header(match_roles(row, INDICATOR_ROLES)) or is_funds_header(
            match_roles(row, FUNDS_ROLES)
        ):
            return True
    return False


def column_name(index: int) -> str:
    """Spreadsheet column letters of a 0-based column: 0 → A, 26 → AA."""
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def number_text(value: float) -> str:
    """A spreadsheet float as the decimal text the user saw.

    ``Decimal(0.1)`` would expose the binary approximation (0.1000000000000000055…); ``repr`` gives
    the shortest text that reads back to the same float (what Excel displays), and rounding to 10
    significant digits drops the noise of formulas (0.1+0.2 = 0.30000000000000004 → 0.3).
    Integral values lose their ``.0`` so a weight of 2 stays ``2``.
    """
    exact = Decimal(repr(value))
    if not exact.is_finite():
        return ""
    if exact == exact.to_integral_value():
        return str(exact.quantize(Decimal(1)))
    rounded = round(exact, max(0, 9 - exact.adjusted())).normalize()
    return format(rounded, "f")
