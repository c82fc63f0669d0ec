"""The review table's rows (filter, sort) and their adapters to :mod:`jixiao.analytics`.

The dashboard's numbers come from :mod:`jixiao.analytics`, the same functions as the batch report;
this module only turns the table's rows into the rows of the batch tables they read (no Django here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..analytics import GRADES
from ..audit import CHECKS

STATUS_LABELS = {
    "not_started": "未开始",
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已通过",
}
_CHECKS = {c.code: c for c in CHECKS}


@dataclass(frozen=True)
class Row:
    """One line of the review table: a unit's form, or the unit alone when it has not started."""

    unit: str
    department: str
    title: str
    kind: str
    status: str
    form_id: int | None = None
    year: int | None = None
    total_declared: Decimal | None = None
    total_computed: Decimal | None = None
    grade: str = ""
    execution_rate: Decimal | None = None
    errors: int = 0
    warnings: int = 0
    codes: tuple[str, ...] = ()
    #: The execution warning's inputs (``FormRecord.WARNING_FIGURES`` → value).
    figures: dict[str, Decimal | None] = field(default_factory=dict)

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


def scored(rows: Iterable[Row]) -> list[Row]:
    """Rows whose scores the bureau may look at (handed over at least once)."""
    return [
        r for r in rows if r.status in ("submitted", "returned", "approved") and r.total_computed is not None
    ]


# --- adapters to jixiao.analytics ------------------------------------------------------------------


def workflow_rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Every row with its workflow status, for ``analytics.status_counts(…, STATUS_LABELS)``."""
    return [{"status": r.status} for r in rows]


def form_rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The scored rows as rows of the batch forms table (status ``ok``: read, scored and audited)."""
    return [
        {
            **r.figures,
            "file": f"表单#{r.form_id}",
            "status": "ok",
            "unit": r.unit,
            "project": r.title if r.title != r.unit else None,
            "year": r.year,
            "total": r.total_computed,
            "total_declared": r.total_declared,
            "gap": r.gap,
            "grade": r.grade,
            "execution_rate": r.execution_rate,
            "errors": r.errors,
        }
        for r in scored(rows)
    ]


def finding_rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """The finding codes of the scored rows as rows of the batch findings table (the check's title as message)."""
    return [
        {
            "file": f"表单#{r.form_id}",
            "code": code,
            "severity": _CHECKS[code].severity if code in _CHECKS else "warning",
            "message": _CHECKS[code].title if code in _CHECKS else code,
        }
        for r in scored(rows)
        for code in r.codes
    ]
