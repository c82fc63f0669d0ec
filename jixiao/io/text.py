"""Read a 绩效自评表 from text: pdftotext output or text copied from a published page.

Public functions::

    form, notes = parse_text(text, place)   # str → (Form, [ImportNote])
    form, notes = read_text(path)           # file (UTF-8/GBK/GB18030 detected) → (Form, [ImportNote])
    form = parse(text, place); form = read(path)   # the same without the notes

Whatever cannot be read is said in the notes (:mod:`jixiao.io.notes`): a text that stops
mid-table (``I01``, with the place it stopped), a value kept verbatim that is not a number
(``I02``), a guessed encoding (``I03``), a second form on the same page (``I04``).
Every field read carries its line in ``form.provenance``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from charset_normalizer import from_bytes
from pydantic import ValidationError

from ..errors import InputError
from ..model import Contact, Form, FundRow, Funds, Goals, Indicator, Location
from .constraints import with_confidence
from .grid import join_target, operator_of
from .jsonio import refusal
from .notes import ImportNote
from .textfunds import TOTAL_LABELS, FundsRead, read_funds
from .textglued import is_glued, read_glued, read_headerless
from .textlabels import INDICATOR_HEAD_WORDS, Column, column_of, key
from .textrepair import ocr_signs, repair
from .textrows import Row, Table, read_table
from .textscan import amount, is_blank, is_number, is_value, label_re, labels_re, tokenize

MAX_TEXT_BYTES = 1024 * 1024  # a form is a few KB of text, a whole page dump ~100 KB; parsing is linear
_METADATA = re.compile(r"^# (source|kind|complete):")
_FOOTNOTES = re.compile(r"(?m)^\s*(?:注|备注|说明)\s*[:：]|注\s*[:：]\s*1")
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")

UNIT_LABELS = [
    "项目实施单位",
    "实施单位",
    "资金使用单位",
    "项目单位",
    "部门(单位)名称",
    "单位名称",
    "单位(盖章)",
]
PROJECT_LABELS = ["项目名称", "专项资金名称", "转移支付(项目)名称"]
DEPARTMENT_LABELS = ["主管部门", "县级主管部门", "地方主管部门"]
STOP_LABELS = [
    *UNIT_LABELS,
    *PROJECT_LABELS,
    *DEPARTMENT_LABELS,
    "主管部门及代码",
    "项目负责人",
    "负责人及电话",
    "填报日期",
    "项目资金",
    "资金情况",
    "项目类别",
    "项目属性",
    "联系人",
    "联系电话",
    "自评总分",
    "专项实施期",
    "预算执行情况",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "部门联系人",
    "主要领导签字",
    "项目主管单位",
]
TOTAL_DECLARED = (
    labels_re(["自评总分", "项目总得分", "总分"]) + r"(?:\s*[(（]\s*分\s*[)）])?[\s|:：]*"
    r"(?P<a>\d+(?:\.\d+)?)(?:\s*分)?(?:[\s|]+(?P<b>\d+(?:\.\d+)?)(?:\s*分)?(?=[\s|]|$))?"
)
END_MARKERS = (
    labels_re(["总分", "合计", "项目负责人", "说明", "绩效结论", "评价结论", "联系人", "备注"]) + "|注[:：]"
)


@dataclass
class _Text:
    """The form's text with a map from offsets back to file lines (provenance)."""

    place: str
    lines: list[tuple[int, str]]
    flat: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        position = 0
        for _, line in self.lines:
            self.starts.append(position)
            position += len(line) + 1
        self.flat = "\n".join(line for _, line in self.lines)

    def line_at(self, offset: int) -> int:
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return self.lines[low][0] if self.lines else 1

    def at(self, line: int) -> Location:
        return Location(file=self.place, line=line)


def decode(data: bytes, place: str) -> tuple[str, list[ImportNote]]:
    """Bytes → text: UTF-8 (BOM stripped), else the detected Chinese encoding, noted as I03."""
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"文件过大（{len(data)} 字节），文本表格不超过 {MAX_TEXT_BYTES} 字节", place)
    if not data.strip():
        raise InputError("文件为空，没有可读取的表格", place)
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for encoding in ("gb18030",):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            return text, [
                ImportNote(
                    "I03", f"文件不是 UTF-8 编码，按 {encoding.upper()}（兼容 GBK）读取", Location(file=place)
                )
            ]
    guess = from_bytes(data).best()
    if guess is None or _BINARY.search(str(guess)):
        raise InputError("不是文本文件（无法识别编码，可能是二进制文件）", place)
    return str(guess), [ImportNote("I03", f"文件编码无法确定，猜测为 {guess.encoding}", Location(file=place))]


