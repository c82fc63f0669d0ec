"""The grammar of what people write in 年度指标值 (target) and 实际完成值 (actual).

``≥300份``, ``≤90万元``, ``100%``, ``不低于95%``, ``95%以上``, ``三个``, ``2022年12月底``,
``12月31日前``, ``按时保质完成``, ``达成预期指标``, ``比上年增长5%`` … all become a :class:`Target`:
a kind, an operator, a number and a unit, plus the text exactly as written. Nothing is dropped:
text the grammar cannot read becomes kind ``unknown`` and keeps its verbatim text for the auditor.

The words are data (``grammar.toml``): sign spellings (``═``, ``≧``), operator words, the
inclusive modifier ``（含）``, relative-target words, the three qualitative tiers with their
negations (``不达标``, ``未按时完成``, ``逾期完成`` are 未达成), lower-is-better name words, and
the Traditional characters folded before reading (pinyin glosses such as ``達(dá)成`` are dropped).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .datafile import load_toml

Op = Literal["≥", ">", "=", "<", "≤"]
Kind = Literal["quantity", "qualitative", "deadline", "relative", "unknown", "empty"]
#: How a relative target (相对上年的目标) changes last year's actual: by a percentage or by an amount.
Change = Literal["percent", "amount"]
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
    change: Change | None = None  # relative targets: ``number`` is a percentage or an amount of change
    # Derived once here (targets are cached and shared): every check asks, so no per-call property.
    is_quantity: bool = field(init=False)
    op_written: bool = field(init=False)  # an operator was written in the text (suspicious in an actual)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_quantity", self.kind == "quantity")
        object.__setattr__(self, "op_written", self.op is not None and not self.op_inferred)

    def describe(self) -> str:
        """Short normalised form, e.g. ``≥ 300 份``."""
        if self.kind == "relative":
            return f"相对上年 {self.op} {'+' if self.op in POSITIVE_OPS else '−'}{self.number}{self.unit or ''}"
        if self.kind == "quantity":
            return " ".join(str(p) for p in (self.op, self.number, self.unit) if p is not None)
        return self.text


class Grammar(BaseModel):
    """The grammar's vocabulary (``grammar.toml``): signs, operator words, tiers, negations, name hints."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    signs: dict[str, str]
    operators: _Operators
    units: _Units
    relative: _Relative
    tiers: _Tiers
    negation: _Negation
    lower_is_better: _LowerIsBetter
    traditional: _Traditional


class _Operators(BaseModel):
    prefix: list[tuple[str, Op]]
    suffix: list[tuple[str, Op]]
    inclusive: list[str]


class _Units(BaseModel):
    aliases: list[tuple[str, str]]


class _Relative(BaseModel):
    basis: list[str]
    lead: list[str]
    up: list[str]
    down: list[str]
    floor: list[str]
    ceiling: list[str]
    bare_up: list[str]
    bare_down: list[str]


class _Tiers(BaseModel):
    unmet: list[str]
    partial: list[str]
    achieved: list[str]


class _Negation(BaseModel):
    words: list[str]
    reach: int = Field(ge=0, le=6)
    not_negations: list[str]


class _LowerIsBetter(BaseModel):
    words: list[str]
    unless: list[str]


