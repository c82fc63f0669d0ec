"""Field-level import accuracy against hand-made ground truth (the corpus rules).

Rules (``corpus/README.md``): strings are compared without white space and with
full-width ASCII mapped to half-width; numbers as decimals; indicators are matched by
name; ``null`` in the truth means "not asserted" and is skipped.  A truth indicator the
parser did not find counts every asserted field of it as wrong.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..model import Form
from .text import read_text

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
HEAD_FIELDS = ("kind", "unit", "year", "project", "total_declared")
FUNDS_FIELDS = ("weight", "rate_declared", "score_declared")
TOTAL_ROW_FIELDS = ("initial", "budget", "executed")
INDICATOR_FIELDS = ("target", "actual", "weight", "score_declared")


@dataclass(frozen=True)
class FieldResult:
    """One asserted field: its path, the truth, what was parsed, and whether they agree."""

    path: str
    expected: Any
    got: Any
    ok: bool


def normal(value: Any) -> Any:
    """The comparison form of a value: Decimal for numbers, folded text for strings."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = re.sub(r"\s+", "", str(value).translate(_FULL_WIDTH))
    try:
        return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
    except InvalidOperation:
        return text


def _result(path: str, expected: Any, got: Any) -> FieldResult:
    return FieldResult(path, expected, got, normal(expected) == normal(got))


def compare(form: Form, truth: dict[str, Any]) -> list[FieldResult]:
    """Every field the truth asserts, compared with the parsed form."""
    results = [
        _result(name, truth[name], getattr(form, name)) for name in HEAD_FIELDS if truth.get(name) is not None
    ]
    funds = truth.get("funds") or {}
    results += [
        _result(f"funds.{name}", funds[name], getattr(form.funds, name))
        for name in FUNDS_FIELDS
        if funds.get(name) is not None
    ]
    total_truth = (funds.get("rows") or [{}])[0]
    total = form.funds.total
    results += [
        _result(f"funds.rows[0].{name}", total_truth[name], getattr(total, name) if total else None)
        for name in TOTAL_ROW_FIELDS
        if total_truth.get(name) is not None
    ]
    unmatched = list(form.indicators)
    for index, expected in enumerate(truth.get("indicators") or []):
        found = next((i for i in unmatched if normal(i.name) == normal(expected["name"])), None)
        if found is not None:
            unmatched.remove(found)
        results.append(
            FieldResult(
                f"indicators[{index}].name",
                expected["name"],
                found.name if found else None,
                found is not None,
            )
        )
        results += [
            _result(f"indicators[{index}].{name}", expected[name], getattr(found, name) if found else None)
            for name in INDICATOR_FIELDS
            if expected.get(name) is not None
        ]
    return results


def accuracy(results: list[FieldResult]) -> float:
    """Share of fields exact (1.0 when nothing is asserted)."""
    return sum(r.ok for r in results) / len(results) if results else 1.0


Part = Literal["development", "held-out"]


def corpus_part(number: str, split_file: Path) -> Part:
    """Which half of the corpus form ``number`` (``"043"``) belongs to, by the fixed rule in ``split_file``."""
    rule = tomllib.loads(split_file.read_text(encoding="utf-8"))["rule"]
    value = int(number)
    if value <= rule["first_set_last"]:
        return "development"
    return "held-out" if value % 2 == (1 if rule["held_out_parity"] == "odd" else 0) else "development"


@dataclass(frozen=True)
class FormMeasure:
    """One corpus form read by the text importer and compared with its ground truth."""

    number: str
    part: Part
    partial: bool  # the corpus metadata says the page holds only the first part of the form
    results: list[FieldResult]
    refused: str | None  # the importer's message when it refused the text
    truncation_reported: bool  # note I01 was given

    @property
    def accuracy(self) -> float:
        return accuracy(self.results)


def measure_form(text: Path, split_file: Path) -> FormMeasure:
    """Read ``NNN.txt`` and compare it with ``NNN.truth.json`` beside it."""
    number = text.stem
    truth = json.loads(text.with_suffix(".truth.json").read_text(encoding="utf-8"))
    partial = "# complete: partial" in text.read_text(encoding="utf-8").splitlines()[:3]
    try:
        form, notes = read_text(text)
    except InputError as exc:  # every asserted field of a refused text counts as wrong
        missed = [FieldResult(r.path, r.expected, None, False) for r in compare(Form(kind="project", indicators=[]), truth)]
        return FormMeasure(number, corpus_part(number, split_file), partial, missed, exc.message, False)
    reported = any(n.code == "I01" for n in notes)
    return FormMeasure(number, corpus_part(number, split_file), partial, compare(form, truth), None, reported)


def corpus_texts(corpus: Path) -> list[Path]:
    """The corpus texts that have a ground truth next to them."""
    return sorted(p for p in corpus.glob("*.txt") if p.with_suffix(".truth.json").exists())
