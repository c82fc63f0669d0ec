"""Rule profiles (评分规则): the parameters of scoring as dated, sourced data, one TOML file per rule set.

A profile says *which* formula and *which* numbers apply — weights, the execution-rate policy, the
reverse-indicator formula, qualitative tiers, rounding, grade bands, audit tolerances and checks —
since when and until when (``effective_from``/``effective_to``), for which form templates, and where
each parameter came from: every section has a ``reference`` per parameter naming a document of
``documents.toml`` (title, 文号, date) and the part relied on (OpenFisca's way). ``extends = "national"``
lets a profile state only what differs. The formulas that read profiles are in :mod:`jixiao.scoring`;
:func:`resolve_profile` picks one for a form (``auto``: by its template and year).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from ..datafile import load_toml, validate
from ..errors import InputError
from ..model import Form, FormKind

PROFILE_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "national"
AUTO = "auto"  # pick the profile by the form's template and year


class Document(BaseModel):
    """A document a rule comes from (文件): issuer, title, 文号 and date, as a user would look it up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: str
    title: str
    number: str = ""  # 文号; empty for a published form template without one
    issued: date | None = None

    def cite(self) -> str:
        extra = "，".join(p for p in (self.number, self.issued.isoformat() if self.issued else "") if p)
        return f"{self.issuer}《{self.title}》" + (f"（{extra}）" if extra else "")


class _Documents(RootModel[dict[str, Document]]):
    pass


DOCUMENTS: dict[str, Document] = load_toml(Path(__file__).with_name("documents.toml"), _Documents, "文件目录").root


class Reference(BaseModel):
    """Where one parameter or check comes from: a document of ``documents.toml`` and the part relied on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc: str
    part: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known_document(self) -> Reference:
        if self.doc not in DOCUMENTS:
            raise ValueError(f"未知文件“{self.doc}”（可用：{'、'.join(DOCUMENTS)}）")
        return self

    def cite(self) -> str:
        return f"{DOCUMENTS[self.doc].cite()} {self.part}"


def cite(doc: str, part: str) -> str:
    """The citation of a document's part, e.g. for a check's ``source``."""
    return Reference(doc=doc, part=part).cite()


class _Section(BaseModel):
    """A section of parameters; every parameter the file sets has its ``reference``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    reference: dict[str, Reference] = {}

    @model_validator(mode="after")
    def _every_parameter_has_a_reference(self) -> _Section:
        stated = self.model_fields_set - {"reference"}
        missing = sorted(stated - set(self.reference))
        if missing:
            raise ValueError(f"参数 {'、'.join(missing)} 没有出处（reference）")
        unknown = sorted(set(self.reference) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"reference 中的 {'、'.join(unknown)} 不是本节的参数")
        return self

    def cite(self, parameter: str) -> str:
        """The citation of one parameter of this section."""
        return self.reference[parameter].cite()


class Weights(_Section):
    """分值: the execution block's and, in principle, each level-1 block's (一级指标分值)."""

    execution: Decimal  # 预算执行率分值 (0: the template gives execution no points)
    #: Principled level-1 weights by a word of the block's name (产出, 效益, 满意, 成本); ``效益+满意`` is
    #: the sum of two blocks. A block not listed is not checked (A14).
    level1: dict[str, Decimal]


class ExecutionRule(_Section):
    """How the 预算执行率 becomes points."""

    policy: Literal["linear_capped", "floor_int", "tiered"]
    tiers: list[tuple[Decimal, Decimal]] = []  # (minimum rate %, score), highest rate first
    low_rate: Decimal  # below this rate the form must explain why (C02)

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


class Conversion(_Section):
    """[conversion] 折算: how an indicator's score counts toward the total.

    ``none``: as scored against its 分值 (national). ``weight_share``: the Hebei double-weight form — the
    单项指标得分 (scored against the 分值 as nationally) times the row's 权重占比 is its 折算得分, and the
    折算得分 are what add up to the total; the national sum of the single scores is reported beside it.
    """

    rule: Literal["none", "weight_share"] = "none"


class CheckRules(_Section):
    """[checks]: which audit checks a profile runs and at which severity (codes as in docs/findings.md)."""

    severity: dict[str, Literal["error", "warning", "info"]] = {}
    disabled: list[str] = []


