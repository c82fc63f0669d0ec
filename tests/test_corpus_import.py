"""Field-level import accuracy on the published-forms corpus, held to per-form floors (a ratchet).

``tests/data/import-floors.toml`` records how well each form is read today; a change that reads
any form worse, leaves more of its fields wrong without an import note saying so (``silent``, a
ceiling), refuses a form it read, or stops reporting a truncation fails here.
``bench/import_accuracy.py --ratchet`` raises the floors when the importer gets better.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from jixiao.io.accuracy import FormMeasure, accuracy, corpus_texts, measure_form

from .conftest import DATA

FLOORS: dict[str, dict[str, Any]] = tomllib.loads((DATA / "import-floors.toml").read_text(encoding="utf-8"))[
    "forms"
]


@pytest.fixture(scope="module")
def measures() -> dict[str, FormMeasure]:
    return {p.stem: measure_form(p, DATA / "split.toml") for p in corpus_texts(DATA / "corpus")}


def test_every_corpus_form_has_a_floor() -> None:
    assert sorted(FLOORS) == [p.stem for p in corpus_texts(DATA / "corpus")]


@pytest.mark.parametrize("number", sorted(FLOORS))
def test_no_form_is_read_worse_than_its_floor(measures: dict[str, FormMeasure], number: str) -> None:
    measure, floor = measures[number], FLOORS[number]
    assert bool(measure.refused) == floor.get("refused", False), measure.refused
    wrong = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in measure.results if not r.ok]
    assert measure.accuracy >= floor["accuracy"], "\n".join(wrong)
    silent = [f"{r.path} (parsed {r.parsed}): {r.expected!r} ≠ {r.got!r}" for r in measure.results if r.silently_wrong]
    assert len(silent) <= floor["silent"], "wrong without a note saying so:\n" + "\n".join(silent)
    if floor.get("truncation"):
        assert measure.truncation_reported, "the partial text is no longer reported truncated (I01)"


def test_the_first_set_stays_read_as_well_as_before(measures: dict[str, FormMeasure]) -> None:
    """The 20 forms the first importer was built on: 95.5 % of their fields at the time."""
    first = [r for n, m in measures.items() if int(n) <= 38 for r in m.results]
    assert len(first) > 800 and accuracy(first) >= 0.95
