"""Field-level import accuracy against hand-made ground truth (the corpus rules).

Rules (``corpus/README.md``): strings are compared without white space and with
full-width ASCII mapped to half-width; numbers as decimals; indicators are matched by
name; ``null`` in the truth means "not asserted" and is skipped.  A truth indicator the
parser did not find counts every asserted field of it as wrong.

The confidence is measured too: a field is *doubted* when an import note names its path in the
parsed form (or a parent of it, :meth:`ImportNote.covers`); a truth indicator not found by name is
doubted by a note on the rows not read (:data:`MISSING_ROWS`, or the whole list) or on the row the parser read in its place (:func:`_stand_ins`), but never counts right.  What matters to a user is that nothing
undoubted is wrong (:func:`undoubted_precision`) while few fields are doubted (:func:`doubted_share`).
A refused text counts all its fields wrong but doubted: the importer said so loudly.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..model import Form
from .damage import NATIONAL_COLUMNS, damaged, damaged_truth, operator_of
from .notes import MISSING_ROWS, ImportNote, doubted
from .templates import Template, printed_truth, render
from .text import parse_text, read_text

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
HEAD_FIELDS = ("kind", "unit", "year", "project", "total_declared")
FUNDS_FIELDS = ("weight", "rate_declared", "score_declared")
TOTAL_ROW_FIELDS = ("initial", "budget", "executed")
INDICATOR_FIELDS = ("target", "actual", "weight", "score_declared")


@dataclass(frozen=True)
class FieldResult:
    """One asserted field: its path in the truth, the truth, what was parsed, and whether they agree.

    ``parsed`` is the same field's path in the parsed form (indicators are matched by name, so
    ``indicators[2].weight`` of the truth may be ``indicators[5].weight`` parsed; None when the
    parser did not find the indicator); ``doubted`` says whether an import note covers it.
    """

    path: str
    expected: Any
    got: Any
    ok: bool
    parsed: str | None = None
    doubted: bool = False

    @property
    def silently_wrong(self) -> bool:
        """Wrong with no note saying so: the failure the confidence exists to prevent."""
        return not self.ok and not self.doubted


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


def compare(form: Form, truth: dict[str, Any], notes: Sequence[ImportNote] = ()) -> list[FieldResult]:
    """Every field the truth asserts, compared with the parsed form; ``notes`` say which are doubted."""

    def result(path: str, expected: Any, got: Any, parsed: str | None, stand_in: str | None = None) -> FieldResult:
        # a field the parser did not find is doubted by a note on the rows not read (or the whole list), or on
        # the row read in its place
        missed = MISSING_ROWS if path.startswith("indicators[") else path.split("[")[0]
        doubt = doubted(notes, parsed) if parsed is not None else (
            doubted(notes, missed) or (stand_in is not None and doubted(notes, stand_in)))
        return FieldResult(path, expected, got, normal(expected) == normal(got), parsed, doubt)

    results = [
        result(name, truth[name], getattr(form, name), name) for name in HEAD_FIELDS if truth.get(name) is not None
    ]
    funds = truth.get("funds") or {}
    results += [
        result(f"funds.{name}", funds[name], getattr(form.funds, name), f"funds.{name}")
        for name in FUNDS_FIELDS
        if funds.get(name) is not None
    ]
    total_truth = (funds.get("rows") or [{}])[0]
    total = form.funds.total
    results += [
        result(f"funds.rows[0].{name}", total_truth[name], getattr(total, name) if total else None,
               f"funds.rows[0].{name}" if total else None)
        for name in TOTAL_ROW_FIELDS
        if total_truth.get(name) is not None
    ]
    expected_rows = truth.get("indicators") or []
    matched = match_indicators(form, expected_rows)
    stand_ins = _stand_ins(matched, len(expected_rows), len(form.indicators),
                           lambda p: doubted(notes, f"indicators[{p}]"))
    for index, expected in enumerate(expected_rows):
        found = matched.get(index)
        item = form.indicators[found] if found is not None else None
        where = f"indicators[{found}]" if found is not None else None
        stand_in = f"indicators[{stand_ins[index]}]" if index in stand_ins else None
        results.append(result(f"indicators[{index}].name", expected["name"], item.name if item else None,
                              f"{where}.name" if where else None, f"{stand_in}.name" if stand_in else None))
        results[-1] = replace(results[-1], ok=item is not None)
        results += [
            result(f"indicators[{index}].{name}", expected[name], getattr(item, name) if item else None,
                   f"{where}.{name}" if where else None, f"{stand_in}.{name}" if stand_in else None)
            for name in INDICATOR_FIELDS
            if expected.get(name) is not None
        ]
    return results


def match_indicators(form: Form, expected: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Truth indicator index → parsed indicator index, matched by name (the corpus rule), first match first."""
    unmatched = list(range(len(form.indicators)))
    matched = {}
    for index, row in enumerate(expected):
        found = next((k for k in unmatched if normal(form.indicators[k].name) == normal(row["name"])), None)
        if found is not None:
            unmatched.remove(found)
            matched[index] = found
    return matched


