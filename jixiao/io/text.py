"""Read a 绩效自评表 from text: pdftotext output or text copied from a published page.

Public functions::

    form, notes = parse_text(text, place)   # str → (Form, [ImportNote])
    form, notes = read_text(path)           # file (UTF-8/GBK/GB18030 detected) → (Form, [ImportNote])
    form = parse(text, place); form = read(path)   # the same without the notes

Whatever cannot be read is said in the notes (:mod:`jixiao.io.notes`): a text that stops
mid-table or before its indicator table (``I01``, with the place it stopped), a value kept verbatim
that is not a number (``I02``), a guessed encoding (``I03``), a second form on the same page (``I04``,
only the first is read), amounts printed in 元 (``I07``).  What was read but may be wrong is doubted
(``I20`` with the field's path): rows whose own arithmetic or whose name and values show a misreading
(:mod:`.constraints`, :mod:`.misread`), blocks whose sums fail (:mod:`.blocks`), a 项目名称 the title
contradicts; a field every form has but that was not found is said (``I21``).
Every field read carries its line and a confidence in ``form.provenance``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from typing import Any, TypeVar

from charset_normalizer import from_bytes
from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..model import FORM_LIMITS, Contact, Form, FundRow, Funds, Goals, Indicator, Location
from .blocks import Extent, LevelBlock, form_doubts, layout_doubt
from .constraints import Choice, confidence_of, settings, with_confidence
from .constraints import number as number_of
from .coverage import coverage_doubts, left_on_row_lines
from .grid import join_target, operator_of
from .jsonio import refusal
from .misread import misread_rows
from .notes import ImportNote
from .textfunds import START_LABELS, TOTAL_LABELS, FundsRead, read_funds
from .textglued import is_glued, on_one_line, read_glued, read_headerless
from .textlabels import (
    FIELD_OF_COLUMN,
    FOOTER_LABELS,
    FUNDS_ROW_WORDS,
    SCORE_TOTAL_LABELS,
    SUM_ROW_LABELS,
    Column,
    head_cell,
    is_level,
    key,
)
from .textplans import Sums, plan_notes, read_planned
from .textrepair import ocr_signs, repair
from .textrows import ROLE_OF_COLUMN, Row, Table, find_header, read_table
from .textscan import Token, amount, is_blank, is_number, label_re, labels_re, tokenize
from .textserial import drop_glued_serials, drop_page_serials, drop_serial_cells, drop_serial_words
from .vocabulary import vocabulary

MAX_TEXT_BYTES = 1024 * 1024  # a form is a few KB of text, a whole page dump ~100 KB; parsing is linear
_METADATA = re.compile(r"^# (source|kind|complete):")
_FOOTNOTES = re.compile(r"(?m)^\s*(?:注|备注|说明)\s*[:：]|注\s*[:：]\s*1")
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")

UNIT_LABELS = [
    "项目实施单位",
    "实施单位",
    "填报单位",
    "预算单位",
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
_TOTAL_FIGURES = (
    r"(?:\s*[(（]\s*(?:100\s*)?分\s*[)）])?[\s|:：]*"
    r"(?P<a>\d+(?:\.\d+)?)(?:\s*分)?(?:[\s|]+(?P<b>\d+(?:\.\d+)?)(?:\s*分)?(?=[\s|]|$))?"
)
TOTAL_DECLARED = labels_re(list(SCORE_TOTAL_LABELS)) + _TOTAL_FIGURES
SUM_ROW_TOTAL = labels_re(list(SUM_ROW_LABELS)) + _TOTAL_FIGURES
END_MARKERS = (
    labels_re([*SCORE_TOTAL_LABELS, *SUM_ROW_LABELS, "项目负责人", "说明", "绩效结论", "评价结论", *FOOTER_LABELS, "备注"])
    + "|注[:：]"
)


@dataclass
class _Text:
    """The form's text with a map from offsets back to file lines (provenance)."""

    place: str
    lines: list[tuple[int, str]]
    origin: Mapping[int, int] = field(default_factory=dict)  # a row's id → the file line it came from
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
        number = self.lines[low][0] if self.lines else 1
        return self.origin.get(number, number)

    def at(self, line: int) -> Location:
        return Location(file=self.place, line=self.origin.get(line, line))


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


def _head(text: _Text) -> str:
    """The form's text before its footnotes (注：…): label values are never read from them.

    Footnotes count from the form's title on: a 说明 under an earlier table of the page is no end.
    """
    title = _TITLE.search(text.flat)
    footnotes = _FOOTNOTES.search(text.flat, title.start() if title else 0)
    return text.flat[: footnotes.start()] if footnotes else text.flat


def _field(text: _Text, labels: list[str]) -> tuple[str, int, bool] | None:
    """The value written after one of ``labels`` (first label in priority order that has one), its line, and
    whether it was continued over a space or a line break (:func:`_rejoined`, :func:`_wrapped_on`)."""
    head = _head(text)
    for label in labels:
        found = [(*v, m.start()) for m in re.finditer(label_re(label) + _SEAL, head)
                 if (v := _value_after(head, m.end()))]
        # a value in a table cell beats the same label in the page heading
        if found:
            value, offset, piped, label_start = min(found, key=lambda v: not v[2])
            joined = value if piped else _rejoined(head, offset, value)
            # a value on its label's line may wrap onto the next; one on a line of its own is a cell per line
            beside = "\n" not in head[label_start:offset]
            wrapped = _wrapped_on(head, offset + len(value)) if joined == value and beside else None
            if wrapped:
                joined = f"{value}{wrapped}"
            return joined, text.line_at(offset), joined != value
    return None


