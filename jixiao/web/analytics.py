"""Dashboard analytics as pure functions over plain rows (no Django): filter, sort, distributions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

STATUS_LABELS = {
    "not_started": "未开始",
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已通过",
}
GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class Row:
    """One line of the review table: a unit's form, or the unit alone when it has not started."""

    unit: str
    department: str
    title: str
    kind: str
    status: str
    form_id: int | None = None
    total_declared: Decimal | None = None
    total_computed: Decimal | None = None
    grade: str = ""
    execution_rate: Decimal | None = None
    errors: int = 0
    warnings: int = 0
    codes: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def gap(self) -> Decimal | None:
        """Declared minus computed total: how much the unit over-claims."""
        if self.total_declared is None or self.total_computed is None:
            return None
        return self.total_declared - self.total_computed


SORT_KEYS = {
    "unit": lambda r: r.unit,
    "status": lambda r: list(STATUS_LABELS).index(r.status) if r.status in STATUS_LABELS else 9,
    "declared": lambda r: r.total_declared if r.total_declared is not None else Decimal(-1),
    "computed": lambda r: r.total_computed if r.total_computed is not None else Decimal(-1),
    "gap": lambda r: r.gap if r.gap is not None else Decimal(-1000),
    "grade": lambda r: GRADES.index(r.grade) if r.grade in GRADES else 9,
    "rate": lambda r: r.execution_rate if r.execution_rate is not None else Decimal(-1),
    "errors": lambda r: r.errors,
    "warnings": lambda r: r.warnings,
}


def select(rows: Iterable[Row], status: str = "", grade: str = "", search: str = "") -> list[Row]:
    """Rows matching a status, a grade and a search text (unit, department or form title)."""
    needle = search.strip().lower()
    return [
        r
        for r in rows
        if (not status or r.status == status)
        and (not grade or r.grade == grade)
        and (not needle or needle in f"{r.unit} {r.department} {r.title}".lower())
    ]


def order(rows: Sequence[Row], key: str = "unit") -> list[Row]:
    """Sort by a column name; a leading ``-`` sorts descending. Unknown columns sort by unit."""
    descending = key.startswith("-")
    func = SORT_KEYS.get(key.lstrip("-"), SORT_KEYS["unit"])
    return sorted(rows, key=func, reverse=descending)  # type: ignore[arg-type]


def status_counts(rows: Iterable[Row]) -> dict[str, int]:
    counts = Counter(r.status for r in rows)
    return {label: counts.get(status, 0) for status, label in STATUS_LABELS.items()}


def scored(rows: Iterable[Row]) -> list[Row]:
    """Rows whose scores the bureau may look at (handed over at least once)."""
    return [
        r for r in rows if r.status in ("submitted", "returned", "approved") and r.total_computed is not None
    ]


def grade_distribution(rows: Iterable[Row]) -> list[tuple[str, int]]:
    counts = Counter(r.grade for r in scored(rows))
    return [(g, counts.get(g, 0)) for g in GRADES]


def histogram(values: Iterable[Decimal], width: int = 10, top: int = 100) -> list[tuple[str, int]]:
    """Counts per bin [0,10), [10,20) … [90,100]; the last bin includes ``top``."""
    bins = [0] * (top // width)
    for value in values:
        index = min(max(int(value // width), 0), len(bins) - 1)
        bins[index] += 1
    return [(f"{i * width}–{(i + 1) * width}", n) for i, n in enumerate(bins)]


def frequent_findings(rows: Iterable[Row], limit: int = 8) -> list[tuple[str, int]]:
    counts = Counter(code for r in scored(rows) for code in r.codes)
    return counts.most_common(limit)


def rate_vs_score(rows: Iterable[Row]) -> list[tuple[Decimal, Decimal, str]]:
    """(execution rate, declared total, unit) points: claimed performance against money actually spent."""
    return [
        (r.execution_rate, r.total_declared, r.unit)
        for r in scored(rows)
        if r.execution_rate is not None and r.total_declared is not None
    ]