def _stand_ins(
    matched: dict[int, int], truth_count: int, parsed_count: int, row_doubted: Callable[[int], bool]
) -> dict[int, int]:
    """For truth indicators not found by name, the parsed row read in their place, if one is unambiguous.

    Between two indicators found by name, the unmatched truth rows and the unmatched parsed rows are paired
    in order when they are as many (a row read with a garbled name).  When the parser read more rows there
    than the truth has (fragments of a misaligned row) and every one of them is doubted as a whole, each
    truth row has a doubted row in its place: the first spare row stands in for all of them.  Such a pair
    never makes a field right — the corpus rule matches by name — but a note on the parsed row warned the
    user about it.  Fewer parsed rows than truth rows borrow no doubt: a row vanished without a word.
    """
    taken = set(matched.values())
    pairs: dict[int, int] = {}
    anchors = sorted(matched.items())
    bounds = [(-1, -1), *anchors, (truth_count, parsed_count)]
    for (t0, p0), (t1, p1) in pairwise(bounds):
        missing = [t for t in range(t0 + 1, t1) if t not in matched]
        spare = [p for p in range(p0 + 1, p1) if p not in taken]
        if missing and len(missing) == len(spare):
            pairs.update(zip(missing, spare, strict=True))
        elif missing and len(missing) < len(spare) and all(row_doubted(p) for p in spare):
            pairs.update(dict.fromkeys(missing, spare[0]))
    return pairs


def accuracy(results: Sequence[FieldResult]) -> float:
    """Share of fields exact (1.0 when nothing is asserted)."""
    return sum(r.ok for r in results) / len(results) if results else 1.0


def honest_share(results: Sequence[FieldResult]) -> float:
    """Share of fields right or doubted, i.e. not silently wrong (the goal is all of them)."""
    return 1 - silently_wrong(results) / len(results) if results else 1.0


def undoubted_precision(results: Sequence[FieldResult]) -> float:
    """Share of the undoubted fields that are right (goal ≥ 99 %; 1.0 when every field is doubted)."""
    undoubted = [r for r in results if not r.doubted]
    return sum(r.ok for r in undoubted) / len(undoubted) if undoubted else 1.0


def doubted_share(results: Sequence[FieldResult]) -> float:
    """Share of the fields an import note puts in doubt (goal ≤ 15 %)."""
    return sum(r.doubted for r in results) / len(results) if results else 0.0


def silently_wrong(results: Sequence[FieldResult]) -> int:
    """How many fields are wrong with no note saying so."""
    return sum(r.silently_wrong for r in results)


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

    @property
    def silently_wrong(self) -> int:
        return silently_wrong(self.results)


def measure_form(text: Path, split_file: Path) -> FormMeasure:
    """Read ``NNN.txt`` and compare it with ``NNN.truth.json`` beside it."""
    number = text.stem
    truth = json.loads(text.with_suffix(".truth.json").read_text(encoding="utf-8"))
    partial = "# complete: partial" in text.read_text(encoding="utf-8").splitlines()[:3]
    try:
        form, notes = read_text(text)
    except InputError as exc:  # every asserted field of a refused text counts as wrong
        missed = _refused(truth)
        return FormMeasure(number, corpus_part(number, split_file), partial, missed, exc.message, False)
    reported = any(n.code == "I01" for n in notes)
    return FormMeasure(number, corpus_part(number, split_file), partial, compare(form, truth, notes), None, reported)


def corpus_texts(corpus: Path) -> list[Path]:
    """The corpus texts that have a ground truth next to them."""
    return sorted(p for p in corpus.glob("*.txt") if p.with_suffix(".truth.json").exists())


def _read_or_refuse(text: str, place: str, truth: dict[str, Any]) -> list[FieldResult]:
    """Parse ``text`` and compare it with ``truth``; a refusal counts every field wrong but doubted."""
    try:
        form, notes = parse_text(text, place)
    except InputError:
        return _refused(truth)
    return compare(form, truth, notes)


def _refused(truth: dict[str, Any]) -> list[FieldResult]:
    """A refused text: every asserted field wrong, and doubted, since the importer said so loudly."""
    return [FieldResult(r.path, r.expected, None, False, None, True)
            for r in compare(Form(kind="project", indicators=[]), truth)]


def development_truths(data: Path) -> list[tuple[str, dict[str, Any]]]:
    """The truths the damage generator renders: the seed's transcription and the corpus's development forms.

    ``data`` is ``tests/data``; the seed's truth is ``examples/qiannan-2022.json`` beside ``tests``.
    """
    seed = data.parent.parent / "examples" / "qiannan-2022.json"
    truths = [("seed", json.loads(seed.read_text(encoding="utf-8"), parse_float=Decimal))]
    for text in corpus_texts(data / "corpus"):
        if corpus_part(text.stem, data / "split.toml") == "development":
            truth = json.loads(text.with_suffix(".truth.json").read_text(encoding="utf-8"), parse_float=Decimal)
            truths.append((text.stem, truth))
    return truths


def measure_damage(
    truths: Sequence[tuple[str, dict[str, Any]]], operator: str, columns: tuple[tuple[str, str], ...] = NATIONAL_COLUMNS
) -> list[FieldResult]:
    """Every truth rendered (indicator ``columns`` as printed), damaged by ``operator`` (seeded by the
    form's name), parsed and compared with what it prints (the truth after the shape's truth damages)."""
    return [
        result
        for name, truth in truths
        for result in _read_or_refuse(damaged(truth, operator, sum(map(ord, name)), columns),
                                      f"{operator}-{name}.txt", dict(damaged_truth(truth, operator, sum(map(ord, name)))))
    ]


def template_text(truth: dict[str, Any], template: Template, shape: str, seed: int = 0) -> str:
    """``truth`` laid out in ``template`` and damaged by ``shape`` (a damage operator or a composition)."""
    return operator_of(shape)(render(truth, template), random.Random(seed))


def measure_template(truths: Sequence[tuple[str, dict[str, Any]]], template: Template, shape: str) -> list[FieldResult]:
    """Every truth laid out in ``template``, damaged by ``shape``, parsed and compared with what it prints."""
    return [
        result
        for name, truth in truths
        for result in _read_or_refuse(template_text(truth, template, shape, sum(map(ord, name))),
                                      f"{template.id}-{shape}-{name}.txt", printed_truth(truth, template))
    ]