def _lines(text: str, place: str) -> list[tuple[int, str]]:
    if _BINARY.search(text):
        raise InputError("文本中含有控制字符，不像是表格文本（可能是二进制文件）", place)
    numbered = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1))
    while numbered and _METADATA.match(numbered[0][1]):
        numbered.pop(0)  # corpus metadata lines are not part of the form
    return [(n, line.replace("\u3000", " ").replace("\xa0", " ")) for n, line in numbered]


_STOPS = re.compile(labels_re(STOP_LABELS))
_SEPARATOR = re.compile(r"[\s|:：]*")
_CELL_TEXT = re.compile(r"[^\s|]+")
_SEAL = r"\s*(?:[(（]\s*盖\s*章\s*[)）])?"


def _field(text: _Text, labels: list[str]) -> tuple[str, int] | None:
    """The value written after one of ``labels`` (first label in priority order that has one)."""
    head = text.flat[: footnotes.start()] if (footnotes := _FOOTNOTES.search(text.flat)) else text.flat
    for label in labels:
        found = [v for m in re.finditer(label_re(label) + _SEAL, head) if (v := _value_after(head, m.end()))]
        # a value in a table cell beats the same label in the page heading
        if found:
            value, offset, _ = min(found, key=lambda v: not v[2])
            return value, text.line_at(offset)
    return None


def _value_after(head: str, position: int) -> tuple[str, int, bool] | None:
    """The text after a label up to the next cell border, space or label; None if it is no value."""
    other = _STOPS.match(head, position + 1) if head.startswith("/", position) else None
    paired = other is not None
    if (
        other is not None
    ):  # ``项目实施单位/项目负责人 原州区农技中心/杨勃兴``: two labels share a cell, so do their values
        position = other.end()
    separator = _SEPARATOR.match(head, position)
    cell = _CELL_TEXT.match(head, separator.end()) if separator else None
    if not separator or not cell:
        return None
    value = cell.group()
    if stop := _STOPS.search(value, 1):
        value = value[: stop.start()]
    value = (value.split("/")[0] if paired else value).strip(" :：")
    if (
        not re.search(r"[\u4e00-\u9fff\w]", value)
        or key(value) in ("本单位", "无")
        or _STOPS.match(value)
        or any(stop.startswith(key(value)) for stop in STOP_LABELS)  # a label cut short
    ):
        return None
    return value, cell.start(), "|" in separator.group()


def _year(text: _Text) -> tuple[int, int] | None:
    # the form says ``（2022年度）``; failing that, the first year its text speaks of (``中心2021年较好地完成…``)
    m = re.search(r"(?<!\d)((?:19|20)\d{2})\s*年\s*度", text.flat) or re.search(
        r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)", text.flat
    )
    return (int(m.group(1)), text.line_at(m.start())) if m else None


def _kind(text: _Text) -> str:
    department = re.search(
        labels_re(["部门整体", "部门(单位)名称", "部门(单位)总体资金", "整体支出"]), text.flat
    )
    return "department" if department else "project"


def _contact(text: _Text) -> tuple[Contact, int | None]:
    name = re.search(label_re("联系人") + r"\s*[:：]\s*(?P<v>.+?)\s*(?=联系电话|$)", text.flat, re.MULTILINE)
    phone = re.search(label_re("联系电话") + r"\s*[:：]?\s*(?P<v>[\d\-—－()（）]{5,})", text.flat)
    contact = Contact(
        name=re.sub(r"\s+", "", name.group("v")) if name else None, phone=phone.group("v") if phone else None
    )
    return contact, text.line_at(name.start()) if name else None


def _paragraphs(lines: list[str]) -> list[str]:
    """Wrapped lines → paragraphs: a paragraph ends at a line clearly shorter than the wrap width."""
    width = max((len(line) for line in lines), default=0)
    paragraphs, current = [], ""
    for line in lines:
        current += line
        if len(line) < width - 3:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


