"""Analytics over the batch tables (forms, indicators, findings) — one implementation for the HTML
report of ``jixiao report`` and the web dashboard.

Pure functions: input is the rows of a table (a list of dicts, or a ``pyarrow.Table`` which is turned
into one), output is plain data (dataclasses of ``str``/``int``/``Decimal``). No files, no HTML.
Column names are those of :mod:`jixiao.batch` (``FORM_COLUMNS`` …).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

from .audit.history import target_below
from .model import NO_UNIT, Form
from .model import unit_key as model_unit_key
from .scoring import Scorecard, execution_basis, is_cost_level
from .targets import normalise, parse_target

Rows = Sequence[Mapping[str, Any]]
WarningLevel = Literal["red", "yellow"]
GRADES = ("优", "良", "中", "差")
BATCH_STATUSES = ("ok", "error", "duplicate")
HUNDRED = Decimal(100)
#: pmkpi 自评预警 (rules-digest §2.7): claimed completion ahead of execution by more than 5% relative.
RED_RELATIVE_LEAD = Decimal("0.05")
#: … and yellow when less than 80% of the budget was spent, or the budget is 0.
YELLOW_EXECUTION_RATE = Decimal(80)
#: A change of the computed total between consecutive years at least this large is a "jump".
SCORE_JUMP = Decimal(10)


class ArrowTable(Protocol):
    """A ``pyarrow.Table`` (or anything else that lists its rows as dicts)."""

    def to_pylist(self) -> list[dict[str, Any]]: ...


#: What every function here takes: the rows of a table, as dicts or as a pyarrow table.
Table = Rows | ArrowTable


def rows_of(table: Table) -> Rows:
    """The rows of a table as mappings (a pyarrow table is converted, a list is used as it is)."""
    return table.to_pylist() if hasattr(table, "to_pylist") else table


def dec(value: Any) -> Decimal | None:
    """A cell as Decimal (Parquet gives Decimal, CSV gives text); empty → None."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ok_forms(forms: Table) -> list[Mapping[str, Any]]:
    """The forms that were read, scored and audited."""
    return [f for f in rows_of(forms) if f.get("status") == "ok"]


def unit_key(row: Mapping[str, Any]) -> str:
    """The reporting entity of a row as compared (:func:`jixiao.model.unit_key`, the batch's last-year lookup uses
    it too): rows are grouped by it, never shown by it."""
    return model_unit_key(row.get("unit"), row.get("project"))


def unit_name(row: Mapping[str, Any]) -> str:
    """The reporting entity as the form writes it (the unit, and the project for project forms), for display."""
    unit, project = str(row.get("unit") or "").strip() or NO_UNIT, str(row.get("project") or "").strip()
    return f"{unit} / {project}" if project else unit