WRAPPED_CHARS_MAX = 30  # the rest of a wrapped name cell is shorter than this
_WRAPPED = re.compile(rf"[\s|]*\n[\s|]*(?P<rest>[^\s|]{{1,{WRAPPED_CHARS_MAX}}})[\s|]*(?=\n|$)")
#: Words that open a block of the form (项目资金, 部门（单位）总体资金, 年度资金总额): the next cell, never a wrap.
_SECTION_WORDS = re.compile(labels_re([*START_LABELS, *TOTAL_LABELS, "总体资金"]))
_NOT_WRAPPED = re.compile(r"(?:19|20)\d{2}\s*年|自评表|绩效|^[\d.,%]+$|^[(（].*[)）]$")


def _wrapped_on(head: str, end: int) -> str | None:
    """A value ending its line whose next line holds one short cell of words and nothing else: the rest of
    the value, wrapped in a narrow cell (``项目名称 | 保山猪保种`` / ``场建设项目``).

    A guess — the line may be a cell of its own — so the caller doubts the field it joins.
    """
    rest_of_line = head.find("\n", end)
    if rest_of_line < 0 or head[end:rest_of_line].strip(" |\t"):
        return None
    found = _WRAPPED.match(head, end)
    if found is None:
        return None
    rest = found.group("rest")
    if not re.search(r"[\u4e00-\u9fff]", rest) or _NOT_WRAPPED.search(rest) or _label_like(rest) \
            or _SECTION_WORDS.search(rest) or head_cell(rest) is not None or is_level(key(rest)):
        return None
    return rest


def _in_title(text: _Text, value: str) -> bool:
    """The form's title names ``value`` (then a value joined over a space is proven, not guessed)."""
    title = _title_name(text)
    return title is not None and re.sub(r"\s", "", value) in re.sub(r"\s", "", title[0])


CONTINUED_WORDS_MAX = 3  # a name cell wraps over a few lines at most
CONTINUED_CHARS_MAX = 40  # longer than any unit or project name
_NEXT_WORD = re.compile(r"[ \t]+([\u4e00-\u9fff（）()]+)(?=\s|$)")


def _rejoined(head: str, offset: int, value: str) -> str:
    """A name broken at a space by extraction (a narrow cell wrapped: ``襄阳 市中心医院``), joined again.

    Only in a text whose cells are separated by spaces: the pure-Chinese words on the same line after the
    value, up to the next label, at most :data:`CONTINUED_WORDS_MAX` of them.  The join is a guess — the
    words may be an unlabelled cell — so the caller doubts the field.
    """
    joined, position = value, offset + len(value)
    if _STOPS.search(value) or not re.search(r"[\u4e00-\u9fff]$", value):
        return value
    for _ in range(CONTINUED_WORDS_MAX):
        word = _NEXT_WORD.match(head, position)
        if not word or len(joined) + len(word.group(1)) > CONTINUED_CHARS_MAX or _label_like(word.group(1)):
            break
        if word.group(1) in joined:  # the same name again: the next cell repeats it (主管部门 and 实施单位 alike)
            break
        joined, position = f"{joined} {word.group(1)}", word.end()  # the space as printed
    return joined


def _label_like(text: str) -> bool:
    """A label, a label cut short, or a row label of the funds table: never a head field's value."""
    return bool(_STOPS.search(text)) or any(stop.startswith(key(text)) for stop in STOP_LABELS) \
        or key(text).startswith(FUNDS_ROW_WORDS)


_PURE_CJK = re.compile(r"^[\u4e00-\u9fff、]+$")
BEFORE_WORDS_MAX = 4  # a name wrapped over this many words at most, when it is printed before its label
BEFORE_CHARS_MIN = 4


def _field_before(text: _Text, labels: list[str], notes: list[ImportNote], path: str, what: str) -> str | None:
    """A flattened page may print a cell before its label (``上海市…管理中心 实施单位``): with no value after
    the label, the words just before it, when nothing but a title or a figure precedes them, are taken
    — with a note (I20), since their place does not prove them."""
    head = _head(text)
    for label in labels:
        for m in re.finditer(label_re(label), head):
            start = head.rfind("\n", 0, m.start()) + 1
            words = head[start : m.start()].split()
            run: list[str] = []
            while words and _PURE_CJK.match(words[-1]) and not _STOPS.search(words[-1]) and len(run) < BEFORE_WORDS_MAX:
                run.insert(0, words.pop())
            value = "".join(run)
            if len(value) < BEFORE_CHARS_MIN or (words and _STOPS.search(words[-1])):
                continue  # too short to be a name, or it is the value of the label before it
            notes.append(ImportNote("I20", f"{what}「{value}」印在标签「{label}」之前（表格文字顺序错乱），请核对原表",
                                    text.at(text.line_at(m.start())), path=path))
            return value
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
        or _label_like(value)  # (cut at the next label above: only a label at its start is left to find)
    ):
        return None
    return value, cell.start(), "|" in separator.group()


_TITLE = re.compile(r"(?m)^(?P<name>[^\n]{2,80}?)(?:项目支出|专项资金|整体支出)?绩效(?:目标)?自评表")
_TITLE_PROSE = re.compile(r".*[:：,，。;；]")  # the page's prose before the title
_TITLE_PREFIX = re.compile(r"^\s*(?:附件\s*\d*)?\s*(?:(?:19|20)\d{2}\s*年\s*度?)?")
GENERIC_TITLE_WORDS = tuple(vocabulary()["title"]["generic"])
TITLE_SPECIFIC_CHARS = 4  # this many characters left once generic words are dropped: the title names a project
TITLE_OVERLAP_MIN = 1 / 3  # a 项目名称 sharing fewer of its characters with the title's name was misread


