"""Label dictionary of the 绩效自评表 text importer.

Every template words its labels a little differently (``年度指标值`` / ``年初目标值`` /
``预期指标值``), prints them with spaces or one character per line, in Traditional
characters with pinyin injected (``項(xiàng)目``), with full-width brackets.  Labels are
therefore compared on a *key*: the text without white space, pinyin or ``(A)`` marks,
full-width ASCII folded to half-width and Traditional folded to Simplified.  Values are
never keyed — they stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import lru_cache

from .vocabulary import role_of, traditional_table, vocabulary

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
_SPACE = re.compile(r"\s+")
_COLUMN_MARK = re.compile(r"\([A-Z](/[A-Z])?\)$")

_TRADITIONAL = traditional_table()


def fold(text: str) -> str:
    """Full-width ASCII to half-width (``（１０分）`` → ``(10分)``) without touching CJK."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)  # the same words are keyed over and over as every reader scans the same text
def key(text: str) -> str:
    """The comparison key of a label."""
    text = _PINYIN.sub("", text)
    text = fold(text).translate(_TRADITIONAL)
    return _SPACE.sub("", text)


class Column(Enum):
    """Columns of the indicator table (绩效指标表的列)."""

    NAME = "三级指标"
    NATURE = "指标性质"
    DIRECTION = "指标方向"
    VALUE = "指标值"
    MEASURE = "度量单位"
    TARGET = "年度指标值"
    ADJUSTED = "调整指标值"
    ACTUAL = "实际完成值"
    WEIGHT = "分值"
    SCORE = "得分"
    RATIO = "得分系数"
    REASON = "原因"
    CORE = "是否核心指标"
    METHOD = "得分计算方法"
    REVIEW = "复核分"
    SHARE = "权重占比"  # 河北 双权重表
    CONVERTED = "折算得分"
    OTHER = "未识别列"  # a header cell the vocabulary does not know: its cells keep their place, not their text


#: The indicator field each value column fills (指标值 is the target of a form that prints no 年度指标值).
FIELD_OF_COLUMN = {Column.TARGET: "target", Column.VALUE: "target", Column.ACTUAL: "actual",
                   Column.WEIGHT: "weight", Column.SCORE: "score_declared"}


#: Roles of the vocabulary's indicator columns as text-reader columns (一级/二级指标 are head words).
_COLUMN_OF_ROLE = {
    "name": Column.NAME, "nature": Column.NATURE, "direction": Column.DIRECTION, "measure": Column.MEASURE, "value": Column.VALUE,
    "target": Column.TARGET, "adjusted": Column.ADJUSTED, "actual": Column.ACTUAL, "weight": Column.WEIGHT,
    "score": Column.SCORE, "coefficient": Column.RATIO, "reason": Column.REASON, "core": Column.CORE,
    "method": Column.METHOD, "review": Column.REVIEW, "share": Column.SHARE, "converted": Column.CONVERTED,
    "other": Column.OTHER,
}

#: Header words that belong to the indicator table head but are not data columns.
INDICATOR_HEAD_WORDS = frozenset(vocabulary()["indicator_head"]["words"])

_LEVELS = vocabulary()["levels"]
LEVEL1_NAMES: dict[str, str] = _LEVELS["level1"]
LEVEL1 = re.compile(
    rf"^(?:({'|'.join(n for n in LEVEL1_NAMES if not n.startswith('项目'))})指标"
    rf"|({'|'.join(n for n in LEVEL1_NAMES if n.startswith('项目'))}))"
    r"(\(\d+(\.\d+)?分?\)|\d+(\.\d+)?分)?$"
)
#: Level-1 labels lost in extraction leave only their weight: ``(50分)``.
LEVEL1_WEIGHT_ONLY = re.compile(r"^\((\d+(\.\d+)?)分\)$")
LEVEL2 = re.compile(rf"^({'|'.join(sorted(_LEVELS['level2'], key=len, reverse=True))})(指标)?(等)?$")
#: When only ``(50分)`` survives, the standard order of the level-1 blocks names it.
LEVEL1_ORDER: list[str] = _LEVELS["level1_order"]

#: Footer labels under the indicator table (联系人, 填报人 …): the table ended there, in every reader.
FOOTER_LABELS: tuple[str, ...] = tuple(vocabulary()["table_end"]["footer"])
#: Labels of the 总分 row, and of a sum row (合计) that is the total when it follows the indicator rows.
SCORE_TOTAL_LABELS: tuple[str, ...] = tuple(vocabulary()["table_end"]["total"])
SUM_ROW_LABELS: tuple[str, ...] = tuple(vocabulary()["table_end"]["sum_row"])
#: Where the indicator table ends (总分 row, conclusion, signatures, footnotes).
TABLE_END = re.compile(
    rf"^({'|'.join(SCORE_TOTAL_LABELS + SUM_ROW_LABELS)}|绩效结论|评价结论|其他需要说明事项|说明|项目负责人:?|财务负责人:?|"
    rf"偏差大或目标未完成原因分析|(?:{'|'.join(FOOTER_LABELS)}).*|注[:：].*|备注[:：]?.*|存在问题|改进措施)$"
)
#: The label of a 一级 block's subtotal row (小计): its figures are the block's, no lost row's.
SUBTOTAL_LABELS = frozenset(vocabulary()["table_end"]["subtotal"])
#: A line that is no row of the table: a page number or a continued table's title (on its squashed text).
PAGE_MARKS = tuple(re.compile(pattern) for pattern in vocabulary()["page_marks"]["patterns"])

#: Filler cells: the template's ``……`` rows and dashes for "not applicable".
FILLER = re.compile(r"^(…+|\.{3,}|[-—–]+|/)$")


def level1_name(label_key: str) -> str | None:
    """``产出指标(50分)`` → ``产出指标``."""
    m = LEVEL1.match(label_key)
    return LEVEL1_NAMES[m.group(1) or m.group(2)] if m else None


def column_of(label_key: str) -> Column | None:
    """The indicator column a header cell names, or None."""
    role = role_of(_COLUMN_MARK.sub("", label_key), "indicator_columns")
    return _COLUMN_OF_ROLE.get(role) if role else None


#: The heads of the two level columns, in their printed order: head words, not data columns.
LEVEL_HEADS = (*vocabulary()["indicator_columns"]["level1"], *vocabulary()["indicator_columns"]["level2"])

#: Answer words (是/否, 达成 …) that stand in a value cell.
ANSWERS = frozenset(vocabulary()["answers"]["words"])

#: Words that begin a funds row (其中：财政拨款, 其他资金 …).
FUNDS_ROW_WORDS = tuple(vocabulary()["funds_rows"]["words"])


def head_cell(text: str) -> Column | str | None:
    """The column a cell names when it is a header cell standing alone (一级/二级指标 as their words)."""
    if "|" in text or not text.strip():
        return None
    label = key(text)
    return label if label in LEVEL_HEADS else column_of(label)


def is_level(label_key: str) -> bool:
    """A 一级 or 二级 label (``产出指标``, ``数量指标``)."""
    return bool(level1_name(label_key) or LEVEL2.match(label_key))