_GOALS_LABEL = re.compile(
    labels_re(["预期目标", "年初设定目标", "总体目标", "项目年度目标"])
    + r"[\s|]*"
    + labels_re(["实际完成情况", "年度总体目标完成情况综述", "全年实际完成情况", "年度目标完成情况"])
)
_GOALS_END = re.compile(
    labels_re(["绩效指标", "年度绩效指标", "一级指标", "项目预算", "预算执行情况", "项目资金", "资金情况"])
)


def _goals(text: _Text) -> tuple[Goals, int | None]:
    """年度总体目标: the 预期目标 text, then the 实际完成情况 text."""
    label = _GOALS_LABEL.search(text.flat)
    if not label:
        return Goals(), None
    first = text.line_at(label.end())
    end = _GOALS_END.search(text.flat, label.end())
    region = text.flat[label.end() : end.start() if end else len(text.flat)]
    lines = [line.strip() for line in region.split("\n") if line.strip()]
    while lines and len(lines[-1]) <= 1:
        lines.pop()  # the vertical 绩/效/指/标 of the next block
    if "|" in region:
        parts = [cell.strip() for cell in region.split("|") if cell.strip()]
    elif len(lines) > 2:
        parts = _paragraphs(lines)
        parts = [parts[0], "".join(parts[1:])] if len(parts) > 1 else parts
    else:
        parts = " ".join(lines).split()
    if len(parts) > 2:  # no telling where the expected text stops: keep it whole rather than guess
        parts = [" ".join(parts)]
    return Goals(expected=parts[0] if parts else None, actual=parts[1] if len(parts) > 1 else None), first


def _conclusion(text: _Text) -> tuple[str | None, int | None]:
    m = re.search(
        labels_re(["绩效结论", "评价结论"])
        + r"[\s|:：]*(?P<v>.*?)(?="
        + labels_re(["联系人", "存在问题", "项目负责人"])
        + r"|注[:：]|$)",
        text.flat,
        re.DOTALL,
    )
    if not m:
        return None, None
    return re.sub(r"\s+", "", m.group("v")) or None, text.line_at(m.start())


def _total(text: _Text) -> tuple[Decimal, int] | None:
    """The declared total: ``总分 100 97.5`` (weights then score) or ``自评总分: 95``."""
    for m in re.finditer(TOTAL_DECLARED, text.flat):
        a, b = m.group("a"), m.group("b")
        if b is None and len(a) >= 4 and a.startswith("100") and (rest := a[3:]) and not rest.startswith("0"):
            b = rest  # ``总分100100``: the 100 weights glued to the score
        return Decimal(b or a), text.line_at(m.start())
    return None


def _number(value: str | None, what: str, where: Location, notes: list[ImportNote]) -> Decimal | None:
    if is_blank(value):
        return None
    assert value is not None
    if not is_number(value.strip()) and amount(value) is None:
        notes.append(ImportNote("I02", f"{what}「{value}」不是数字，未读取", where))
        return None
    return amount(value)


_VALUE_COLUMNS = (Column.VALUE, Column.TARGET, Column.ADJUSTED, Column.ACTUAL)
_TARGET_PARTS = (Column.NATURE, Column.DIRECTION, Column.VALUE, Column.TARGET, Column.MEASURE)


def _measured(columns: list[Column]) -> frozenset[Column]:
    """The value columns a 计量单位 column qualifies: the run of value columns just before it."""
    if Column.MEASURE not in columns:
        return frozenset()
    before = columns[: columns.index(Column.MEASURE)]
    run: set[Column] = set()
    for column in reversed(before):
        if column not in _VALUE_COLUMNS:
            break
        run.add(column)
    return frozenset(run)


def _target(row: Row, measured: frozenset[Column]) -> tuple[str | None, str | None]:
    """年度指标值 joined from its parts: operator column, value, unit column; and the actual with its unit."""
    values = row.values
    unit = values.get(Column.MEASURE)
    value = values.get(Column.VALUE) or values.get(Column.TARGET)
    target = join_target(
        operator_of(values.get(Column.NATURE), values.get(Column.DIRECTION)),
        value,
        unit if measured & {Column.VALUE, Column.TARGET} else None,
    )
    actual = values.get(Column.ACTUAL)
    if actual and unit and Column.ACTUAL in measured and is_number(actual):
        actual = join_target(None, actual, unit)
    return target, actual