def _title_name(text: _Text) -> tuple[str, int] | None:
    """The project the form's title names (``马铃薯…推广项目绩效目标自评表``), if it names one, and its line."""
    title = _TITLE.search(text.flat)
    if title is None:
        return None
    name = _after_unbalanced(_TITLE_PROSE.sub("", title.group("name"), count=1))
    name = _TITLE_PREFIX.sub("", name, count=1).strip()
    specific = re.sub(r"[^\u4e00-\u9fff]", "", name)
    for word in GENERIC_TITLE_WORDS:
        specific = specific.replace(word, "")
    if len(specific) < TITLE_SPECIFIC_CHARS:
        return None
    return name, text.line_at(title.start())


def _after_unbalanced(text: str) -> str:
    """The text after the last closing bracket that no opening one matches (the end of a page's prose)."""
    depth, start = 0, 0
    for n, char in enumerate(text):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth, start = (depth - 1, start) if depth else (0, n + 1)
    return text[start:]


def _project(text: _Text, read: str | None, notes: list[ImportNote]) -> str | None:
    """The 项目名称 checked against the title: extended where the label's cell was cut at a space, taken from
    the title (with a note) where no label gave it, doubted where the two hardly share a character."""
    title = _title_name(text)
    if title is None:
        return read
    name, line = title
    plain = re.sub(r"\s+", "", name)
    if read is None:
        notes.append(ImportNote("I20", f"表中未读出项目名称，取自表题「{name}」，请核对原表", text.at(line),
                                path="project"))
        return name
    if read in name and (longer := _continued(text, read, plain)) != read:
        return longer
    shared = sum(1 for char in set(read) if char in plain) / max(1, len(set(read)))
    if shared < TITLE_OVERLAP_MIN:
        notes.append(ImportNote("I20", f"项目名称读作「{read}」，与表题中的「{name}」几乎不同，可能识别有误，请核对原表",
                                text.at(line), path="project"))
    return read


def _continued(text: _Text, read: str, title: str) -> str:
    """``项目名称 昌州财行(2022)10号 国家统计局…经费``: the words after the cell that the title goes on with."""
    for m in re.finditer(re.escape(read), text.flat):
        value, rest = read, text.flat[m.end() : text.flat.find("\n", m.end()) % (len(text.flat) + 1)]
        for word in rest.split():
            if _STOPS.match(word) or re.sub(r"\s+", "", value + word) not in title:
                break
            value = f"{value} {word}"
        if value != read:
            return value
    return read


_YEAR_OF_FORM = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*度")
_NUMERALS = "〇○零一二三四五六七八九"
#: ``二〇二三年度`` (a year in Chinese numerals, as official titles print it)
_YEAR_IN_NUMERALS = re.compile(rf"(?<![{_NUMERALS}])([一二][{_NUMERALS}]{{3}})\s*年(?!\s*[{_NUMERALS}十\d]{{1,3}}\s*月)")
_YEAR_SPOKEN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


def _year(text: _Text) -> tuple[int, int] | None:
    """The form says ``（2022年度）``; failing that, the first year its text speaks of (``中心2021年较好地完成…``).

    Both are looked for from the form's title on first: the page's heading before it may name the year it
    was published in (``2024年度部门决算公开``).
    """
    title = _TITLE.search(text.flat)
    starts = (title.start(), 0) if title else (0,)
    m = next((found for pattern in (_YEAR_OF_FORM, _YEAR_IN_NUMERALS, _YEAR_SPOKEN) for start in starts
              if (found := pattern.search(text.flat, start))), None)
    return (_year_number(m.group(1)), text.line_at(m.start())) if m else None


def _year_number(text: str) -> int:
    """``2023`` or ``二〇二三`` → 2023."""
    return int("".join(str(max(_NUMERALS.find(c) - 2, 0)) if c in _NUMERALS else c for c in text))


_DEPARTMENT_TITLE = re.compile(labels_re(["部门整体", "整体支出"]))
_DEPARTMENT_LABELS = re.compile(labels_re(["部门整体", "部门(单位)名称", "部门(单位)总体资金", "整体支出"]))


def _kind(text: _Text) -> tuple[str, bool]:
    """部门整体 or 项目, and whether the form contradicts itself: the title says it; failing that, its labels.

    The page's prose before the title may name the other kind (a 决算 page publishing both); a 项目支出
    title over a 部门（单位）名称 label is a contradiction the caller doubts.
    """
    title = _TITLE.search(text.flat)
    labelled = bool(_DEPARTMENT_LABELS.search(text.flat, title.end() if title else 0))
    if title is not None:
        if _DEPARTMENT_TITLE.search(title.group()):
            return "department", False
        if re.search(label_re("项目"), title.group()):
            return "project", labelled
    return ("department" if labelled else "project"), False


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


def _total(text: _Text, table: Table) -> tuple[Decimal, int] | None:
    """The declared total: ``总分 100 97.5`` (weights then score), ``自评总分: 95``, or the sum row
    (``合计 100 95``) after the last indicator row."""
    last_row = max((line for row in table.rows for line in row.lines.values()), default=None)
    found = re.search(TOTAL_DECLARED, text.flat) or next(
        (m for m in re.finditer(SUM_ROW_TOTAL, text.flat)
         if last_row is not None and text.line_at(m.start()) >= last_row), None)
    if found is None:
        return None
    a, b = found.group("a"), found.group("b")
    if b is None and len(a) >= 4 and a.startswith("100") and (rest := a[3:]) and not rest.startswith("0"):
        b = rest  # ``总分100100``: the 100 weights glued to the score
    return Decimal(b or a), text.line_at(found.start())