def unit_names(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each :func:`unit_key` of the rows → the first name written for it (:func:`unit_name`)."""
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(unit_key(row), unit_name(row))
    return names


# --- overview ----------------------------------------------------------------------------------

def status_counts(forms: Table, statuses: Sequence[str] = BATCH_STATUSES) -> dict[str, int]:
    """Rows per status, every one of ``statuses`` present (batch: files per ok / error / duplicate,
    which add up to the files found; the web passes its workflow statuses)."""
    counts = Counter(str(f.get("status")) for f in rows_of(forms))
    return {status: counts.get(status, 0) for status in statuses}


def grade_counts(forms: Table) -> dict[str, int]:
    counts = Counter(f.get("grade") for f in ok_forms(forms))
    return {grade: counts.get(grade, 0) for grade in GRADES}


def totals(forms: Table) -> list[Decimal]:
    """The computed totals (for their distribution)."""
    return [t for f in ok_forms(forms) if (t := dec(f.get("total"))) is not None]


def gaps(forms: Table) -> list[Decimal]:
    """Declared − computed totals (positive: the unit claimed more than the rules give)."""
    return [g for f in ok_forms(forms) if (g := dec(f.get("gap"))) is not None]


# --- execution vs claimed performance (national red/yellow warnings) ------------------------------

@dataclass(frozen=True, slots=True)
class ExecutionPoint:
    file: str
    unit: str
    year: int | None
    rate: Decimal | None  # 预算执行率, percent
    claimed: Decimal | None  # declared indicator scores as percent of their weights
    warning: WarningLevel | None
    reason: str


def execution_figures(form: Form, card: Scorecard) -> dict[str, Decimal | None]:
    """The columns of one scored form that :func:`execution_warning` reads, in the forms table's order."""
    budget, executed, _ = execution_basis(form.funds.rows)
    e = card.execution
    return {"budget": budget, "executed": executed, "execution_rate": e.rate_display,
            "execution_weight": e.weight, "execution_score": e.score, "execution_declared": e.declared,
            "indicators_weight": _sum(i.weight for i in card.indicators if i.weight_known),
            "indicators_declared": _sum(i.declared for i in card.indicators),
            "indicators_score": _sum(i.score for i in card.indicators)}


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def claimed_share(form: Mapping[str, Any]) -> Decimal | None:
    """Claimed completion in percent: Σ declared indicator scores / Σ weights (computed when none declared)."""
    weight = dec(form.get("indicators_weight"))
    score = dec(form.get("indicators_declared"))
    if score is None:
        score = dec(form.get("indicators_score"))
    if not weight or score is None:
        return None
    return score / weight * HUNDRED


def execution_warning(form: Mapping[str, Any]) -> tuple[WarningLevel | None, str]:
    """The national system's 自评预警 of one form (rules-digest §2.7), with the reason in Chinese."""
    budget, rate = dec(form.get("budget")), dec(form.get("execution_rate"))
    claimed = claimed_share(form)
    weight, score = dec(form.get("execution_weight")), dec(form.get("execution_score"))
    if claimed and weight and score is not None and rate is not None:
        executed_share = score / weight * HUNDRED
        if (claimed - executed_share) / claimed > RED_RELATIVE_LEAD:
            return "red", (f"指标完成度 {two_places(claimed)}% 高于预算执行得分率 {two_places(executed_share)}%"
                           "超过 5%（资金未用完却自评完成）")
    if budget is not None and budget == 0:
        return "yellow", "全年预算数为 0"
    if rate is not None and rate < YELLOW_EXECUTION_RATE:
        return "yellow", f"预算执行率 {two_places(rate)}% 低于 80%"
    return None, ""


def execution_points(forms: Table) -> list[ExecutionPoint]:
    points = []
    for form in ok_forms(forms):
        warning, reason = execution_warning(form)
        points.append(ExecutionPoint(str(form["file"]), unit_name(form), form.get("year"),
                                     dec(form.get("execution_rate")), claimed_share(form), warning, reason))
    return points


def warning_counts(points: Iterable[ExecutionPoint]) -> dict[str, int]:
    counts = Counter(p.warning or "none" for p in points)
    return {w: counts.get(w, 0) for w in ("red", "yellow", "none")}


# --- findings, gaps, rankings -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FindingCount:
    code: str
    severity: str
    count: int
    forms: int  # files with at least one
    example: str


def top_findings(findings: Table, limit: int = 15) -> list[FindingCount]:
    """The most frequent finding codes, with how many forms have them and one example message."""
    count: Counter[str] = Counter()
    files: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Mapping[str, Any]] = {}
    for f in rows_of(findings):
        code = str(f["code"])
        count[code] += 1
        files[code].add(str(f["file"]))
        first.setdefault(code, f)
    return [FindingCount(code, str(first[code]["severity"]), n, len(files[code]), str(first[code]["message"]))
            for code, n in sorted(count.items(), key=lambda item: (-item[1], item[0]))[:limit]]


