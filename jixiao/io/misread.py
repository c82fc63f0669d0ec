"""Rows whose name or values show they were misread (错位、粘连、截断、识别错误), for every reader.

A row can fit its columns and still be wrong: its name holds a header word (``得分 偏差原因分析…``), a
level label (``质量指标合格率``), a number glued in from a value cell (``合格率8采购的…``), its own target
and actual (``名称 达标 达标``), a value (``32座``) or half a bracket (a cut name); its target or actual
is a header word, OCR noise (``IO0%``, ``^80%``) or the next row's name.  Each check is a small pure
function of the text; :func:`misread_rows` turns them into I20 notes on the whole rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Form, Indicator, Location
from ..targets import parse_target
from .notes import ImportNote
from .textlabels import ANSWERS, INDICATOR_HEAD_WORDS, TABLE_END, column_of, key
from .textscan import UNITS, is_value
from .vocabulary import vocabulary

_CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES_RUN_TOGETHER = 3  # this many long words in one name: several names of a flattened table


def _is_head_word(word: str) -> bool:
    return column_of(key(word)) is not None or key(word) in INDICATOR_HEAD_WORDS


#: Every proper prefix of a header word (``年度指`` of 年度指标值): a name that is one was cut from a header.
_HEAD_PREFIXES = frozenset(
    word[:n]
    for word in {*(w for words in vocabulary()["indicator_columns"].values() for w in words), *INDICATOR_HEAD_WORDS}
    for n in range(1, len(word))
)


#: A level label inside a name (``质量指标合格率``): the name ran into the level cell beside it.
_LEVEL_INSIDE = re.compile(
    "(?:" + "|".join(sorted({*vocabulary()["levels"]["level2"], *(n[:-2] for n in vocabulary()["levels"]["level1"].values()
                                                                   if n.endswith("指标"))}, key=len, reverse=True))
    + ")指标"
)


_COUNTER_CHARS = re.escape("".join(sorted({u[0] for u in UNITS if _CJK.match(u[0])} | set(vocabulary()["counters"]["words"]))))
#: A bare number glued between words of a name (``合格率8采购的…``): a value cell ran into the name.
_NUMBER_INSIDE = re.compile(rf"(?<=[\u4e00-\u9fff])(?<!指标)(?<!指標)\d+(?:\.\d+)?(?=[\u4e00-\u9fff])(?![{_COUNTER_CHARS}])")


def _unbalanced(text: str) -> bool:
    return text.count("(") + text.count("（") != text.count(")") + text.count("）")


def name_doubt(name: str) -> str | None:
    """Why a name read looks like something else than one indicator's name (a misaligned or cut row)."""
    words = name.split()
    if _is_head_word(name) or key(name) in _HEAD_PREFIXES:
        return "是表头文字"
    if any(_is_head_word(word) for word in words):
        return "中夹有表头文字"
    if len(words) > 1 and any(TABLE_END.match(key(word)) for word in words):  # ``名称 ≥1次 总分``: the table's end
        return "中夹有表尾文字（如“总分”），该行后面的内容可能未读"
    if _LEVEL_INSIDE.search(key(name)):
        return "中夹有指标层级名称（如“质量指标”）"
    if _NUMBER_INSIDE.search(name):
        return "中夹有一个数值（单元格粘连）"
    if not _CJK.search(name) or sum(1 for word in words if is_value(word)) >= 2:
        return "中夹有数值"
    if is_value(name) or key(name) in ANSWERS or len(_CJK.findall(name)) < 2:
        return "像是一个数值或答案，不是指标名称"
    if len(words) >= 3 and words[-1] == words[-2]:  # ``名称 达标 达标``: its target and actual ran into the name
        return "末尾带着年度指标值和实际完成值"
    if _unbalanced(name):
        return "括号不配对（名称可能被截断）"
    if sum(1 for word in words if len(_CJK.findall(word)) >= 4) >= NAMES_RUN_TOGETHER:
        return "像是几个指标名称连在一起"
    return None


_OCR = vocabulary()["ocr"]
_OCR_LETTERS = re.escape("".join(_OCR["in_numbers"]))
#: A digit's look-alike letter beside a digit or a %, or a comparison sign's look-alike before a number.
OCR_SUSPECT = re.compile(
    rf"(?<![A-Za-z])[{_OCR_LETTERS}](?=[\d{_OCR_LETTERS}]*[\d%])|(?<=\d)[{_OCR_LETTERS}]+(?![A-Za-z])"
    rf"|^[{re.escape(''.join(_OCR['signs']))}](?=\d)"
)


def value_doubt(indicator: Indicator) -> str | None:
    """Why a target or actual read looks like a header cell or OCR noise rather than the row's value."""
    for label, value in (("年度指标值", indicator.target), ("实际完成值", indicator.actual)):
        if value and _is_head_word(value):
            return f"{label}「{value}」是表头文字"
        if value and OCR_SUSPECT.search(value):
            return f"{label}「{value}」像是识别有误的数字（字母 O、I 或符号代替了数字、≥）"
    if _wordy(indicator.actual) and indicator.target and parse_target(indicator.target).is_quantity:
        return f"实际完成值「{indicator.actual}」是一段文字而年度指标值「{indicator.target}」是数量（可能读到了下一行的名称）"
    return None


WORDY_CHARS = 4  # an actual of this many characters without a digit, under a numeric target, is a name


def _wordy(value: str | None) -> bool:
    return bool(value) and not re.search(r"\d", value or "") and len(_CJK.findall(value or "")) >= WORDY_CHARS and (
        key(value or "") not in ANSWERS)


def misread_rows(indicators: Sequence[Indicator], places: Sequence[Location | None]) -> list[ImportNote]:
    """I20 on each row whose name or values show it misread (the row as a whole: its cells may be shifted)."""
    notes = []
    for index, (indicator, where) in enumerate(zip(indicators, places, strict=True)):
        named = name_doubt(indicator.name)
        why = (f"名称「{indicator.name}」{named}" if named else None) or value_doubt(indicator)
        if why:
            notes.append(ImportNote("I20", f"第{index + 1}个指标的{why}，该行的读数可能错位，请核对原表", where,
                                    path=f"indicators[{index}]"))
    return notes


#: A document number (文号, ``昌州财行(2022)10号``) ending a name: the words printed after it were not read.
_DOCUMENT_NUMBER = re.compile(r"[(（〔\[]\s*(?:19|20)\d{2}\s*[)）〕\]]\s*\d+\s*号$")
#: Head fields whose value is a name, with their Chinese names.
NAMED_FIELDS = (("unit", "单位名称"), ("project", "项目名称"))


def head_doubt(value: str) -> str | None:
    """Why a head name read (单位, 项目名称) looks cut short or misrecognised."""
    if _DOCUMENT_NUMBER.search(value):
        return "以文号结尾，其后的名称可能未读入"
    if OCR_SUSPECT.search(value):
        return "中有像数字的字母（O、I 等），可能识别有误"
    return None


def head_doubts(form: Form) -> list[ImportNote]:
    """I20 on a head name whose shape shows it was cut short or misrecognised (placed where it was read)."""
    return [ImportNote("I20", f"{label}「{value}」{why}，请核对原表", form.provenance.get(path), path=path)
            for path, label in NAMED_FIELDS
            if (value := getattr(form, path)) and (why := head_doubt(value))]