def _number(
    value: str | None, what: str, where: Location, notes: list[ImportNote], row: str | None = None
) -> Decimal | None:
    """A numeric cell's value; words there are noted (I02) and put the ``row`` in doubt (its cells shifted)."""
    if is_blank(value):
        return None
    assert value is not None
    if not is_number(value.strip()) and amount(value) is None:
        notes.append(ImportNote("I02", f"{what}「{value}」不是数字，未读取；该行的读数可能错位", where, path=row))
        return None
    return amount(value)


_VALUE_COLUMNS = (Column.VALUE, Column.TARGET, Column.ADJUSTED, Column.ACTUAL)
_TARGET_PARTS = (Column.NATURE, Column.DIRECTION, Column.VALUE, Column.TARGET, Column.MEASURE)


_CLASS_AFTER_NAME = re.compile(
    r"\s+(" + "|".join(sorted(map(re.escape, vocabulary()["natures"]["words"]), key=len, reverse=True)) + r")$"
)


def _nature_cut(rows: list[Row], columns: list[Column]) -> None:
    """A 指标性质 class word after a name across a space (``年新增畜牧产值 (万元) 正向``), where the plan has that
    column and the row left it blank, is the column's cell, not the end of a name broken at a space."""
    if Column.NATURE not in columns:
        return
    for row in rows:
        if Column.NATURE not in row.values and (found := _CLASS_AFTER_NAME.search(row.name)):
            row.values[Column.NATURE] = found.group(1)
            row.lines[Column.NATURE.name] = row.lines["name"]
            row.name = row.name[: found.start()]


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
    where = text.at(row.lines["name"])
    weight = _number(values.get(Column.WEIGHT), f"第{index + 1}个指标的分值", where, notes, path)
    score = _number(values.get(Column.SCORE), f"第{index + 1}个指标的得分", where, notes, path)
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
    read: dict[str, Any] = {"level1": row.level1, "level2": row.level2, "name": row.name, "target": target,
                            "actual": actual, "weight": weight, "score_declared": score, "reason": reason or None,
                            "weight_share": _number((values.get(Column.SHARE) or "").strip().removesuffix("%"),  # 50% → 50
                                                    f"第{index + 1}个指标的权重占比", where, notes),
                            "score_converted": _number(values.get(Column.CONVERTED), f"第{index + 1}个指标的折算得分",
                                                       where, notes)}
    return _within_limits(Indicator, read, path, where, notes)


M = TypeVar("M", bound=BaseModel)


def _within_limits(model: type[M], values: dict[str, Any], path: str, where: Location | None,
                   notes: list[ImportNote]) -> M:
    """The model built from what was read; a value beyond the form's limits (a 300-character cell, a
    30-digit amount: a misread) is left out — a required text cut to the limit — and said (I02 with its
    path), so one bad cell never refuses the whole form."""
    for _ in range(len(values) + 1):
        try:
            return model(**values)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"] and str(e["loc"][0]) in values}
            if not bad or any(not isinstance(values[name], str | Decimal | int) for name in bad):
                raise  # a list beyond its limit (more rows than a form holds) refuses the text
            for name in sorted(bad):
                value, field = values[name], model.model_fields[name]
                values[name] = str(value)[: FORM_LIMITS.max_cell_chars] if field.is_required() else None
                where_path = f"{path}.{name}" if path else name
                notes.append(ImportNote("I02", f"读出的「{str(value)[:20]}…」超出表格的上限，{where_path} 未读取",
                                        where, path=where_path))
    return model(**values)


#: Field of an indicator and its Chinese name, by the role the row constraints judge.
_JUDGED_FIELDS = {
    "weight": ("weight", "分值"),
    "target": ("target", "年度指标值"),
    "actual": ("actual", "实际完成值"),
    "score": ("score_declared", "得分"),
}
_BROKEN = {"weight_in_range": "分值不在 0–100 之间", "score_within_weight": "得分超过分值"}
#: Why a reading is a guess though the arithmetic holds (the reader's own doubts, by name).
_GUESSED = {"name_glued": "名称与文字指标值粘连，分界不确定", "row_cut": "行与行粘连且有空白格，行的分界不确定",
            "values_below": "数值在名称的下一行且少于表头的数值列，名称与数值的配对及各值所在的列是推测",
            "bare_number_placed": "一个不带单位的数字读作指标值，而分值或得分格空白，它也可能是分值"}


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
    if broken := [_BROKEN[name] for name in choice.broken if name in _BROKEN]:
        notes.append(
            ImportNote(
                "I20", f"第{index + 1}个指标「{row.name}」的读数与表内算术不符（{'、'.join(broken)}），请核对原表", where,
                path=path,
            )
        )
    if guessed := [_GUESSED[name] for name in choice.broken if name in _GUESSED]:
        notes.append(
            ImportNote("I20", f"第{index + 1}个指标「{row.name}」的读数存疑（{'、'.join(guessed)}），请核对原表", where, path=path)
        )