@dataclass(frozen=True, slots=True)
class Gap:
    unit: str
    year: int | None
    file: str
    declared: Decimal
    computed: Decimal
    gap: Decimal


def largest_gaps(forms: Table, limit: int = 15) -> list[Gap]:
    """Forms whose declared total exceeds the computed one the most."""
    gaps = [Gap(unit_name(f), f.get("year"), str(f["file"]), d, c, d - c) for f in ok_forms(forms)
            if (d := dec(f.get("total_declared"))) is not None and (c := dec(f.get("total"))) is not None]
    return sorted((g for g in gaps if g.gap > 0), key=lambda g: (-g.gap, g.unit, g.file))[:limit]


@dataclass(frozen=True, slots=True)
class Ranking:
    unit: str
    forms: int
    mean_total: Decimal
    mean_gap: Decimal | None
    errors: int


def rankings(forms: Table) -> list[Ranking]:
    """Units by mean computed total (best first), with their mean gap and error findings."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for f in ok_forms(forms):
        if dec(f.get("total")) is not None:
            groups[unit_key(f)].append(f)
    result = []
    for rows in groups.values():
        unit = unit_name(rows[0])
        totals = [dec(r["total"]) or Decimal(0) for r in rows]
        gaps = [g for r in rows if (g := dec(r.get("gap"))) is not None]
        result.append(Ranking(unit, len(rows), two_places(sum(totals, Decimal(0)) / len(totals)),
                              two_places(sum(gaps, Decimal(0)) / len(gaps)) if gaps else None,
                              sum(int(r.get("errors") or 0) for r in rows)))
    return sorted(result, key=lambda r: (-r.mean_total, r.unit))


# --- year over year ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ScoreJump:
    unit: str
    year: int
    previous: Decimal
    current: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


@dataclass(frozen=True, slots=True)
class LoweredTarget:
    """A target set below what the same unit already achieved the year before (目标设置偏低)."""

    unit: str
    year: int
    name: str
    target: str
    last_actual: str


def score_jumps(forms: Table, threshold: Decimal = SCORE_JUMP) -> list[ScoreJump]:
    """Consecutive years of one unit whose computed totals differ by at least ``threshold``."""
    by_unit: dict[str, dict[int, Decimal]] = defaultdict(dict)
    scored = [f for f in ok_forms(forms) if f.get("year") is not None and dec(f.get("total")) is not None]
    for f in scored:
        by_unit[unit_key(f)][int(f["year"])] = dec(f["total"]) or Decimal(0)
    names = unit_names(scored)
    jumps = []
    for key, years in by_unit.items():
        for year in sorted(years):
            if year - 1 in years and abs(years[year] - years[year - 1]) >= threshold:
                jumps.append(ScoreJump(names[key], year, years[year - 1], years[year]))
    return sorted(jumps, key=lambda j: (-abs(j.change), j.unit, j.year))


def lowered_targets(indicators: Table) -> list[LoweredTarget]:
    """Targets below last year's actual of the same unit and indicator, by the core's D06 rule.

    The comparison is :func:`jixiao.audit.history.target_below` on the texts parsed again by the core
    target grammar, and cost indicators are left out as in D06 (cost ceilings follow each year's budget).
    """
    compared = [i for i in rows_of(indicators)
                if i.get("year") is not None and not is_cost_level(i.get("level1"), i.get("level2"))]
    actual = {(unit_key(i), int(i["year"]), normalise(str(i["name"]))): str(i.get("actual_text") or "")
              for i in compared}
    names = unit_names(compared)
    found = []
    for i in compared:
        last = actual.get((unit_key(i), int(i["year"]) - 1, normalise(str(i["name"]))))
        target = str(i.get("target_text") or "")
        if last is not None and target_below(parse_target(target), parse_target(last)):
            found.append(LoweredTarget(names[unit_key(i)], int(i["year"]), str(i["name"]), target, last))
    return sorted(found, key=lambda t: (t.unit, t.year, t.name))