class _Traditional(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")

    @model_validator(mode="after")
    def _same_length(self) -> _Traditional:
        if len(self.source) != len(self.target):
            raise ValueError("from 与 to 的字数必须相同")
        return self


Grammar.model_rebuild()
GRAMMAR: Grammar = load_toml(Path(__file__).with_name("grammar.toml"), Grammar, "语法词表")

_SIGNS = sorted(GRAMMAR.signs.items(), key=lambda kv: -len(kv[0]))
_PREFIX_OPS = GRAMMAR.operators.prefix
_SUFFIX_OPS = GRAMMAR.operators.suffix
_INCLUSIVE = tuple(GRAMMAR.operators.inclusive)
_UNIT_ALIASES = GRAMMAR.units.aliases
_TRADITIONAL = str.maketrans(GRAMMAR.traditional.source, GRAMMAR.traditional.target)
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
_PUNCTUATION = frozenset("，,。.；;：:、!！?？()（）")

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


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_REL = GRAMMAR.relative
_RELATIVE = re.compile(
    rf"^(?P<lead>{_alternation(_REL.lead)})?(?P<basis>{_alternation(_REL.basis)})(?:水平)?"
    rf"(?P<dir>{_alternation(_REL.up + _REL.down)})?(?P<num>\d+(?:\.\d+)?)(?P<unit>\D{{0,8}})$"
    rf"|^(?P<bare>{_alternation(_REL.bare_up + _REL.bare_down)})(?P<bnum>\d+(?:\.\d+)?)(?P<bunit>\D{{0,8}})$"
    rf"|^(?P<bound>{_alternation(_REL.floor + _REL.ceiling)})(?P<bbasis>{_alternation(_REL.basis)})(?:水平)?$"
)

@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """The text as the grammar reads it: NFKC, canonical signs, Simplified, no pinyin, spaces or thousands commas."""
    s = _PINYIN.sub("", unicodedata.normalize("NFKC", text)).translate(_TRADITIONAL)
    for spelling, sign in _SIGNS:
        s = s.replace(spelling, sign)
    s = re.sub(r"\s+", "", s)
    return re.sub(r"(?<=\d),(?=\d{3})", "", s)


def _occurrences(s: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any word in ``s``."""
    found = []
    for word in words:
        start = s.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = s.find(word, start + 1)
    return found


def _negated(s: str) -> bool:
    """An achievement word follows a negation within ``reach`` characters (不达标, 未按时完成, 无法按期完成)."""
    rules = GRAMMAR.negation
    harmless = _occurrences(s, rules.not_negations)
    ends = [end for start, end in _occurrences(s, rules.words)
            if not any(a <= start < b for a, b in harmless)]
    if not ends:
        return False
    for start, _ in _occurrences(s, GRAMMAR.tiers.achieved):
        if any(harmless_start <= start < harmless_end for harmless_start, harmless_end in harmless):
            continue
        for end in ends:
            gap = s[end:start]
            if 0 <= start - end <= rules.reach and not _PUNCTUATION.intersection(gap):
                return True
    return False


@lru_cache(maxsize=8192)
def tier_of(text: str) -> Tier | None:
    """Which qualitative tier a piece of text names (达成 / 部分达成 / 未达成), if any.

    Explicit 未达成 words first, then a negated achievement word (不达标 is 未达成, not 达成), then
    部分达成, then 达成.
    """
    s = normalise(text)
    tiers = GRAMMAR.tiers
    if any(w in s for w in tiers.unmet) or _negated(s):
        return "unmet"
    if any(w in s for w in tiers.partial):
        return "partial"
    if any(w in s for w in tiers.achieved):
        return "achieved"
    return None


@lru_cache(maxsize=8192)
def lower_is_better(name: str) -> str | None:
    """The word that marks an indicator as one where less is better (事故, 投诉 …), if its name has one.

    ``投诉办结率`` or ``挽回损失`` name something handled or recovered: more is better there.
    """
    s = normalise(name)
    if any(w in s for w in GRAMMAR.lower_is_better.unless):
        return None
    return next((w for w in GRAMMAR.lower_is_better.words if w in s), None)


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


def _without_inclusive(s: str) -> tuple[str, str | None]:
    """``50%（含）以上`` → ``50%以上``: the modifier only says the bound itself counts, as ≥ and ≤ already do."""
    for modifier in _INCLUSIVE:
        if modifier in s:
            return s.replace(modifier, ""), f"“{modifier}”表示含本数"
    return s, None


def _fold_unit(unit: str) -> tuple[str, str | None]:
    for alias, canonical in _UNIT_ALIASES:
        if unit.startswith(alias):
            return canonical + unit[len(alias):], f"单位“{alias}”按“{canonical}”处理"
    return unit, None


def _parse_relative(text: str, s: str) -> Target | None:
    """比上年增长5%, 超上年2%, 较上年减少10%, 增372人次, 不低于上年: a change against last year's actual."""
    m = _RELATIVE.match(s)
    if m is None:
        return None
    rel = GRAMMAR.relative
    if m.group("bound"):
        op: Op = "≥" if m.group("bound") in rel.floor else "≤"
        return Target(text, "relative", op=op, number=Decimal(0), change="amount",
                      note=f"相对目标：{'不低于' if op == '≥' else '不高于'}上年实际完成值")
    direction = m.group("dir") or m.group("bare")
    number, unit = (m.group("num"), m.group("unit")) if m.group("num") else (m.group("bnum"), m.group("bunit"))
    if direction is None and not m.group("lead"):
        return None  # 上年100人: a number that only names last year, not a change
    down = direction in rel.down or direction in rel.bare_down
    points = unit.startswith("个百分点")
    unit, _ = _fold_unit(unit)
    if not _UNIT_TEXT.match(unit):
        return None
    change: Change = "percent" if unit == "%" and not points else "amount"
    what = f"上年实际完成值{'减少' if down else '增加'}{number}{'个百分点' if points else unit}"
    return Target(text, "relative", op="≤" if down else "≥", number=Decimal(number), unit=unit or None,
                  change=change, note=f"相对目标：{what}")


def _parse_quantity(text: str, s: str, default_op: Op) -> Target | None:
    s, inclusive = _without_inclusive(s)
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
    unit, folded = _fold_unit(unit)
    note = "；".join(n for n in (inclusive, folded) if n) or None
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
    if (relative := _parse_relative(text, s)) is not None:
        return relative
    if _RANGE.search(s):
        return Target(text, "unknown", note="区间或浮动目标（如“90%-95%”“±5%”）不是可计分的单值，请拆分为两个指标或改为定性")
    if (quantity := _parse_quantity(text, s, default_op)) is not None:
        return quantity
    if _NUMBER.search(s):
        return Target(text, "unknown", note=f"无法识别的写法“{text.strip()}”，原文保留")
    return Target(text, "qualitative", tier=tier_of(s))