def _shape_doubts(table: Table, indicators: list[Indicator], text: _Text) -> list[ImportNote]:
    """I20 for a table whose rows could not be read, and for rows whose name or values show they are misaligned."""
    if table.header_found and not table.rows:
        where = text.at(table.last.line) if table.last else None
        return [ImportNote("I20", "找到了绩效指标表头，但未能读出任何指标行（表格可能按列展开），请核对原表", where,
                           path="indicators")]
    peeled = [ImportNote("I20", f"第{n + 1}个指标名称前的「{row.peeled}」当作指标层级读取（合并单元格的文字写进了名称）"
                                + ("，该行各格可能错位" if row.peeled_cell else "") + f"，名称「{row.name}」是推测，请核对原表",
                         text.at(row.lines["name"]), path=f"indicators[{n}]" if row.peeled_cell else f"indicators[{n}].name")
              for n, row in enumerate(table.rows) if row.peeled]
    return peeled + misread_rows(indicators, [text.at(row.lines["name"]) for row in table.rows])


def _score_absent(table: Table, text: _Text) -> list[ImportNote]:
    """A table whose header prints no 得分 column: its rows are read without a score, and that is said once."""
    if not table.rows or not table.columns or {Column.SCORE, Column.CONVERTED} & set(table.columns):
        return []
    return [ImportNote("I21", "绩效指标表没有得分列，各指标的得分未读出（表中未印），请补填", text.at(table.rows[0].lines["name"]),
                       severity="info")]


def _split_doubts(table: Table, guessed: frozenset[int], text: _Text) -> list[ImportNote]:
    """I20 on each row whose border with a neighbour row the repair stage guessed (a text cell broken at a space
    reads as the next row's name as well as the rest of the cell): the row may hold another row's cells."""
    return [ImportNote("I20", f"第{n + 1}个指标「{row.name}」与相邻一行的分界是按单元格类别推测的（文字单元格可能在空格处断开），"
                              "名称与各列数值的对应存疑，请核对原表", text.at(row.lines["name"]), path=f"indicators[{n}]")
            for n, row in enumerate(table.rows) if row.lines.get("name") in guessed]


def _level_blocks(table: Table) -> list[LevelBlock]:
    """The 一级 blocks with a printed 分值 (``产出指标(50分)``) and their rows, for :func:`.blocks.level_doubts`.

    A block is closed when another 一级 label or the table's end follows it; a block followed by one
    without a printed 分值 is not judged (成本指标 may be a 二级 inside it).
    """
    members: dict[int, list[int]] = {}
    unsure = set()
    for index, row in enumerate(table.rows):
        if row.block_weight is not None:
            members.setdefault(row.block, []).append(index)
        elif members and row.block not in members:
            unsure.add(max(members))
    return [
        LevelBlock(table.rows[rows[0]].level1 or "该一级指标", printed, tuple(rows),
                   (table.end is not None or block < table.blocks) and block not in unsure)
        for block, rows in members.items()
        if (printed := table.rows[rows[0]].block_weight) is not None
    ]


def _indicator_fields(table: Table) -> frozenset[str]:
    """The indicator fields the table's header (or the value pattern it was read with) has a column for."""
    columns = table.columns or [column for row in table.rows for column in row.values]
    return frozenset(FIELD_OF_COLUMN[c] for c in columns if c in FIELD_OF_COLUMN)


_COLUMN_OF_ROLE = {role: column for column, role in ROLE_OF_COLUMN.items()}
NARROW_ROWS_MAX = 10  # narrow rows of one block searched together (2^10 combinations at the most)


def _block_choices(table: Table) -> None:
    """A 一级 block's printed 分值 decides between rows' readings where the rows' own arithmetic could not.

    In a block whose 分值 do not add up, the rows that won narrowly are searched for the one set whose
    runner-up readings make the sum hold (several sets: nothing is decided); in a block that adds up,
    the narrow winners are confirmed.  Either way the block's sum verifies the rows, and their doubt goes.
    """
    for block in _level_blocks(table):
        if not block.closed:
            continue
        rows = [table.rows[n] for n in block.members]
        weights = [amount(row.values.get(Column.WEIGHT)) for row in rows]
        if None in weights:
            continue
        total = sum((w for w in weights if w is not None), Decimal(0))
        # rows whose 分值 won narrowly, with how much the runner-up reading would change the block's sum
        narrow = [(row, alt - w) for row, w in zip(rows, weights, strict=True)
                  if w is not None and (alt := _runner_up_weight(row)) is not None][:NARROW_ROWS_MAX]
        if total == block.printed:
            for row, _ in narrow:
                _confirm(row)
            continue
        fixes = [chosen for size in range(1, len(narrow) + 1) for chosen in combinations(narrow, size)
                 if total + sum(change for _, change in chosen) == block.printed]
        if len(fixes) == 1:  # one way only to make the block add up: the arithmetic decides
            for row, _ in fixes[0]:
                _take_runner_up(row)


def _runner_up_weight(row: Row) -> Decimal | None:
    other = row.choice.runner_up if row.choice else None
    return amount(other["weight"]) if other and "weight" in other else None


def _take_runner_up(row: Row) -> None:
    choice = row.choice
    assert choice is not None and choice.runner_up is not None
    for role, text in choice.runner_up.items():
        row.values[_COLUMN_OF_ROLE[role]] = text
    _confirm(row, {**choice.reading, **choice.runner_up})


def _confirm(row: Row, reading: dict[str, str] | None = None) -> None:
    choice = row.choice
    assert choice is not None
    blocks = settings().blocks
    verified = confidence_of(settings().decide.narrow_margin + blocks.level_sum)
    row.choice = Choice(reading or choice.reading, verified, None, choice.broken)