class Match(BaseModel):
    """How ``auto`` recognises a form of this profile's template when the importer did not name it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FormKind | None = None
    execution_weight: Decimal | None = None  # the funds block's printed 分值 (0: none printed)
    funds: bool = False  # the form has a funds block with a 全年预算数
    indicator_weights: Decimal | None = None  # Σ 分值 of the indicators (100: no points for execution)
    level1_words: list[str] = []  # a level-1 block whose name has one of these words (项目决策 …)
    regions: list[str] = []  # words of the unit or department (黔南, 重庆 …)
    weight_share: bool = False  # the indicators carry a 权重占比 column (河北 双权重表)
    project_pattern: str | None = None  # a regular expression the 项目名称 starts with (四川项目代码 51xxxx)

    def criteria(self) -> int:
        """How specific the match is: the best match wins; words of the form count twice as much as numbers."""
        loose = (self.kind, self.execution_weight is not None, self.funds, self.indicator_weights is not None)
        worded = (self.level1_words, self.regions, self.project_pattern, self.weight_share)
        return sum(map(bool, loose)) + 2 * sum(map(bool, worded))


class Profile(BaseModel):
    """One rule set, valid for the forms of the years between its dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    version: str
    effective_from: date
    effective_to: date | None = None
    extends: str | None = None
    templates: list[str] = []  # template ids (the importer's io/templates) this profile scores
    match: Match | None = None
    reference: Reference
    weights: Weights
    execution: ExecutionRule
    reverse: ReverseRule
    qualitative: QualitativeTiers
    zero_target: ZeroTargetRule
    deadline: DeadlineRule
    rounding: Rounding
    grades: GradeBands
    audit: AuditThresholds
    conversion: Conversion = Conversion()
    checks: CheckRules = CheckRules()

    @property
    def stamp(self) -> str:
        """``id@version``: stored with every computed total, so a result says which rules produced it."""
        return f"{self.id}@{self.version}"

    def covers(self, year: int | None) -> bool:
        """Whether a form of fiscal ``year`` falls within the profile's dates (a year it overlaps)."""
        if year is None:
            return True
        if self.effective_from > date(year, 12, 31):
            return False
        return self.effective_to is None or self.effective_to >= date(year, 1, 1)

    def dates(self) -> str:
        """The validity period in words: ``2020-02-25 起`` or ``2022-01-01 至 2022-12-31``."""
        end = f" 至 {self.effective_to.isoformat()}" if self.effective_to else " 起"
        return self.effective_from.isoformat() + end


#: Top-level keys a profile states for itself; everything else it may inherit through ``extends``.
_OWN = frozenset({"id", "title", "version", "effective_from", "effective_to", "extends", "templates", "match",
                  "reference"})


def _read(path: Path) -> dict[str, Any]:
    """A profile file's TOML data; a shipped file is parsed once per process (every profile that extends
    ``national`` reads it, and ``--profile auto`` loads them all), like :func:`load_profile`'s profiles."""
    return _read_shipped(path.name) if path.parent == PROFILE_DIR else _parse(path)


@cache
def _read_shipped(name: str) -> dict[str, Any]:
    """The data of a shipped profile file (not to be changed: it is shared by every profile that extends it)."""
    return _parse(PROFILE_DIR / name)


