"""Rule profiles (评分规则): the parameters of scoring as data, one TOML file per rule set.

A profile says *which* formula and *which* numbers apply — weights, the execution-rate
policy, the reverse-indicator formula, qualitative tiers, rounding, grade bands and audit
tolerances — and where each came from (``source`` in every section). The formulas that
read them are in :mod:`jixiao.scoring`. Add a province by adding a file to ``profiles/``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..datafile import load_toml
from ..errors import InputError

PROFILE_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "national"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field(min_length=1)


class Weights(_Section):
    """Level-1 default weights (一级指标分值)."""

    execution: Decimal  # 预算执行率
    output: Decimal  # 产出指标
    benefit: Decimal  # 效益指标
    satisfaction: Decimal  # 满意度指标
    cost: Decimal = Decimal(0)  # 成本指标 (101号 layout)


class ExecutionRule(_Section):
    """How the 预算执行率 becomes points."""

    policy: Literal["linear_capped", "floor_int", "tiered"]
    tiers: list[tuple[Decimal, Decimal]] = []  # (minimum rate %, score), highest rate first
    low_rate: Decimal = Decimal(90)

    @model_validator(mode="after")
    def _tiers_for_tiered(self) -> ExecutionRule:
        if self.policy == "tiered" and not self.tiers:
            raise ValueError("policy = 'tiered' needs a non-empty tiers table")
        return self


class ReverseRule(_Section):
    """Formula for reverse (≤, <) indicators when the actual exceeds the target."""

    formula: Literal["ratio", "linear_to_zero"]


class QualitativeTiers(_Section):
    """Share of the weight allowed for each 定性 tier: [low, high]."""

    achieved: tuple[Decimal, Decimal]
    partial: tuple[Decimal, Decimal]
    unmet: tuple[Decimal, Decimal]

    def bounds(self, tier: str) -> tuple[Decimal, Decimal]:
        result: tuple[Decimal, Decimal] = getattr(self, tier)
        return result


class ZeroTargetRule(_Section):
    rule: Literal["all_or_nothing"]


class DeadlineRule(_Section):
    late_tier: Literal["partial", "unmet"]


class Rounding(_Section):
    """Decimal places (half-up) for indicator scores, the execution score and totals."""

    indicator: int = Field(ge=0, le=4)
    execution: int = Field(ge=0, le=4)
    total: int = Field(ge=0, le=4)

    @model_validator(mode="after")
    def _total_keeps_its_parts(self) -> Rounding:
        if self.total < max(self.indicator, self.execution):
            raise ValueError("total must keep at least as many places as its parts, or it is not their sum")
        return self


class GradeBands(_Section):
    """(minimum total, grade), highest first: 优/良/中/差; and how a total is kept on the 100-point scale."""

    bands: list[tuple[Decimal, str]]
    #: 分值合计超过100时的总分折算: ``normalise`` = Σ得分 × 100 / Σ分值, ``cap`` = 超出部分不计 (docs/rules.md)
    over_100: Literal["normalise", "cap"] = "normalise"

    def grade(self, total: Decimal) -> str:
        for minimum, name in self.bands:
            if total >= minimum:
                return name
        return self.bands[-1][1]


class AuditThresholds(_Section):
    score_tolerance: Decimal  # |declared − computed| allowed per indicator
    total_tolerance: Decimal  # … for totals
    money_tolerance: Decimal  # funds rows adding up (rounding of 万元)
    overachievement: Decimal  # actual/target ratio that needs an explanation
    red_warning: Decimal  # national red warning: completion outruns execution by this share


class Profile(BaseModel):
    """One rule set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    version: str
    effective_from: date
    source: str
    weights: Weights
    execution: ExecutionRule
    reverse: ReverseRule
    qualitative: QualitativeTiers
    zero_target: ZeroTargetRule
    deadline: DeadlineRule
    rounding: Rounding
    grades: GradeBands
    audit: AuditThresholds


def _load_file(path: Path) -> Profile:
    return load_toml(path, Profile, "规则文件")


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by id, or a profile file by path."""
    path = Path(name) if name.endswith(".toml") else PROFILE_DIR / f"{name}.toml"
    if not path.is_file():
        known = "、".join(p.id for p in list_profiles())
        raise InputError(f"没有名为“{name}”的规则（可用：{known}）", "--profile")
    return _load_file(path)


def list_profiles() -> list[Profile]:
    """Every shipped profile, sorted by id."""
    return [_load_file(p) for p in sorted(PROFILE_DIR.glob("*.toml"))]