def _indicator(
    row: Row,
    index: int,
    text: _Text,
    form_prov: dict[str, Location],
    notes: list[ImportNote],
    measured: frozenset[Column] = frozenset(),
) -> Indicator:
    values = row.values
    target, actual = _target(row, measured)
    target_line = next((row.lines[c.name] for c in _TARGET_PARTS if c.name in row.lines), None)
    path = f"indicators[{index}]"
    form_prov[path] = form_prov[f"{path}.name"] = text.at(row.lines["name"])  # reason, levels: the row
    if target_line is not None:
        form_prov[f"{path}.target"] = text.at(target_line)
    for column, attribute in (
        (Column.ACTUAL, "actual"),
        (Column.WEIGHT, "weight"),
        (Column.SCORE, "score_declared"),
    ):
        if column.name in row.lines:
            form_prov[f"{path}.{attribute}"] = text.at(row.lines[column.name])
    weight = _number(
        values.get(Column.WEIGHT), f"第{index + 1}个指标的分值", text.at(row.lines["name"]), notes
    )
    score = _number(values.get(Column.SCORE), f"第{index + 1}个指标的得分", text.at(row.lines["name"]), notes)
    reason = values.get(Column.REASON) or ("".join(row.reason) if row.reason else None)
    if row.choice is not None:
        _judged(row, index, text, form_prov, notes)
    if adjusted := values.get(Column.ADJUSTED):
        notes.append(
            ImportNote(
                "I05",
                f"第{index + 1}个指标「{row.name}」的调整指标值「{adjusted}」未读入（目标值取年初指标值）",
                text.at(row.lines.get(Column.ADJUSTED.name, row.lines["name"])),
            )
        )
    where = text.at(row.lines["name"])
    return Indicator(
        level1=row.level1,
        level2=row.level2,
        name=row.name,
        target=target,
        actual=actual,
        weight=weight,
        score_declared=score,
        reason=reason or None,
        weight_share=_number((values.get(Column.SHARE) or "").strip().removesuffix("%"),  # 50% → 50
                             f"第{index + 1}个指标的权重占比", where, notes),
        score_converted=_number(values.get(Column.CONVERTED), f"第{index + 1}个指标的折算得分", where, notes),
    )


#: Field of an indicator and its Chinese name, by the role the row constraints judge.
_JUDGED_FIELDS = {
    "weight": ("weight", "分值"),
    "target": ("target", "年度指标值"),
    "actual": ("actual", "实际完成值"),
    "score": ("score_declared", "得分"),
}
_BROKEN = {
    "weight_in_range": "分值不在 0–100 之间", "score_within_weight": "得分超过分值",
    "name_glued": "名称与文字指标值粘连，分界不确定",
}


def _judged(row: Row, index: int, text: _Text, prov: dict[str, Location], notes: list[ImportNote]) -> None:
    """Confidence of the values chosen among readings, and I20 where the choice is doubtful."""
    choice = row.choice
    assert choice is not None
    path = f"indicators[{index}]"
    where = text.at(row.lines["name"])
    for role, (attribute, _) in _JUDGED_FIELDS.items():
        if f"{path}.{attribute}" in prov and role in choice.reading:
            prov[f"{path}.{attribute}"] = prov[f"{path}.{attribute}"].model_copy(
                update={"confidence": choice.confidence}
            )
    for role, other in (choice.runner_up or {}).items():
        attribute, label = _JUDGED_FIELDS[role]
        read = choice.reading.get(role, "")
        notes.append(
            ImportNote(
                "I20",
                f"第{index + 1}个指标「{row.name}」的{label}读作「{read}」，也可能是「{other}」"
                "（单元格粘连，表内算术不能确定），请核对原表",
                where,
                path=f"{path}.{attribute}",
            )
        )
    if choice.broken:
        why = "、".join(_BROKEN[name] for name in choice.broken)
        notes.append(
            ImportNote(
                "I20", f"第{index + 1}个指标「{row.name}」的读数与表内算术不符（{why}），请核对原表", where, path=path
            )
        )


_CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES_RUN_TOGETHER = 3  # this many long words in one name: several names of a flattened table


def _name_doubt(name: str) -> str | None:
    """Why a name read looks like something else than one indicator's name (a misaligned row)."""
    words = name.split()
    if column_of(key(name)) is not None or key(name) in INDICATOR_HEAD_WORDS:
        return "是表头文字"
    if sum(1 for word in words if is_value(word)) >= 2:
        return "中夹有数值"
    if sum(1 for word in words if len(_CJK.findall(word)) >= 4) >= NAMES_RUN_TOGETHER:
        return "像是几个指标名称连在一起"
    return None


