"""The scoring engine: small pure formulas, each returning a score *and* its explanation.

Result records are plain slotted dataclasses, treated as read-only: frozen ones cost ~7× more to
build, and a batch of thousands of forms builds hundreds of thousands of them. Their explanations are
worded when they are read (:data:`Why`): a batch reads none of them, and wording every one cost a fifth of
scoring a form.

One function per indicator type (positive, reverse, zero target, qualitative, deadline,
unscorable) plus the execution-rate score, block totals, the total and the grade. Which
variant applies and with which numbers comes from the :class:`~jixiao.rules.Profile`.
Scores are ``Decimal``; they are rounded half-up only where the profile says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation, getcontext
from functools import lru_cache
from typing import Any, overload

from .model import Form, FundRow, Indicator
from .rules import Profile
from .targets import REVERSE_OPS, Target, Tier, lower_is_better, normalise, parse_target

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TIER_NAMES: dict[Tier, str] = {"achieved": "达成", "partial": "部分达成", "unmet": "未达成"}
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(10) ** 8}


def fmt(value: Decimal | None) -> str:
    """A decimal as written, without exponent notation (3331.80 stays 3331.80)."""
    if value is None:
        return "—"
    text = str(value)
    return f"{value:f}" if "E" in text else text


def plain(value: Decimal) -> str:
    """A derived number without needless zeros (0.8 × 100 → 80, not 80.0)."""
    return f"{value.normalize():f}"


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without padding zeros, never rounded (``normalize`` would round to 28 digits)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(share: Decimal, places: int = 1) -> str:
    """A share as a percentage for messages: 0.9962 → 99.6."""
    return plain(round_places(share * HUNDRED, places))


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(11))  # 1, 0.1, 0.01 … (quantize's exponent)


def round_places(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    quantum = _QUANTA[places] if places < len(_QUANTA) else Decimal(1).scaleb(-places)
    try:  # nearly every value fits the context: quantize at once, no questions asked of the value first
        return value.quantize(quantum, rounding=rounding)
    except InvalidOperation:
        pass
    context = getcontext()
    if value.is_finite() and value.adjusted() + places + 2 > context.prec:
        # A context as wide as the result: the default 28 digits would make quantize fail (InvalidOperation)
        # on a large ratio of in-range inputs (an actual of 10^12 against a target of 0.001).
        context = Context(prec=value.adjusted() + places + 2)
    return value.quantize(quantum, rounding=rounding, context=context)


#: An explanation: its text, or the function that words it followed by that function's arguments (a tuple),
#: worded by :func:`worded` when it is read. Building the tuple costs a tenth of wording the text.
Why = str | tuple[Any, ...]


def worded(why: Why) -> str:
    """The text of an explanation (:data:`Why`)."""
    if isinstance(why, str):
        return why
    word: Callable[..., str] = why[0]
    return word(*why[1:])


def _words(*parts: Why) -> str:
    """Explanations one after the other (a lazy explanation with text before or after it)."""
    return "".join(map(worded, parts))


class Worded:
    """The ``explanation`` of a result record: its :data:`Why` (the record's field ``why``) worded on the first
    read and kept as text."""

    @overload
    def __get__(self, record: None, owner: type) -> Worded: ...
    @overload
    def __get__(self, record: object, owner: type) -> str: ...

    def __get__(self, record: Any, owner: type) -> Worded | str:
        if record is None:
            return self
        why = record.why
        if type(why) is not str:
            why = record.why = worded(why)
        return str(why)

    def __set__(self, record: Any, text: str) -> None:
        record.why = text


@dataclass(slots=True)
class Outcome:
    """What a formula returns: the score, how it was obtained, and whether the target was met."""

    score: Decimal
    method: str
    why: Why = field(compare=False, repr=False)  # worded when read (``explanation``): equal records stay equal
    met: bool | None = None

    explanation = Worded()


@dataclass(slots=True)
class IndicatorScore:
    """The computed score of one 三级指标 next to what the unit declared."""

    index: int
    name: str
    level1: str | None
    level2: str | None
    weight: Decimal
    score: Decimal
    declared: Decimal | None
    method: str  # positive | reverse | zero_target | qualitative | deadline | declared
    why: Why = field(compare=False, repr=False)  # worded when read (``explanation``): equal records stay equal
    target: Target
    actual: Target
    met: bool | None
    is_cost: bool
    weight_known: bool = True  # False: the form has no 分值; ``weight`` is then the declared score
    #: 河北 双权重表 (profile ``[conversion] rule = "weight_share"``): the row's 权重占比 (%) and its 折算得分,
    #: computed and declared; ``converted`` None means the score counts as it is (every other template).
    share: Decimal | None = None
    converted: Decimal | None = None
    converted_declared: Decimal | None = None
    #: What the row said (its texts and written decimals, the year) when :func:`score_indicator` scored it from its
    #: row cache; None for a row scored against last year's actual. The auditor's row cache is keyed by it.
    key: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)

    explanation = Worded()

    @property
    def counted(self) -> tuple[Decimal, Decimal, Decimal | None]:
        """(分值, 得分, 填报得分) as they count toward the total: folded by 权重占比 where the profile says so."""
        if self.converted is None or self.share is None:
            return self.weight, self.score, self.declared
        return self.weight * self.share / HUNDRED, self.converted, self.converted_declared


@dataclass(slots=True)
class ExecutionScore:
    """预算执行率 and its points."""

    budget: Decimal | None  # 全年预算数 (A)
    executed: Decimal | None  # 全年执行数 (B)
    rate: Decimal | None  # B/A in percent, exact
    weight: Decimal
    score: Decimal
    declared: Decimal | None
    why: Why = field(compare=False, repr=False)  # worded when read (``explanation``): equal records stay equal
    printed: bool = False  # the rate is the form's printed 执行率 (no amounts to compute it from)

    explanation = Worded()

    @property
    def rate_display(self) -> Decimal | None:
        return None if self.rate is None else round_places(self.rate, 2)


@dataclass(slots=True)
class BlockScore:
    """Totals of one level-1 block (产出/效益/满意度…)."""

    level1: str
    weight: Decimal
    score: Decimal
    declared: Decimal | None


@dataclass(slots=True)
class Scorecard:
    """Everything the scorer computed for one form."""

    profile: str  # ``id@version`` of the rules that produced it
    execution: ExecutionScore
    indicators: list[IndicatorScore]
    blocks: list[BlockScore]
    total: Decimal  # on the 100-point scale (see :func:`total_on_scale`)
    grade: str
    total_declared: Decimal | None
    declared_sum: Decimal | None  # Σ declared indicator scores + declared execution score
    raw_total: Decimal  # Σ computed scores before they were put on the 100-point scale
    total_explanation: str  # how the total was obtained when it differs from ``raw_total``, else ""
    #: The national rule's total where the profile folds scores by 权重占比 (单项指标得分 added as they are);
    #: None when nothing was folded.
    national_total: Decimal | None = None

    @property
    def indicator_weight(self) -> Decimal:
        """Σ 分值 of the indicators (without the execution block)."""
        return sum((b.weight for b in self.blocks), ZERO)

    @property
    def indicator_score(self) -> Decimal:
        """Σ computed indicator scores (without the execution score)."""
        return sum((b.score for b in self.blocks), ZERO)


# --- quantitative ----------------------------------------------------------------------------

def _full_text(actual: Decimal, target: Decimal, weight: Decimal, sign: str, unit: str) -> str:
    return f"{fmt(actual)}{unit} {sign} {fmt(target)}{unit}，达到目标，得满分 {fmt(weight)}"


def _full(actual: Decimal, target: Decimal, weight: Decimal, sign: str, unit: str) -> Outcome:
    return Outcome(weight, "", (_full_text, actual, target, weight, sign, unit), True)


def _ratio_text(numerator: Decimal, denominator: Decimal, weight: Decimal, score: Decimal, tail: str = "") -> str:
    return f"{fmt(numerator)}/{fmt(denominator)} × {fmt(weight)} = {fmt(score)}{tail}"


def _linear_text(actual: Decimal, target: Decimal, weight: Decimal, score: Decimal) -> str:
    return (f"(1 − ({fmt(actual)} − {fmt(target)})/{fmt(target)}) × {fmt(weight)} = {fmt(score)}"
            "（超出目标，线性递减，2倍目标时为0）")


def score_positive(target: Decimal, actual: Decimal, weight: Decimal, places: int, unit: str = "") -> Outcome:
    """正向指标 (≥ > =): met → full weight; else actual/target × weight (表注3, pmkpi selfpositiveindex)."""
    if actual >= target:
        return _full(actual, target, weight, "≥", unit)
    if actual < ZERO:
        actual = ZERO  # pmkpi clamps a negative actual to 0
    score = round_places(actual / target * weight, places)
    return Outcome(score, "positive", (_ratio_text, actual, target, weight, score), False)


def score_reverse(
    target: Decimal, actual: Decimal, weight: Decimal, places: int, formula: str, unit: str = ""
) -> Outcome:
    """反向指标 (≤ <): within target → full; above it, ratio A/B × w (表注3) or linear to 0 at 2A (pmkpi)."""
    if actual <= target:
        return _full(actual, target, weight, "≤", unit)
    if formula == "ratio":
        score = round_places(target / actual * weight, places)
        return Outcome(score, "reverse", (_ratio_text, target, actual, weight, score, "（超出目标，按 A/B 计分）"), False)
    share = max(ZERO, 1 - (actual - target) / target)
    score = round_places(share * weight, places)
    return Outcome(score, "reverse", (_linear_text, actual, target, weight, score), False)


def score_zero_target(op: str, actual: Decimal, weight: Decimal) -> Outcome:
    """Target 0 (``≤0起`` accidents …): all or nothing (pmkpi selfindexequalzero)."""
    met = actual >= 0 if op in ("≥", ">") else actual <= 0
    score = weight if met else ZERO
    return Outcome(score, "zero_target", (_zero_text, actual, met, score), met)


def _zero_text(actual: Decimal, met: bool, score: Decimal) -> str:
    return f"目标为0，实际 {fmt(actual)}，{'达到' if met else '未达到'}，得 {fmt(score)}（全有或全无）"


def _convert(actual: Target, target: Target) -> tuple[Decimal, str]:
    """Actual expressed in the target's unit where the units are money units of different size."""
    assert actual.number is not None
    tu, au = target.unit, actual.unit
    if tu == au:  # the same unit (nearly always) needs no conversion
        return actual.number, ""
    if tu in MONEY_UNITS and au in MONEY_UNITS and tu != au:
        value = actual.number * MONEY_UNITS[au] / MONEY_UNITS[tu]
        return value, f"（实际 {fmt(actual.number)}{au} 折合 {fmt(value)}{tu}）"
    return actual.number, ""


def score_quantity(target: Target, actual: Target, weight: Decimal, profile: Profile, hint: str = "") -> Outcome:
    """定量指标; ``hint`` names the word of the indicator's name that made an unwritten operator ≤ (事故 …)."""
    number, op = target.number, target.op
    assert number is not None and op is not None
    value, conversion = _convert(actual, target)
    places, unit, reverse = profile.rounding.indicator, target.unit or "", op in REVERSE_OPS
    if not number:
        outcome = score_zero_target(op, value, weight)
    elif reverse:
        outcome = score_reverse(number, value, weight, places, profile.reverse.formula, unit)
    else:
        outcome = score_positive(number, value, weight, places, unit)
    if not outcome.method:  # "met" outcomes are shared by both directions
        outcome.method = "reverse" if reverse else "positive"
    if target.op_inferred:
        if hint:
            conversion += f"（指标值未写比较符号；指标名称含“{hint}”，属越低越好的指标，按反向（≤）计分）"
        else:
            conversion += "（指标值未写比较符号，按反向（≤）指标计分）" if reverse else "（指标值未写比较符号，按正向（≥）指标计分）"
    if conversion:
        outcome.why = (_words, outcome.why, conversion)
    return outcome


def _resolve_relative(target: Target, last: Target) -> tuple[Target, str]:
    """A relative target made absolute with last year's actual: 比上年增长5% and 上年 100 → ≥ 105."""
    assert target.number is not None and last.number is not None and target.op is not None
    sign = 1 if target.op not in REVERSE_OPS else -1
    if target.change == "percent":
        value = last.number * (1 + sign * target.number / HUNDRED)
        how = f"{fmt(last.number)} × (1 {'+' if sign > 0 else '−'} {fmt(target.number)}%)"
    else:
        value = last.number + sign * target.number
        how = f"{fmt(last.number)} {'+' if sign > 0 else '−'} {fmt(target.number)}"
    unit = last.unit if target.change == "percent" else (target.unit or last.unit)
    resolved = Target(target.text, "quantity", op=target.op, number=value, unit=unit)
    return resolved, f"相对目标“{target.text}”按上年实际完成值 {last.text} 计算：{how} = {fmt(value)}{unit or ''}；"


def score_relative(target: Target, actual: Target, last: Target | None, declared: Decimal | None,
                   weight: Decimal, profile: Profile) -> Outcome:
    """相对上年的目标: against last year's actual when it is known, else unscorable with a note."""
    assert target.number is not None
    if actual.kind == "relative" and actual.change == target.change and actual.number is not None:
        same = (actual.op in REVERSE_OPS) == (target.op in REVERSE_OPS)
        change = actual.number if same else -actual.number
        direction = "减少" if target.op in REVERSE_OPS else "增加"
        if target.number == 0:
            outcome = score_zero_target("≥", change, weight)
        else:
            outcome = score_positive(target.number, change, weight, profile.rounding.indicator, target.unit or "")
            outcome.method = outcome.method or "positive"
        outcome.why = (_words, f"指标值与完成值都是相对上年的{direction}量：", outcome.why)
        return outcome
    if last is None or not last.is_quantity or last.number is None:
        return score_unscorable(f"指标值“{target.text}”是相对上年的目标，缺少上年同一指标的实际完成值"
                                "（在网页或批量处理中同时提供上年的自评表即可计算）", declared, weight)
    if not actual.is_quantity:
        return score_unscorable(f"完成值“{actual.text}”无法识别", declared, weight)
    resolved, how = _resolve_relative(target, last)
    outcome = score_quantity(resolved, actual, weight, profile)
    outcome.why = (_words, how, outcome.why)
    return outcome


# --- qualitative, deadline, unscorable ----------------------------------------------------------

def score_qualitative(tier: Tier, declared: Decimal | None, weight: Decimal, profile: Profile) -> Outcome:
    """定性指标 (表注4): the declared score stands when it lies in its tier, else the tier's bound."""
    low_share, high_share = profile.qualitative.bounds(tier)
    low, high = low_share * weight, high_share * weight
    if declared is None:
        return Outcome(high, "qualitative", (_tier_text, tier, low_share, high_share, weight, declared, high),
                       tier == "achieved")
    kept = declared if low <= declared <= high else high if declared > high else low
    return Outcome(kept, "qualitative", (_tier_text, tier, low_share, high_share, weight, declared, kept),
                   tier == "achieved")


def _tier_text(tier: Tier, low_share: Decimal, high_share: Decimal, weight: Decimal, declared: Decimal | None,
               kept: Decimal) -> str:
    """How a qualitative score was kept: the tier's band, and the declared score in it or its bound."""
    band = (f"“{TIER_NAMES[tier]}”档 {plain(low_share * weight)}–{plain(high_share * weight)} 分"
            f"（{plain(low_share * HUNDRED)}%–{plain(high_share * HUNDRED)}%）")
    if declared is None:
        return f"{band}，未填得分，取上限 {fmt(kept)}"
    if low_share * weight <= declared <= high_share * weight:
        return f"{band}，填报得分 {fmt(declared)} 在档内，保留"
    return f"{band}，填报得分 {fmt(declared)} 超出档位，取边界 {fmt(kept)}"


def score_unscorable(reason: str, declared: Decimal | None, weight: Decimal) -> Outcome:
    """No formula applies (unreadable target or actual): keep the declared score, within 0–weight."""
    kept = min(max(declared or ZERO, ZERO), weight)
    return Outcome(kept, "declared", (_kept_text, reason, kept))


def _kept_text(reason: str, kept: Decimal) -> str:
    return f"{reason}，无法按公式计分，沿用填报得分 {fmt(kept)}"


def _tier_of_actual(target: Target, actual: Target) -> Tier | None:
    if actual.kind == "qualitative":
        if actual.tier is not None:
            return actual.tier
        if actual.text.strip() and actual.text.replace(" ", "") in target.text.replace(" ", ""):
            return "achieved"  # the actual repeats the target's own words
    return None


def score_deadline(
    target: Target, actual: Target, declared: Decimal | None, weight: Decimal, profile: Profile, year: int
) -> Outcome:
    """时效指标 with a date: on time → full; late → the profile's tier; a text actual → its tier."""
    assert target.deadline is not None
    if actual.kind == "deadline" and actual.deadline is not None:
        if actual.deadline.key(year) <= target.deadline.key(year):
            return Outcome(weight, "deadline", f"{actual.text} 不晚于 {target.text}，按期完成，得满分 {fmt(weight)}", True)
        late = score_qualitative(profile.deadline.late_tier, declared, weight, profile)
        return Outcome(late.score, "deadline", (_words, f"{actual.text} 晚于 {target.text}，逾期；", late.why), False)
    tier = _tier_of_actual(target, actual)
    if tier is None:
        return score_unscorable(f"完成值“{actual.text}”既不是日期也不是完成情况", declared, weight)
    outcome = score_qualitative(tier, declared, weight, profile)
    return Outcome(outcome.score, "deadline", (_words, f"完成值“{actual.text}”按定性计分：", outcome.why), outcome.met)


# --- one indicator --------------------------------------------------------------------------

def is_cost(indicator: Indicator) -> bool:
    """成本指标 (cost indicator), by its level-2 or level-1 name."""
    return is_cost_level(indicator.level1, indicator.level2)


def is_cost_level(level1: str | None, level2: str | None) -> bool:
    """成本指标 by the level names alone (for table rows that carry no :class:`Indicator`)."""
    return "成本" in (level2 or "") or "成本" in (level1 or "")


#: What scoring one row gives, but its index: the fields of :class:`IndicatorScore` after ``index``.
_Row = tuple[Any, ...]
#: Rows already scored, per profile (行缓存): a batch and the live save score the same rows again and again, and a
#: row's score depends only on what the row says, the profile and the year. A row is keyed by its texts and by its
#: Decimals with their text (10 and 10.0 are equal but explained as written). Bounded: cleared when full.
_ROWS: dict[int, tuple[Profile, dict[tuple[Any, ...], _Row]]] = {}
#: Rows a profile's cache holds before it starts again: every row being edited at once (50 editors' forms of
#: ~30 rows) and the rows a batch repeats; at most some 10 MB even if every cell were at its length limit.
ROW_CACHE_SIZE = 4096


def _scored_rows(profile: Profile) -> dict[tuple[Any, ...], _Row]:
    """The row cache of one profile (profiles are frozen: the same object always scores alike)."""
    held = _ROWS.get(id(profile))
    if held is None or held[0] is not profile:
        if len(_ROWS) >= 64:  # profiles read from files again and again: keep the cache small
            _ROWS.clear()
        held = _ROWS[id(profile)] = (profile, {})
    return held[1]


def score_indicator(index: int, indicator: Indicator, profile: Profile, year: int,
                    last_actual: Target | None = None) -> IndicatorScore:
    """One 三级指标; ``last_actual`` is the same indicator's actual in last year's form, when known."""
    return _scored(index, indicator, profile, year, last_actual, _scored_rows(profile))


def _scored(index: int, indicator: Indicator, profile: Profile, year: int, last_actual: Target | None,
            rows: dict[tuple[Any, ...], _Row]) -> IndicatorScore:
    """:func:`score_indicator` with the profile's row cache at hand (a form's rows look it up once)."""
    if last_actual is not None:  # a relative target against last year: rare, not cached
        return IndicatorScore(index, *_score_row(indicator, profile, year, last_actual))
    weight, declared = indicator.weight, indicator.score_declared
    key = (indicator.name, indicator.level1, indicator.level2, indicator.target, indicator.actual, year,
           None if weight is None else str(weight), None if declared is None else str(declared))
    row = rows.get(key)
    if row is None:
        if len(rows) >= ROW_CACHE_SIZE:
            rows.clear()
        # the record's fields after ``index``: the row's, no folding yet (share, converted, converted_declared), its key
        row = rows[key] = (*_score_row(indicator, profile, year, None), None, None, None, key)
    return IndicatorScore(index, *row)


def _score_row(indicator: Indicator, profile: Profile, year: int, last_actual: Target | None) -> _Row:
    """:func:`score_indicator` but the row's index: the fields of its :class:`IndicatorScore` after ``index``."""
    name, level1, level2, weight = indicator.name, indicator.level1, indicator.level2, indicator.weight
    cost = is_cost_level(level1, level2)
    hint = "" if cost else (lower_is_better(name) or "")
    target = parse_target(indicator.target, "≤" if cost or hint else "≥")
    actual = parse_target(indicator.actual)
    declared = indicator.score_declared
    if weight is None:  # no 分值 column: nothing to cap or to scale by
        kept = max(declared or ZERO, ZERO)
        return (name, level1, level2, kept, kept, declared, "declared", (_kept_text, "未填分值", kept), target, actual,
                None, cost, False)
    kind = target.kind
    if kind == "quantity" and actual.is_quantity:
        outcome = score_quantity(target, actual, weight, profile, hint)
    elif kind == "relative":
        outcome = score_relative(target, actual, last_actual, declared, weight, profile)
    elif kind in ("quantity", "qualitative") and (tier := _tier_of_actual(target, actual)):
        outcome = score_qualitative(tier, declared, weight, profile)
        if kind == "quantity":
            outcome = Outcome(outcome.score, "qualitative",
                              (_words, f"定量指标的完成值“{actual.text}”不是数值，按定性计分：", outcome.why), outcome.met)
    elif kind == "deadline":
        outcome = score_deadline(target, actual, declared, weight, profile, year)
    elif kind in ("unknown", "empty"):
        outcome = score_unscorable(f"指标值“{target.text}”无法识别" if target.text else "未填指标值", declared, weight)
    else:
        outcome = score_unscorable(f"完成值“{actual.text}”无法识别" if actual.text else "未填完成值", declared, weight)
    score = outcome.score
    if score > weight or score < ZERO:
        score = min(max(score, ZERO), weight)
    return (name, level1, level2, weight, score, declared, outcome.method, outcome.why, target, actual, outcome.met,
            cost, True)


# --- funds, blocks, total --------------------------------------------------------------------

def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def execution_basis(rows: list[FundRow]) -> tuple[Decimal | None, Decimal | None, str]:
    """全年预算数 (A) and 全年执行数 (B) of the total row; its parts' sums when the total row is empty."""
    if not rows:
        return None, None, ""
    total = rows[0]
    if total.budget:
        return total.budget, total.executed, ""
    budget, executed = _sum(r.budget for r in rows[1:]), _sum(r.executed for r in rows[1:])
    if budget:
        return budget, executed, "（总额行为空或为0，按其中各行合计计算）"
    return total.budget, total.executed, ""


@lru_cache(maxsize=4096)
def printed_rate(text: str | None) -> tuple[Decimal, int] | None:
    """The 执行率 as printed, in percent, and its decimal places: ``99.45%`` → (99.45, 2); ``0.99`` → (99, 0).

    Cached by the text: forms print a handful of rates (99%, 100%), and A06 reads it for every form."""
    if not text:
        return None
    written = normalise(text)
    try:
        value = Decimal(written.rstrip("%"))
    except ArithmeticError:
        return None
    if not value.is_finite() or value < 0:
        return None
    places = max(0, -int(value.as_tuple().exponent))
    if "%" not in written and value <= 1:  # written as a fraction (0.99)
        return value * HUNDRED, max(0, places - 2)
    return value, places


def _execution_points(rate: Decimal, weight: Decimal, profile: Profile) -> tuple[Decimal, Why]:
    """Points for an execution rate (percent) under the profile's policy, and how they were obtained."""
    linear = min(rate / HUNDRED * weight, weight)
    policy = profile.execution.policy
    if policy == "floor_int":
        score = round_places(linear, 0, ROUND_FLOOR)
    elif policy == "tiered":
        score = next((s for minimum, s in profile.execution.tiers if rate >= minimum), ZERO)
    else:
        score = round_places(linear, profile.rounding.execution)
    return score, (_points_text, policy, rate, weight, linear, score)


def _points_text(policy: str, rate: Decimal, weight: Decimal, linear: Decimal, score: Decimal) -> str:
    if policy == "floor_int":
        return f"{fmt(round_places(rate, 2))}% × {fmt(weight)} = {fmt(round_places(linear, 2))}，向下取整得 {fmt(score)}"
    if policy == "tiered":
        return f"按档位表得 {fmt(score)}"
    return f"{fmt(round_places(rate, 2))}% × {fmt(weight)} = {fmt(score)}（不超过 {fmt(weight)}）"


def _rate_text(executed: Decimal, budget: Decimal, rate: Decimal, note: str) -> str:
    return f"{fmt(executed)}/{fmt(budget)} = {fmt(round_places(rate, 2))}%{note}；"


def score_execution(form: Form, profile: Profile) -> ExecutionScore:
    """预算执行率得分 per the profile's policy; from the printed 执行率 when the amounts are missing."""
    weight = form.funds.weight if form.funds.weight is not None else profile.weights.execution
    declared = form.funds.score_declared
    budget, executed, note = execution_basis(form.funds.rows)
    if budget and executed is not None:
        rate = executed / budget * HUNDRED
        score, how = _execution_points(rate, weight, profile)
        return ExecutionScore(budget, executed, rate, weight, min(score, weight), declared,
                              (_words, (_rate_text, executed, budget, rate, note), how))
    printed = printed_rate(form.funds.rate_declared)
    if printed is None:
        kept = min(max(declared or ZERO, ZERO), weight)
        return ExecutionScore(budget, executed, None, weight, kept, declared,
                              f"缺少全年预算数或执行数，执行率无法计算，沿用填报得分 {fmt(kept)}")
    rate = printed[0]
    score, how = _execution_points(rate, weight, profile)
    text = f"缺少全年预算数或执行数，按填报的执行率 {form.funds.rate_declared} 计算；"
    return ExecutionScore(budget, executed, rate, weight, min(score, weight), declared, (_words, text, how),
                          printed=True)


def block_scores(indicators: list[IndicatorScore]) -> list[BlockScore]:
    """Totals per level-1 block, in the order the blocks appear on the form (as the scores count: folded)."""
    blocks: dict[str, BlockScore] = {}  # one pass, sums kept in the block records
    for item in indicators:
        if item.converted is None:  # nearly every row: counted as scored (``counted`` without its call)
            weight, score, declared = item.weight, item.score, item.declared
        else:
            weight, score, declared = item.counted
        name = item.level1 or "（未分类）"
        block = blocks.get(name)
        if block is None:
            blocks[name] = BlockScore(name, ZERO + weight, ZERO + score, None if declared is None else ZERO + declared)
            continue
        block.weight += weight
        block.score += score
        if declared is not None:
            block.declared = (ZERO if block.declared is None else block.declared) + declared
    return list(blocks.values())


def fold_share(item: IndicatorScore, indicator: Indicator, places: int) -> IndicatorScore:
    """河北 双权重表: 折算得分 = 单项指标得分 × 权重占比, computed next to the one the form declares."""
    share = indicator.weight_share
    if share is None:
        item.why = (_words, item.why, "；未填权重占比，单项指标得分直接计入总分")
        return item
    item.share = share
    item.converted = round_places(item.score * share / HUNDRED, places)
    declared = indicator.score_converted
    if declared is None and item.declared is not None:  # the form's own rule, when only 单项指标得分 is filled
        declared = round_places(item.declared * share / HUNDRED, places)
    item.converted_declared = declared
    item.why = (_words, item.why, f"；折算得分 = 单项指标得分 {fmt(item.score)} × 权重占比 {plain(share)}% = {fmt(item.converted)}")
    return item


def last_actuals(previous: Form | None) -> dict[str, Target]:
    """Last year's actual of each indicator by normalised name (relative targets are scored against them)."""
    if previous is None:
        return {}
    return {normalise(ind.name): parse_target(ind.actual) for ind in previous.indicators}


def total_on_scale(raw: Decimal, weight_sum: Decimal, rule: str, places: int) -> tuple[Decimal, str]:
    """总分折算: the total on the 100-point scale, and how it was obtained ("" when nothing changed).

    A form whose 分值 add up to more than 100 would otherwise score above 100 (110 优). ``normalise``
    rescales Σ得分 × 100 / Σ分值; ``cap`` drops what exceeds 100. A form whose 分值 add up to less than
    100 keeps its total: points the form does not offer are not earned. Whatever the inputs, the
    result lies in [0, 100].
    """
    raw = round_places(raw, places)
    if weight_sum > HUNDRED and rule == "normalise":
        total = round_places(raw * HUNDRED / weight_sum, places)
        text = (f"分值合计 {fmt(weight_sum)} 超过100，按百分制折算：{fmt(raw)} × 100 / {fmt(weight_sum)} = "
                f"{fmt(total)}（原始合计 {fmt(raw)}）")
    elif weight_sum > HUNDRED:
        total = min(raw, round_places(HUNDRED, places))
        text = f"分值合计 {fmt(weight_sum)} 超过100，超出部分不计：原始合计 {fmt(raw)}，计 {fmt(total)}"
    else:
        total, text = raw, ""
    bounded = min(max(total, ZERO), round_places(HUNDRED, places))
    if bounded != total:
        text = f"{text}；" if text else ""
        text += f"原始合计 {fmt(raw)} 超出 0–100，计 {fmt(bounded)}"
    return bounded, text


def score(form: Form, profile: Profile, previous: Form | None = None) -> Scorecard:
    """Score a whole form with a rule profile; ``previous`` is the same unit's form of an earlier year."""
    year = form.year or 2000
    last = last_actuals(previous)
    rows = _scored_rows(profile)
    indicators = [_scored(i, ind, profile, year, last.get(normalise(ind.name)) if last else None, rows)
                  for i, ind in enumerate(form.indicators)]
    folding = profile.conversion.rule == "weight_share"
    if folding:
        indicators = [fold_share(item, ind, profile.rounding.indicator)
                      for item, ind in zip(indicators, form.indicators, strict=True)]
    execution = score_execution(form, profile)
    blocks = block_scores(indicators)
    raw = execution.score + sum((b.score for b in blocks), ZERO)
    weight_sum = execution.weight + sum((b.weight for b in blocks), ZERO)
    rule, places = profile.grades.over_100, profile.rounding.total
    total, explanation = total_on_scale(raw, weight_sum, rule, places)
    national = None
    if folding and any(i.converted is not None for i in indicators):
        national, how = total_on_scale(execution.score + sum((i.score for i in indicators), ZERO),
                                       execution.weight + sum((i.weight for i in indicators), ZERO), rule, places)
        explanation = "；".join(part for part in (
            f"总分 = 执行率得分 {fmt(execution.score)} + 各指标折算得分之和（单项指标得分 × 权重占比）", explanation,
            f"按全国通用规则（单项指标得分直接相加）为 {fmt(national)}" + (f"：{how}" if how else "")) if part)
    # the declared scores as they count: folded only under a folding profile (``counted``), else as written
    declared = [i.counted[2] for i in indicators] if folding else [i.declared for i in indicators]
    return Scorecard(profile.stamp, execution, indicators, blocks, total, profile.grades.grade(total),
                     form.total_declared, _sum([form.funds.score_declared, *declared]), round_places(raw, places),
                     explanation, national)


def scorecard_data(card: Scorecard) -> dict[str, object]:
    """The machine form of a scorecard (``jixiao score --json``, the web API, batch tables)."""
    execution = card.execution
    return {
        "profile": card.profile,
        "total": card.total,
        "raw_total": card.raw_total,
        "total_explanation": card.total_explanation,
        "grade": card.grade,
        "total_declared": card.total_declared,
        "declared_sum": card.declared_sum,
        "execution": {"rate": execution.rate_display, "score": execution.score, "weight": execution.weight,
                      "declared": execution.declared, "explanation": execution.explanation},
        "blocks": [{"level1": b.level1, "weight": b.weight, "score": b.score, "declared": b.declared}
                   for b in card.blocks],
        "indicators": [{"index": i.index, "level1": i.level1, "level2": i.level2, "name": i.name,
                        "weight": i.weight, "score": i.score, "declared": i.declared, "method": i.method,
                        "explanation": i.explanation, **_folded_data(i)} for i in card.indicators],
        **({"national_total": card.national_total} if card.national_total is not None else {}),
    }


def _folded_data(item: IndicatorScore) -> dict[str, object]:
    """权重占比 and 折算得分 of a row of the Hebei double-weight form (absent on every other form)."""
    if item.converted is None:
        return {}
    return {"weight_share": item.share, "converted": item.converted, "converted_declared": item.converted_declared}
