"""The form's own arithmetic as constraints that choose between readings of a row (表内算术约束).

Extraction glues cells (``培训人数1520人18人13.5``) so one text has several readings; the form
itself says which is right: a 分值 lies in (0, 100], a 得分 never exceeds its 分值, target and actual
share a unit family, and — the strongest evidence — the declared 得分 is what a shipped profile's
formula gives (18/20 × 15 = 13.5).  Each constraint is a small pure function of a :data:`Reading`
returning a verdict (+1 evidence for, 0 silent, −1 broken); :func:`consistency` weighs them with the
validated settings of ``constraints.toml`` and :func:`choose` keeps the most consistent reading and
says how narrowly it won.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..datafile import load_toml
from ..model import Indicator, Location
from ..rules import Profile, list_profiles
from ..scoring import MONEY_UNITS, score_indicator
from ..targets import Target, parse_target

#: A reading of one row: role (``weight``, ``target``, ``actual``, ``score``) → text as written.
Reading = Mapping[str, str]
Verdict = int

SETTINGS_FILE = Path(__file__).with_name("constraints.toml")
Weight = Annotated[float, Field(gt=0, le=100)]  # how much a rule or prior counts
Share = Annotated[float, Field(gt=0, le=1)]  # a confidence, or a share of rows


class ConstraintWeights(BaseModel):
    """How much each constraint counts (0 < weight ≤ 100)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight_in_range: Weight
    score_within_weight: Weight
    unit_family: Weight
    formula: Weight
    target_met: Weight
    full_marks: Weight


class Priors(BaseModel):
    """Layout evidence for rows with missing cells (0 < weight ≤ 100)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    layout_prefix: Weight
    points_pair: Weight
    unit_in_name: Weight
    glue_cut: Weight
    bare_actual: Weight
    name_ends_in_value: Weight
    figures_in_name: Weight


class NameCosts(BaseModel):
    """What cutting a name column's pieces into names costs, per line or name (0 < weight ≤ 100)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    certain_margin: Weight
    unfull_line: Weight
    short_line: Weight
    split_line: Weight
    full_end: Weight
    mark_break: Weight
    label_piece: Weight
    short_start: Weight
    short_name: Weight
    no_ending: Weight
    unit_mismatch: Weight


class Decide(BaseModel):
    """When a win is narrow, and how margins become confidences."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    narrow_margin: Weight
    plain_confidence: Share
    verified_confidence: Share
    unverified_confidence: Share
    margin_scale: Weight


class Search(BaseModel):
    """Bounds of the block search over a glued run's cut points (:mod:`.textglued`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_cuts: int = Field(ge=1, le=12)


class Blocks(BaseModel):
    """How often a broken block rule is a misreading rather than the form's own error (0 < weight ≤ 100).

    A broken rule whose weight reaches ``doubt_threshold`` puts the fields that could explain it in
    doubt (:mod:`.blocks`); tolerances are in the rule's own unit (points, percentage points).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    level_sum: Weight
    weights_total: Weight
    scores_total: Weight
    execution_rate: Weight
    funds_points: Weight
    funds_formula: Weight
    subrows_sum: Weight
    doubt_threshold: Weight
    misaligned_share: Share
    unread_share: Share
    unplaced_values: int = Field(ge=1, le=50)
    unplaced_run: int = Field(ge=1, le=50)
    rate_tolerance: float = Field(ge=0, le=5)
    score_rounding: float = Field(ge=0, le=1)


class Plans(BaseModel):
    """How a table region without a usable header is read under the template library's column plans
    (:mod:`.textplans`): what a plan's reading of a row costs where it breaks the columns' kinds, and
    how many plans are tried at the most (0 < weight ≤ 100)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text_in_number: Weight
    number_in_text: Weight
    value_as_name: Weight
    valueless_row: Weight
    figure_in_word: Weight
    points_missing: Weight
    width_match: Weight
    word_chars_max: int = Field(ge=1, le=20)
    plans_max: int = Field(ge=1, le=64)


