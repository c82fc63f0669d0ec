"""The grammar of what people write in 年度指标值 (target) and 实际完成值 (actual).

``≥300份``, ``≤90万元``, ``100%``, ``不低于95%``, ``95%以上``, ``三个``, ``2022年12月底``,
``12月31日前``, ``按时保质完成``, ``达成预期指标`` … all become a :class:`Target`: a kind, an
operator, a number and a unit, plus the text exactly as written. Nothing is dropped: text the
grammar cannot read becomes kind ``unknown`` and keeps its verbatim text for the auditor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

Op = Literal["≥", ">", "=", "<", "≤"]
Kind = Literal["quantity", "qualitative", "deadline", "unknown", "empty"]
Tier = Literal["achieved", "partial", "unmet"]

POSITIVE_OPS: frozenset[str] = frozenset({"≥", ">", "="})
REVERSE_OPS: frozenset[str] = frozenset({"≤", "<"})


@dataclass(frozen=True)
class Deadline:
    """A date target or actual (时效): ``2022年12月底`` → (2022, 12, 31)."""

    year: int | None
    month: int
    day: int | None

    def key(self, default_year: int) -> tuple[int, int, int]:
        """Comparable (year, month, day); a missing day means the end of the month."""
        return (self.year or default_year, self.month, self.day or 31)


@dataclass(frozen=True)
class Target:
    """One parsed 指标值 or 完成值."""

    text: str  # as written
    kind: Kind
    op: Op | None = None
    number: Decimal | None = None
    unit: str | None = None
    op_inferred: bool = False  # no operator written; ``op`` is the rule's default
    deadline: Deadline | None = None
    tier: Tier | None = None  # for qualitative text: which 定性 tier it names
    note: str | None = None  # what was normalised or why it is unknown
    # Derived once here (targets are cached and shared): every check asks, so no per-call property.
    is_quantity: bool = field(init=False)
    op_written: bool = field(init=False)  # an operator was written in the text (suspicious in an actual)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_quantity", self.kind == "quantity")
        object.__setattr__(self, "op_written", self.op is not None and not self.op_inferred)

    def describe(self) -> str:
        """Short normalised form, e.g. ``≥ 300 份``."""
        if self.kind == "quantity":
            return " ".join(str(p) for p in (self.op, self.number, self.unit) if p is not None)
        return self.text


# Operators written as words; longer phrases first so 大于等于 wins over 大于.
_PREFIX_OPS: tuple[tuple[str, Op], ...] = (
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"),
    ("至少", "≥"), ("≥", "≥"),
    ("小于或等于", "≤"), ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不多于", "≤"),
    ("不大于", "≤"), ("控制在", "≤"), ("≤", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), (">", ">"),
    ("小于", "<"), ("低于", "<"), ("<", "<"),
    ("等于", "="), ("=", "="), ("达到", "≥"),
)
_SUFFIX_OPS: tuple[tuple[str, Op], ...] = (
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"),
)
_UNIT_ALIASES = {"百分比": "%", "百分之": "%", "％": "%", "个百分点": "%"}

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"^([零〇一二两三四五六七八九十百千]+)(.*)$")
_DATE = re.compile(
    r"^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号])?(?:底|末|份)?(?:前|之前|以前|内|完成|前完成)?$"
    r"|^(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?(?:前|之前)?$"
)
_YEAR_END = re.compile(r"^(?:(\d{4})年)?(?:年底|年末|年终|底)(?:前|之前|以前)?(?:完成)?$")
_RANGE = re.compile(r"\d\s*(?:%|％)?\s*[-~～—至到]\s*\d|±")
_UNIT_TEXT = re.compile(r"^[^\d]{0,8}$")

# Qualitative tiers (定性指标三档). Order matters: negations are tested before the words they contain.
_UNMET = ("未达成", "未完成", "未达到", "未实现", "未开展", "没有完成", "较差", "效果差", "不合格", "不满意", "否")
_PARTIAL = ("部分达成", "部分完成", "部分实现", "基本达成", "基本完成", "基本实现", "一定效果", "基本满意",
            "较好", "良好", "一般")
_ACHIEVED = ("达成", "完成", "实现", "达到", "达标", "优秀", "明显", "显著", "合格", "满意", "按时", "及时",
             "到位", "有效", "好", "是", "全部", "提高", "提升", "增强", "改善", "规范")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """Full-width → half-width (NFKC), unify ≥/≤ spellings, drop spaces and thousands commas."""
    s = unicodedata.normalize("NFKC", text)
    for a, b in ((">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("=>", "≥"), ("=<", "≤"),
                 ("⩾", "≥"), ("⩽", "≤")):
        s = s.replace(a, b)
    s = re.sub(r"\s+", "", s)
    return re.sub(r"(?<=\d),(?=\d{3})", "", s)


def tier_of(text: str) -> Tier | None:
    """Which qualitative tier a piece of text names (达成 / 部分达成 / 未达成), if any."""
    s = normalise(text)
    for words, tier in ((_UNMET, "unmet"), (_PARTIAL, "partial"), (_ACHIEVED, "achieved")):
        if any(w in s for w in words):
            return tier  # type: ignore[return-value]
    return None


def _chinese_number(s: str) -> Decimal | None:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105 (small counts written in words)."""
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return Decimal(total + current)