def _shape_doubts(table: Table, text: _Text) -> list[ImportNote]:
    """I20 for a table whose rows could not be read, and for rows whose name shows they are misaligned."""
    if table.header_found and not table.rows:
        where = text.at(table.last.line) if table.last else None
        return [ImportNote("I20", "找到了绩效指标表头，但未能读出任何指标行（表格可能按列展开），请核对原表", where,
                           path="indicators")]
    doubts = []
    for index, row in enumerate(table.rows):
        if why := _name_doubt(row.name):
            doubts.append(
                ImportNote(
                    "I20", f"第{index + 1}个指标的名称「{row.name}」{why}，该行的读数可能错位，请核对原表",
                    text.at(row.lines["name"]), path=f"indicators[{index}]",
                )
            )
    return doubts


def _block_doubts(table: Table, text: _Text) -> list[ImportNote]:
    """I20 on the 分值 of a 一级 block whose rows do not add up to the block's printed 分值 (产出指标(50分)).

    A block the text cut off (the last one of a table with no end) cannot be summed.
    """
    blocks: dict[int, list[int]] = {}
    unsure = set()  # blocks followed by one without a printed 分值 (成本指标 may be a 二级 inside them)
    for index, row in enumerate(table.rows):
        if row.block_weight is not None:
            blocks.setdefault(row.block, []).append(index)
        elif blocks and row.block not in blocks:
            unsure.add(max(blocks))
    last = max(blocks, default=0)
    doubts = []
    for block, members in blocks.items():
        weights = [amount(table.rows[n].values.get(Column.WEIGHT)) for n in members]
        if (block == last and table.end is None) or block in unsure or None in weights:
            continue
        printed, total = table.rows[members[0]].block_weight, sum(w for w in weights if w is not None)
        if total == printed:
            continue
        level = table.rows[members[0]].level1 or "该一级指标"
        for n in members:
            doubts.append(
                ImportNote(
                    "I20", f"「{level}」各指标分值合计 {total}，与所印的 {printed} 分不符，分值可能读错，请核对原表",
                    text.at(table.rows[n].lines["name"]), path=f"indicators[{n}].weight",
                )
            )
    return doubts


def _fund_row(label: str, values: dict[str, str | None]) -> FundRow:
    return FundRow(
        label=label,
        initial=amount(values.get("initial")),
        budget=amount(values.get("budget")),
        executed=amount(values.get("executed")),
    )


def _funds(read: FundsRead | None, text: _Text, prov: dict[str, Location]) -> Funds:
    if read is None:
        return Funds()
    line = text.at(text.line_at(read.offset))
    total = read.total
    rows = [_fund_row("年度资金总额", total)] + [_fund_row(label, values) for label, values, _ in read.rows]
    for attribute in ("weight", "rate_declared", "score_declared", "rows[0]"):
        prov[f"funds.{attribute}"] = line
    for index, (_, _, offset) in enumerate(read.rows, start=1):
        prov[f"funds.rows[{index}]"] = text.at(text.line_at(offset))
    return Funds(
        weight=amount(total.get("weight")) or read.weight,
        rate_declared=total.get("rate"),
        score_declared=amount(total.get("score")),
        rows=rows,
    )


def _second_form(table: Table, text: _Text, notes: list[ImportNote]) -> None:
    """Two forms on one page: the first is read, the second only noted (``I04``)."""
    if table.end is None:
        return
    for m in re.finditer(labels_re(TOTAL_LABELS[:3]) + r"[\s|:：]*\d", text.flat):
        line = text.line_at(m.start())
        if line > table.end.line:
            notes.append(ImportNote("I04", f"第{line}行起还有第二份表格，只读取了第一份", text.at(line)))
            return


def _truncation(table: Table, text: _Text, notes: list[ImportNote], has_head: bool) -> None:
    if not has_head:
        first = next((line for _, line in text.lines if line.strip()), "")
        notes.append(
            ImportNote(
                "I01",
                f"文本从表格中间开始（缺少表头、单位和资金情况），开头为「{first.strip()[:20]}」",
                text.at(text.lines[0][0]) if text.lines else None,
            )
        )
    if table.end is None and not re.search(END_MARKERS, text.flat[-400:]):
        last = table.last
        tail = text.flat.rstrip()[-20:].replace("\n", " ")
        notes.append(
            ImportNote(
                "I01",
                f"文本在表格中途中断，读到「{tail}」为止，其后内容缺失",
                text.at(last.line) if last else None,
            )
        )


