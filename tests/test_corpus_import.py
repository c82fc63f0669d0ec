"""Field-level import accuracy on the published-forms corpus (the benchmark's number, as a test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.io.accuracy import FieldResult, accuracy, compare
from jixiao.io.text import read_text

#: Regression floor: the accuracy reached so far.  The issue's goal is 0.95 (see the xfail below).
FLOOR = 0.92
GOAL = 0.95


@pytest.fixture(scope="module")
def corpus_results(shared_dir: Path) -> list[FieldResult]:
    results: list[FieldResult] = []
    for truth_path in sorted((shared_dir / "corpus").glob("*.truth.json")):
        form, _ = read_text(truth_path.with_name(truth_path.name.replace(".truth.json", ".txt")))
        results += compare(form, json.loads(truth_path.read_text(encoding="utf-8")))
    return results


def test_corpus_accuracy_does_not_regress(corpus_results: list[FieldResult]) -> None:
    assert len(corpus_results) > 800
    assert accuracy(corpus_results) >= FLOOR


@pytest.mark.xfail(reason="issue 3 goal not reached: OCR-scrambled forms 003/006/026/030", strict=True)
def test_corpus_accuracy_reaches_the_goal(corpus_results: list[FieldResult]) -> None:
    assert accuracy(corpus_results) >= GOAL