def _split_op(s: str) -> tuple[Op | None, str]:
    """Operator written before the number (≥, 不低于 …) or after it (以上, 以内 …), or both (控制在…以内)."""
    op: Op | None = None
    for word, prefix_op in _PREFIX_OPS:
        if s.startswith(word):
            op, s = prefix_op, s[len(word):]
            break
    for word, suffix_op in _SUFFIX_OPS:
        if s.endswith(word) and len(s) > len(word):
            return op or suffix_op, s[: -len(word)]
    return op, s


def _parse_deadline(text: str, s: str) -> Target | None:
    if m := _DATE.match(s):
        y, mo, d, y2, mo2, d2 = m.groups()
        year, month, day = (y, mo, d) if mo else (y2, mo2, d2)
        if 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31):
            deadline = Deadline(int(year) if year else None, int(month), int(day) if day else None)
            return Target(text, "deadline", op="≤", deadline=deadline)
    if m := _YEAR_END.match(s):
        year = m.group(1)
        return Target(text, "deadline", op="≤", deadline=Deadline(int(year) if year else None, 12, 31))
    return None


def _parse_quantity(text: str, s: str, default_op: Op) -> Target | None:
    op, rest = _split_op(s)
    number: Decimal | None
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)(.*)", rest):
        try:
            number = Decimal(m.group(1))
        except InvalidOperation:  # pragma: no cover - the regex only admits digits
            return None
        unit = m.group(2)
    elif (m := _CN_NUMBER.match(rest)) and m.group(2) and not _NUMBER.search(m.group(2)):
        number, unit = _chinese_number(m.group(1)), m.group(2)
        if number is None:
            return None
    else:
        return None
    note = None
    for alias, canonical in _UNIT_ALIASES.items():
        if unit.startswith(alias):
            note = f"单位“{alias}”按“{canonical}”处理"
            unit = canonical + unit[len(alias):]
    if not _UNIT_TEXT.match(unit):
        return None
    inferred = op is None
    return Target(text, "quantity", op=op or default_op, number=number, unit=unit or None,
                  op_inferred=inferred, note=note)


@lru_cache(maxsize=8192)
def parse_target(text: str | None, default_op: Op = "≥") -> Target:
    """Parse one 指标值/完成值 cell.

    ``default_op`` is the operator assumed when none is written: ``≥`` for ordinary
    indicators, ``≤`` for cost indicators (成本指标). The result records whether the
    operator was written or inferred, so the inference stays visible.
    """
    if text is None or not text.strip() or text.strip() in {"—", "-", "/", "无数据"}:
        return Target(text or "", "empty")
    s = normalise(text)
    if (deadline := _parse_deadline(text, s)) is not None:
        return deadline
    if _RANGE.search(s):
        return Target(text, "unknown", note="区间或浮动目标（如“90%-95%”“±5%”）不是可计分的单值，请拆分为两个指标或改为定性")
    if (quantity := _parse_quantity(text, s, default_op)) is not None:
        return quantity
    if _NUMBER.search(s):
        return Target(text, "unknown", note=f"无法识别的写法“{text.strip()}”，原文保留")
    return Target(text, "qualitative", tier=tier_of(s))