def parse_text(text: str, place: str = "<text>") -> tuple[Form, list[ImportNote]]:
    """Parse the text of one form; notes say what could not be read."""
    try:
        return _parse_text(text, place)
    except ValidationError as exc:  # a value beyond the form limits (jixiao.model.FORM_LIMITS)
        raise refusal(exc, place) from None


def _parse_text(text: str, place: str) -> tuple[Form, list[ImportNote]]:
    repaired = repair(_lines(text, place), place)
    source = _Text(place, repaired.lines)
    if not re.search(r"[\u4e00-\u9fff]", source.flat):
        raise InputError("文本中没有中文内容，不是绩效自评表", place)
    tokens = tokenize(source.lines)
    notes: list[ImportNote] = list(repaired.notes)
    prov: dict[str, Location] = {}
    fields: dict[str, str | None] = {}
    for name, labels in (
        ("project", PROJECT_LABELS),
        ("unit", UNIT_LABELS),
        ("department", DEPARTMENT_LABELS),
    ):
        if found := _field(source, labels):
            fields[name], prov[name] = found[0], source.at(found[1])
    kind = _kind(source)
    if kind == "department":
        fields.pop("department", None)
    filled = _field(source, ["填报日期"])
    year = _year(source)
    funds_read = read_funds(source.flat)
    table = (is_glued(tokens) and read_glued(tokens)) or read_table(tokens)
    if not table.rows and not table.header_found:
        table = read_headerless(tokens) or table
    goals, goals_line = _goals(source)
    contact, contact_line = _contact(source)
    total = _total(source)
    conclusion, conclusion_line = _conclusion(source)
    _second_form(table, source, notes)
    for group in table.unread:
        values = " ".join(t.text for t in group)
        notes.append(ImportNote("I02", f"数值「{values}」找不到所属的指标，未读取", source.at(group[0].line)))
    measured = _measured(table.columns)
    indicators = [_indicator(row, i, source, prov, notes, measured) for i, row in enumerate(table.rows)]
    if repaired.ocr:
        indicators, signs = ocr_signs(indicators, place)
        notes += signs
    notes += _shape_doubts(table, source) + _block_doubts(table, source)
    for members, why in table.doubts:
        names = "、".join(f"「{table.rows[n].name}」" for n in members[:3]) + ("等" if len(members) > 3 else "")
        for n in members:
            notes.append(
                ImportNote(
                    "I20", f"{names}的{why}，分值可能读错，请核对原表", source.at(table.rows[n].lines["name"]),
                    path=f"indicators[{n}].weight",
                )
            )
    if not (indicators or funds_read or table.header_found or total or year):
        raise InputError("没有找到绩效自评表的内容（资金情况、绩效指标表或总分），请检查是否选错了文件", place)
    _truncation(table, source, notes, has_head=bool(funds_read or year or fields))
    for path, line in (
        ("filled_on", filled[1] if filled else None),
        ("year", year[1] if year else None),
        ("goals", goals_line),
        ("contact", contact_line),
        ("total_declared", total[1] if total else None),
        ("conclusion", conclusion_line),
    ):
        if line is not None:
            prov[path] = source.at(line)
    form = Form(
        kind=kind,
        year=year[0] if year else None,
        unit=fields.get("unit"),
        department=fields.get("department"),
        project=fields.get("project"),
        filled_on=filled[0] if filled else None,
        contact=contact,
        funds=_funds(funds_read, source, prov),
        goals=goals,
        indicators=indicators,
        total_declared=total[0] if total else None,
        conclusion=conclusion,
    )
    form.provenance = with_confidence(prov)
    return form, notes


def read_text(path: str | Path) -> tuple[Form, list[ImportNote]]:
    """Read a text file (encoding detected); notes say what could not be read."""
    path = Path(path)
    place = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputError(f"文件过大（{size} 字节），文本表格不超过 {MAX_TEXT_BYTES} 字节", place)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", place) from None
    text, notes = decode(data, place)
    form, more = parse_text(text, place)
    return form, notes + more


def parse(text: str, place: str = "<text>") -> Form:
    """:func:`parse_text` without the notes."""
    return parse_text(text, place)[0]


def read(path: str | Path) -> Form:
    """:func:`read_text` without the notes."""
    return read_text(path)[0]