_FUNDS_LABELS: dict[str, list[str]] = vocabulary()["funds_labels"]
_LABELLED_AMOUNT = r"[\s|:：]*(?:[(（]\s*万?元\s*[)）])?[\s|:：]*(?P<v>\d[\d,]*(?:\.\d+)?)(?![\d.])"


def _labelled_funds(text: _Text) -> FundsRead | None:
    """The older rubric form's money as label–value pairs (``计划投资额(万元) 570``), when no funds table was found."""
    head = _head(text)
    total: dict[str, str | None] = {}
    offset = None
    for role, labels in _FUNDS_LABELS.items():
        if found := re.search(labels_re(labels) + _LABELLED_AMOUNT, head):
            total[role] = found.group("v")
            offset = found.start() if offset is None else min(offset, found.start())
    if "budget" not in total or offset is None:
        return None
    return FundsRead(total, [], None, offset)


def _fund_row(label: str, values: dict[str, str | None], path: str, where: Location,
              notes: list[ImportNote]) -> FundRow:
    read = {"label": label, "initial": amount(values.get("initial")), "budget": amount(values.get("budget")),
            "executed": amount(values.get("executed"))}
    return _within_limits(FundRow, read, path, where, notes)


def _funds(read: FundsRead | None, text: _Text, prov: dict[str, Location], notes: list[ImportNote]) -> Funds:
    if read is None:
        return Funds()
    line = text.at(text.line_at(read.offset))
    total = read.total
    rows = [_fund_row("年度资金总额", total, "funds.rows[0]", line, notes)] + [
        _fund_row(label, values, f"funds.rows[{n}]", line, notes) for n, (label, values, _) in enumerate(read.rows, 1)]
    for attribute in ("weight", "rate_declared", "score_declared", "rows[0]"):
        prov[f"funds.{attribute}"] = line
    for index, (_, _, offset) in enumerate(read.rows, start=1):
        prov[f"funds.rows[{index}]"] = text.at(text.line_at(offset))
    if read.runs_on:
        notes.append(ImportNote("I20", "年度资金总额一行的数字后紧接着更多数字（中间没有表头或标签），该行在何处结束是推测，"
                                       "资金各列可能读错，请核对原表", line, path="funds"))
    if read.narrow_cut:
        notes.append(ImportNote("I20", "年度资金总额一行的数字粘连，另一种切分读出不同的数字且几乎同样合理，"
                                       "资金各列可能读错，请核对原表", line, path="funds"))
    figures: dict[str, Any] = {"weight": amount(total.get("weight")) or read.weight, "rate_declared": total.get("rate"),
                               "score_declared": amount(total.get("score")), "rows": rows}
    return _within_limits(Funds, figures, "funds", line, notes)


_MONEY_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
MONEY_UNIT_REACH = 200  # characters around the total row where the funds block prints its unit