class Settings(BaseModel):
    """The validated content of ``constraints.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: ConstraintWeights
    priors: Priors
    names: NameCosts
    decide: Decide
    search: Search
    blocks: Blocks
    plans: Plans


@cache
def settings() -> Settings:
    return load_toml(SETTINGS_FILE, Settings, "导入约束设置")


def number(text: str | None) -> Decimal | None:
    """A bare number cell (``15``, ``13.5``) as Decimal; None for anything else."""
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@lru_cache(maxsize=8192)
def _target(text: str) -> Target:
    return parse_target(text)


# --- the constraints (表内约束) ------------------------------------------------------------------


def weight_in_range(reading: Reading) -> Verdict:
    """0 < 分值 ≤ 100."""
    weight = number(reading.get("weight"))
    return 0 if weight is None or 0 < weight <= 100 else -1


def score_within_weight(reading: Reading) -> Verdict:
    """得分 ≤ 分值 (and not negative)."""
    weight, score = number(reading.get("weight")), number(reading.get("score"))
    if score is None:
        return 0
    if score < 0:
        return -1
    return 0 if weight is None or score <= weight else -1


def _family(unit: str | None) -> str | None:
    return "money" if unit in MONEY_UNITS else unit


def value_family(text: str) -> str | None:
    """The unit family a value cell is written in (``≥95%`` → ``%``, ``962.44万元`` → ``money``); None for
    a value with no unit or no quantity."""
    target = _target(text)
    return _family(target.unit) if target.is_quantity and target.unit else None


def unit_family(reading: Reading) -> Verdict:
    """年度指标值 and 实际完成值 in one unit family: +1 when both name the same family, −1 when they differ."""
    target, actual = reading.get("target"), reading.get("actual")
    if not target or not actual:
        return 0
    a, b = _target(target), _target(actual)
    if not (a.is_quantity and b.is_quantity) or not a.unit or not b.unit:
        return 0
    return 1 if _family(a.unit) == _family(b.unit) else -1


@cache
def profiles() -> tuple[Profile, ...]:
    """The shipped rule profiles whose formulas verify a reading."""
    return tuple(list_profiles())


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def formula(reading: Reading) -> Verdict:
    """The declared 得分 is what a shipped profile's formula gives for this target, actual and 分值.

    Only a score below full marks is evidence: any reading of a met row gives full marks.
    """
    weight, score = number(reading.get("weight")), number(reading.get("score"))
    target, actual = reading.get("target"), reading.get("actual")
    if weight is None or score is None or not target or not actual or not 0 < score < weight <= 100:
        return 0
    if not (_target(target).is_quantity and _target(actual).is_quantity):
        return 0
    indicator = Indicator(name="-", target=target, actual=actual, weight=weight, score_declared=score)
    places = _places(score)
    for profile in profiles():
        computed = score_indicator(0, indicator, profile, 2000).score
        if round(computed, places) == score:
            return 1
    return 0


def target_met(reading: Reading) -> Verdict:
    """Target and actual read the same (most rows are met): weak evidence for a cut that gives that."""
    target, actual = reading.get("target"), reading.get("actual")
    return 1 if target and target == actual else 0


def full_marks(reading: Reading) -> Verdict:
    """得分 equal to 分值 (most rows score full)."""
    weight, score = number(reading.get("weight")), number(reading.get("score"))
    return 1 if weight is not None and weight == score else 0


CONSTRAINTS: tuple[tuple[str, Callable[[Reading], Verdict]], ...] = (
    ("weight_in_range", weight_in_range),
    ("score_within_weight", score_within_weight),
    ("unit_family", unit_family),
    ("formula", formula),
    ("target_met", target_met),
    ("full_marks", full_marks),
)
#: Constraints a right reading never breaks (a broken one after the search leaves the row in doubt).
HARD = ("weight_in_range", "score_within_weight")


def consistency(reading: Reading) -> float:
    """Weighted sum of the constraints' verdicts on one reading."""
    weights = settings().weights.model_dump()
    return float(sum(weights[name] * check(reading) for name, check in CONSTRAINTS))