def _parse(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"无法读取规则文件：{exc.strerror}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"规则文件不是有效的 TOML：{exc}", str(path)) from None
    return data


def _merge(parent: dict[str, Any], child: dict[str, Any], where: str) -> dict[str, Any]:
    """``child`` over ``parent`` parameter by parameter; a changed parameter must state its own reference."""
    merged = {key: value for key, value in parent.items() if key not in _OWN}
    for key, value in child.items():
        if key in _OWN or not isinstance(value, dict) or not isinstance(merged.get(key), dict):
            merged[key] = value
            continue
        references = value.get("reference", {})
        unsourced = sorted(set(value) - {"reference"} - set(references))
        if unsourced:
            raise InputError(f"改写了继承的参数 [{key}] {'、'.join(unsourced)}，但没有写出处（reference）", where)
        section = {**merged[key], **value}
        section["reference"] = {**merged[key].get("reference", {}), **references}
        merged[key] = section
    return merged


def _resolved(path: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    data = _read(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or not (PROFILE_DIR / f"{parent}.toml").is_file():
        raise InputError(f"extends 指向不存在的规则“{parent}”", f"{path}: extends")
    if parent in seen:
        raise InputError(f"规则继承成环：{' → '.join((*seen, parent))}", f"{path}: extends")
    return _merge(_resolved(PROFILE_DIR / f"{parent}.toml", (*seen, parent)), data, f"{path}: {parent}")


def _load_file(path: Path) -> Profile:
    return validate(_resolved(path), Profile, "规则文件", str(path))


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by id, or a profile file by path."""
    path = Path(name) if name.endswith(".toml") else PROFILE_DIR / f"{name}.toml"
    if not path.is_file():
        known = "、".join([AUTO, *(p.id for p in list_profiles())])
        raise InputError(f"没有名为“{name}”的规则（可用：{known}）", "--profile")
    return _load_file(path)


@cache
def list_profiles() -> tuple[Profile, ...]:
    """Every shipped profile, sorted by id."""
    return tuple(load_profile(p.stem) for p in sorted(PROFILE_DIR.glob("*.toml")))


@dataclass(frozen=True)
class _Shape:
    """What ``auto`` reads of a form to choose its profile (:func:`auto_profile`): a key, since a batch and the live
    save choose for forms of the same shape again and again."""

    template: str | None
    kind: str
    year: int | None
    execution_weight: Decimal
    funds: bool  # some fund row has a 全年预算数
    indicator_weights: Decimal
    project: str
    weight_share: bool
    level1_words: frozenset[str]  # the profiles' level-1 words found in the form's level-1 names (written one after
    regions: frozenset[str]  # another), and their region words found in its unit and department: the key stays small


@cache
def _match_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every level-1 word and every region word of the shipped profiles' ``[match]``."""
    matches = [p.match for p in list_profiles() if p.match]
    return (tuple(sorted({w for m in matches for w in m.level1_words})),
            tuple(sorted({w for m in matches for w in m.regions})))


def _shape(form: Form) -> _Shape:
    level1_words, regions = _match_words()
    names = "".join(i.level1 or "" for i in form.indicators)
    place = f"{form.unit or ''}{form.department or ''}"
    return _Shape(
        form.template, form.kind, form.year, Decimal(form.funds.weight or 0), any(row.budget for row in form.funds.rows),
        sum((i.weight or Decimal(0) for i in form.indicators), Decimal(0)), form.project or "",
        any(i.weight_share is not None for i in form.indicators),
        frozenset(w for w in level1_words if w in names), frozenset(w for w in regions if w in place))


def _matches(profile: Profile, shape: _Shape) -> bool:
    match = profile.match
    if match is None:
        return False
    if match.kind is not None and shape.kind != match.kind:
        return False
    if match.execution_weight is not None and shape.execution_weight != match.execution_weight:
        return False
    if match.funds and not shape.funds:
        return False
    if match.indicator_weights is not None and shape.indicator_weights != match.indicator_weights:
        return False
    if match.project_pattern and not re.match(match.project_pattern, shape.project):
        return False
    if match.weight_share and not shape.weight_share:
        return False
    if match.level1_words and not any(word in shape.level1_words for word in match.level1_words):
        return False
    return not match.regions or any(word in shape.regions for word in match.regions)


def auto_profile(form: Form) -> Profile:
    """The profile ``auto`` picks: the form's template, else the template its shape shows, else national;
    among those, the one whose dates cover the form's year (the latest otherwise: a finding then says so)."""
    return _auto_for(_shape(form))


@lru_cache(maxsize=1024)
def _auto_for(shape: _Shape) -> Profile:
    shipped = list_profiles()
    chosen = [p for p in shipped if shape.template and shape.template in p.templates]
    if not chosen:
        matching = [p for p in shipped if _matches(p, shape)]
        most = max((p.match.criteria() for p in matching if p.match), default=0)
        chosen = [p for p in matching if p.match and p.match.criteria() == most]
    family = {p.id for p in chosen} or {DEFAULT_PROFILE}
    candidates = sorted((p for p in shipped if p.id in family), key=lambda p: p.effective_from)
    covering = [p for p in candidates if p.covers(shape.year)]
    return (covering or candidates)[-1]


def resolve_profile(name: str, form: Form) -> Profile:
    """``auto`` → :func:`auto_profile`; a profile id or a ``.toml`` path → that profile."""
    return auto_profile(form) if name == AUTO else load_profile(name)