def _money_unit(read: FundsRead | None, text: _Text) -> list[ImportNote]:
    """I07 when the funds block prints its amounts in 元 (``项目资金(元)``): they stay in 元, never converted.

    万元, the usual unit, goes without a note.
    """
    if read is None:
        return []
    head = text.flat[max(0, read.offset - MONEY_UNIT_REACH) : read.offset + MONEY_UNIT_REACH // 2]
    found = list(_MONEY_UNIT.finditer(head))
    if not found or found[-1].group(1) != "元":
        return []
    return [ImportNote("I07", "资金金额单位为元（按表中所印），未换算为万元", text.at(text.line_at(read.offset)),
                       severity="info")]


def _second_form(table: Table, text: _Text, notes: list[ImportNote]) -> None:
    """Two forms on one page: the first is read, the second only noted (``I04``)."""
    if table.end is None:
        return
    # by offset, not by line number: rows cut out of one line have ids of their own, in no order
    end = next(n for n, (number, _) in enumerate(text.lines) if number == table.end.line)
    after = text.starts[end] + len(text.lines[end][1])
    for m in re.finditer(labels_re(TOTAL_LABELS[:3]) + r"[\s|:：]*\d", text.flat):
        line = text.line_at(m.start())
        if m.start() > after:
            notes.append(ImportNote("I04", f"第{line}行起还有第二份表格，只读取了第一份", text.at(line)))
            return


#: What each form prints once: its name label and the funds total row; a second of both is a second form.
_FORM_ANCHOR = re.compile(labels_re(["项目名称", "部门(单位)名称", "部门名称"]))
_TITLE_BEFORE = re.compile(r"\S*" + label_re("自评表") + r"[^\n]{0,30}$")
TITLE_REACH = 60  # characters between a form's title and its first label


def _forms_split(text: _Text) -> tuple[int, str] | None:
    """Where a second form starts in the text (its title), and its name; None for a single form.

    Two forms on one page repeat their name label (项目名称) and their funds total row (年度资金总额):
    the second form starts at the 自评表 title just before its second name label.
    """
    anchors = list(_FORM_ANCHOR.finditer(text.flat))
    totals = [m.start() for m in re.finditer(labels_re(TOTAL_LABELS[:3]), text.flat)]
    if len(anchors) < 2 or len(totals) < 2:
        return None
    second = next((m for m in anchors[1:] if m.start() > totals[0]), None)
    if second is None or not any(t > second.start() for t in totals):
        return None
    title = _TITLE_BEFORE.search(text.flat, max(0, second.start() - TITLE_REACH), second.start())
    if title is None:
        return None
    name = _value_after(text.flat, second.end())
    return title.start(), name[0] if name else ""


def _first_form(text: _Text, notes: list[ImportNote]) -> _Text:
    """The text of the first form when a page holds two; the second is noted (``I04``), not read."""
    split = _forms_split(text)
    if split is None:
        return text
    offset, name = split
    line = text.line_at(offset)
    kept: list[tuple[int, str]] = []
    for (number, content), start in zip(text.lines, text.starts, strict=True):
        if start >= offset:
            break
        kept.append((number, content[: offset - start]))
    other = f"（「{name}」）" if name else ""
    notes.append(ImportNote("I04", f"第{line}行起还有第二份表格{other}，只读取了第一份", text.at(line)))
    return _Text(text.place, kept, text.origin)


def _truncation(table: Table, text: _Text, notes: list[ImportNote], has_head: bool, total: bool = False) -> bool:
    """I01 where the text starts mid-table, stops mid-table, or stops before its indicator table.

    A text with the form's head (funds, year) but neither an indicator table nor a 总分 stopped before
    the table (an end word in its last lines belongs to whatever came before the form).  Returns whether
    the text holds the form's end: one that only lost its head may still print its 总分.
    """
    if not has_head:
        first = next((line for _, line in text.lines if line.strip()), "")
        notes.append(
            ImportNote(
                "I01",
                f"文本从表格中间开始（缺少表头、单位和资金情况），开头为「{first.strip()[:20]}」",
                text.at(text.lines[0][0]) if text.lines else None,
            )
        )
    if has_head and not table.rows and not table.header_found and not total:
        tail = text.flat.rstrip()[-20:].replace("\n", " ")
        notes.append(ImportNote("I01", f"文本在绩效指标表之前中断，读到「{tail}」为止，其后内容缺失",
                                text.at(text.lines[-1][0]) if text.lines else None))
        return False
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
        return False
    return True


#: Repairs of a text whose lines are rows of cells (a grid's rows, :mod:`.gridtext`): a row is never cut at a
#: fixed width, so rows that happen to be equally long are not rejoined.
ROWS_SKIP = frozenset({"wrapped"})


def parse_text(text: str, place: str = "<text>", lines_are_rows: bool = False) -> tuple[Form, list[ImportNote]]:
    """Parse the text of one form; notes say what could not be read.

    ``lines_are_rows``: each line is one row of a grid, its cells as they were (no line was wrapped)."""
    try:
        return _parse_text(text, place, ROWS_SKIP if lines_are_rows else frozenset())
    except ValidationError as exc:  # a value beyond the form limits (jixiao.model.FORM_LIMITS)
        raise refusal(exc, place) from None


def _ocr_doubts(indicators: list[Indicator], prov: dict[str, Location],
                fixes: tuple[tuple[int, str], ...]) -> list[ImportNote]:
    """An indicator whose value holds what an OCR correction on its line made is doubted (I20): the corrected
    value is a reading, not what was printed, and the filler should see it."""
    notes = []
    for n, item in enumerate(indicators):
        line = prov[f"indicators[{n}]"].line
        values = [str(v) for v in (item.target, item.actual, item.weight, item.score_declared) if v is not None]
        if any(at == line and (fixed in value if len(fixed) > 1 else fixed == value)
               for at, fixed in fixes for value in values):
            notes.append(ImportNote("I20", f"第{n + 1}个指标的数值经过 OCR 更正（字母或符号代替了数字、≥），请核对原表",
                                    prov[f"indicators[{n}]"], path=f"indicators[{n}]"))
    return notes


def _sums(funds: FundsRead | None, total: tuple[Decimal, int] | None) -> Sums:
    """What a header-less table's rows must add up to (:mod:`.textplans`): the funds' 分值 and 得分, the 总分."""
    if funds is None:
        return Sums(declared=total[0] if total else None)
    weight = number_of(funds.total.get("weight")) or funds.weight  # its 分值 cell, or the 分值 its 得分 heading names
    return Sums(weight, number_of(funds.total.get("score")), total[0] if total else None)


def _sound_rows(table: Table) -> int:
    """Rows read with a name of a few characters holding no table-end word (总分) and at least one value: what a
    reading of a header-less table is judged by against another reading."""
    return sum(1 for row in table.rows if row.values and len(re.findall(r"[\u4e00-\u9fff]", row.name)) >= 2
               and not any(word in row.name for word in (*SCORE_TOTAL_LABELS, *SUM_ROW_LABELS)))


def _headerless_reading(tokens: list[Token], table: Table) -> Table | None:
    """The glued reader's rows of a table without its header (:func:`read_headerless`), when the table's rows
    read so far are none, or fewer sound ones (a page on one line read as one row swallowing the rest)."""
    if table.rows and not (is_glued(tokens) or on_one_line(tokens)):
        return None
    headerless = read_headerless(tokens)
    if headerless is None or (table.rows and _sound_rows(headerless) <= _sound_rows(table)):
        return None
    return headerless


def _parse_text(text: str, place: str, skip: frozenset[str]) -> tuple[Form, list[ImportNote]]:
    repaired = repair(drop_serial_words(drop_page_serials(drop_glued_serials(_lines(text, place)))), place, skip)
    source = _Text(place, repaired.lines, dict(repaired.origin))
    if not re.search(r"[\u4e00-\u9fff]", source.flat):
        raise InputError("文本中没有中文内容，不是绩效自评表", place)
    notes: list[ImportNote] = list(repaired.notes)
    source = _first_form(source, notes)
    tokens = drop_serial_cells(tokenize(source.lines))
    prov: dict[str, Location] = {}
    fields: dict[str, str | None] = {}
    for name, labels in (
        ("project", PROJECT_LABELS),
        ("unit", UNIT_LABELS),
        ("department", DEPARTMENT_LABELS),
    ):
        if found := _field(source, labels):
            fields[name], prov[name] = found[0], source.at(found[1])
            if found[2] and name != "department" and not _in_title(source, found[0]):
                notes.append(ImportNote("I20", f"「{found[0]}」由空格或换行隔开的几段文字接成（原表单元格折行），请核对原表",
                                        prov[name], path=name))
    for name, labels, what in (("unit", UNIT_LABELS, "单位名称"), ("project", PROJECT_LABELS, "项目名称")):
        if name not in fields and (before := _field_before(source, labels, notes, name, what)):
            fields[name] = before
    kind, contradicted = _kind(source)
    if contradicted:
        notes.append(ImportNote("I20", "表题为项目支出自评表，表中却有部门整体支出的栏目，表的类别可能读错，请核对原表",
                                source.at(source.line_at(0)), path="kind"))
    if kind == "department":
        fields.pop("department", None)
    elif project := _project(source, fields.get("project"), notes):
        fields["project"] = project
    filled = _field(source, ["填报日期"])
    year = _year(source)
    funds_read = read_funds(source.flat) or _labelled_funds(source)
    table = (is_glued(tokens) and read_glued(tokens)) or read_table(tokens)
    total = _total(source, table)
    planned = read_planned(tokens, _sums(funds_read, total)) if table.rows and not table.header_found else None
    under_header = False
    if table.header_found and not table.rows and (header := find_header(tokens)):
        # no row fits the header's columns (a header misread, rows printed in another order): the template
        # plans read the rows after it before the table is given up, and that is said (I08 names the plan)
        planned = read_planned(tokens, _sums(funds_read, total), header[2])
        under_header = planned is not None
    if planned is not None:
        table = planned.table
    if not table.header_found and (headerless := _headerless_reading(tokens, table)) is not None:
        table, planned = headerless, None
    total = _total(source, table)  # again on the final rows: a sum row counts only after them
    goals, goals_line = _goals(source)
    contact, contact_line = _contact(source)
    conclusion, conclusion_line = _conclusion(source)
    if not any(n.code == "I04" for n in notes):
        _second_form(table, source, notes)
    for group in table.unread:
        unclaimed = " ".join(t.text for t in group)
        notes.append(ImportNote("I02", f"数值「{unclaimed}」找不到所属的指标，未读取", source.at(group[0].line)))
    if planned is not None:
        notes += plan_notes(planned, source.at, under_header)
    _block_choices(table)
    _nature_cut(table.rows, table.columns)
    measured = _measured(table.columns)
    indicators = [_indicator(row, i, source, prov, notes, measured) for i, row in enumerate(table.rows)]
    if repaired.ocr:
        indicators, signs = ocr_signs(indicators, place)
        notes += signs + _ocr_doubts(indicators, prov, repaired.ocr_values)
    notes += _shape_doubts(table, indicators, source) + _money_unit(funds_read, source)
    notes += _split_doubts(table, frozenset(repaired.guessed), source) + _score_absent(table, source)
    for members, why in table.doubts:
        names = "、".join(f"「{table.rows[n].name}」" for n in members[:3]) + ("等" if len(members) > 3 else "")
        for n in members:
            notes.append(
                ImportNote(
                    "I20", f"{names}的{why}，分值可能读错，请核对原表", source.at(table.rows[n].lines["name"]),
                    path=f"indicators[{n}].weight",
                )
            )
    titled = fields and _TITLE.search(source.flat)  # a 自评表 title and its head: a form, whatever is missing
    if not (indicators or funds_read or table.header_found or total or year or titled):
        raise InputError("没有找到绩效自评表的内容（资金情况、绩效指标表或总分），请检查是否选错了文件", place)
    has_head = bool(funds_read or year or fields)
    ends = _truncation(table, source, notes, has_head, total is not None)
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
    values: dict[str, Any] = {
        "kind": kind, "year": year[0] if year else None, "unit": fields.get("unit"),
        "department": fields.get("department"), "project": fields.get("project"),
        "filled_on": filled[0] if filled else None, "contact": contact, "funds": _funds(funds_read, source, prov, notes),
        "goals": goals, "indicators": indicators, "total_declared": total[0] if total else None,
        "conclusion": conclusion,
    }
    form = _within_limits(Form, values, "", None, notes)
    form.provenance = with_confidence(prov, form.indicators)  # before the doubts, which place their notes by it
    # the sums are judged on every text not cut off at its end (I01), its table's end word found or not: a
    # reader that lost the table's last rows may have lost the end word with them
    notes += form_doubts(
        form, _level_blocks(table), Extent(has_head, ends, end_known=False), frozenset(funds_read.total if funds_read else {}),
        _indicator_fields(table), source.at(table.rows[0].lines["name"]) if table.rows else None, notes,
    )
    notes += coverage_doubts(tokens, table, source.at, notes)
    notes += left_on_row_lines(tokens, table, source.at, notes)
    notes += layout_doubt(form, notes)
    return form, notes


def read_text(path: str | Path, data: bytes | None = None) -> tuple[Form, list[ImportNote]]:
    """Read a text file (encoding detected); notes say what could not be read. ``data``: the file's bytes, when
    the caller read them already (:func:`jixiao.io.read` sniffs a small file by reading it whole)."""
    path = Path(path)
    place = str(path)
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_TEXT_BYTES:
            raise InputError(f"文件过大（{size} 字节），文本表格不超过 {MAX_TEXT_BYTES} 字节", place)
        if data is None:
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