def broken(reading: Reading) -> list[str]:
    """The hard constraints the reading breaks."""
    return [name for name, check in CONSTRAINTS if name in HARD and check(reading) < 0]


@dataclass(frozen=True)
class Choice:
    """The reading kept, how sure we are, and the runner-up where the win was narrow."""

    reading: dict[str, str]
    confidence: float
    runner_up: dict[str, str] | None  # the fields where the runner-up differs, when the win was narrow
    broken: tuple[str, ...]

    @property
    def doubted(self) -> bool:
        return self.runner_up is not None or bool(self.broken)


def confidence_of(margin: float) -> float:
    """A winning margin as a confidence in (0.5, 1]: a lone reading has the plain confidence."""
    decide = settings().decide
    if math.isinf(margin):
        return decide.plain_confidence
    return round(1 / (1 + math.exp(-margin / decide.margin_scale)), 3)


def choose(readings: Sequence[Reading], priors: Sequence[float] = ()) -> Choice | None:
    """The most consistent reading (ties: the earliest, i.e. the least repaired); None if there is none.

    ``priors`` adds layout evidence per reading (:class:`Priors`) to the constraints' consistency.
    """
    if not readings:
        return None
    extra = list(priors) + [0.0] * (len(readings) - len(priors))
    scored = sorted(
        ((consistency(r) + extra[i], -i, dict(r)) for i, r in enumerate(readings)),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )
    best_score, _, best = scored[0]
    others = [(s, r) for s, _, r in scored[1:] if r != best]
    margin = best_score - others[0][0] if others else math.inf
    runner_up = None
    if others and margin < settings().decide.narrow_margin:
        runner_up = {role: text for role, text in others[0][1].items() if best.get(role) != text}
    return Choice(best, confidence_of(margin), runner_up, tuple(broken(best)))


#: Constraints whose +1 verifies a row (its values agree with each other, not merely fit their columns).
VERIFYING = ("unit_family", "formula", "target_met", "full_marks")


def reading_of(indicator: Indicator) -> dict[str, str]:
    """An indicator read, as the reading the row constraints judge."""
    values = {"weight": indicator.weight, "score": indicator.score_declared,
              "target": indicator.target, "actual": indicator.actual}
    return {role: str(value) for role, value in values.items() if value is not None}


def row_confidence(indicator: Indicator) -> float:
    """How sure a row is by its own arithmetic: verified by the formula, by weaker evidence, or by nothing.

    A row nothing verifies (its values only fit their columns) is less sure than the plain confidence.
    """
    decide = settings().decide
    reading = reading_of(indicator)
    if broken(reading):
        return decide.unverified_confidence
    verdicts = {name: check(reading) for name, check in CONSTRAINTS if name in VERIFYING}
    if verdicts["formula"] > 0:
        return decide.verified_confidence
    return decide.plain_confidence if any(v > 0 for v in verdicts.values()) else decide.unverified_confidence


def with_confidence(provenance: Mapping[str, Location], indicators: Sequence[Indicator] = ()) -> dict[str, Location]:
    """Every place read carries a confidence: where no choice between readings set it, the row's own
    (:func:`row_confidence`) for an indicator's fields, the plain one elsewhere."""
    plain = settings().decide.plain_confidence
    rows = [row_confidence(indicator) for indicator in indicators]

    def default(path: str) -> float:
        found = re.match(r"indicators\[(\d+)\]\.", path)
        return rows[int(found.group(1))] if found and int(found.group(1)) < len(rows) else plain

    return {
        path: location if location.confidence is not None else location.model_copy(update={"confidence": default(path)})
        for path, location in provenance.items()
    }
