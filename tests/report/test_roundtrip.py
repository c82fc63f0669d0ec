"""Round trip: export to the official xlsx layout, read it back with the importer, same canonical JSON.

The workbook is exported as ``jixiao export`` does it: with the review column and the findings
sheet, which the importer must ignore.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import evaluate
from jixiao.io import jsonio, read_form  # read_form: the dispatcher `jixiao parse` uses
from jixiao.model import Form
from jixiao.report import xlsx
from jixiao.rules import load_profile

from ..conftest import DATA
from .conftest import complete_truths, truth_form

#: Complete corpus forms that do not round-trip yet, and why (strict: the test fails once they do).
KNOWN_BREAKS = {
    "048": "a blank 二级指标 cell is read as the level-2 name of the row above",
    "052": "the 其中: prefix of a funds row label is dropped on import",
}


def assert_round_trip(form: Form, path: Path) -> None:
    card, findings = evaluate(form, load_profile("national"))
    xlsx.write(form, card, findings, path)
    assert jsonio.dumps(read_form(path)) == jsonio.dumps(form)


def test_seed_round_trips(seed_form: Form, tmp_path: Path) -> None:
    assert_round_trip(seed_form, tmp_path / "seed.xlsx")


def exact_as_parsed(form: Form) -> Form:
    """The truth as the importer writes it: level labels without the transcription's stray spaces
    (016: "满意度 指标"; many forms print "产 出 指 标") and numbers without display zeros (0.0 → 0,
    as ``grid.parse_number`` documents).  The corpus README compares strings without white space and
    numbers as decimals; every other field must come back byte for byte.
    """
    for indicator in form.indicators:
        for field in ("level1", "level2"):
            label = getattr(indicator, field)
            if label is not None:
                setattr(indicator, field, "".join(label.split()))
    for row in form.funds.rows:
        for field in ("initial", "budget", "executed"):
            value = getattr(row, field)
            if value is not None and value == value.to_integral_value():
                setattr(row, field, value.quantize(Decimal(1)))
    return form


def complete_cases() -> list[object]:
    return [
        pytest.param(t, id=t.stem.split(".")[0], marks=pytest.mark.xfail(reason=KNOWN_BREAKS[n], strict=True))
        if (n := t.stem.split(".")[0]) in KNOWN_BREAKS
        else pytest.param(t, id=n)
        for t in complete_truths(DATA)
    ]


def test_enough_complete_corpus_forms() -> None:
    assert len(complete_truths(DATA)) >= 8


@pytest.mark.parametrize("truth", complete_cases())
def test_complete_corpus_form_round_trips(truth: Path, tmp_path: Path) -> None:
    assert_round_trip(exact_as_parsed(truth_form(truth)), tmp_path / f"{truth.stem}.xlsx")
