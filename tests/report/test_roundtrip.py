"""Round trip: export to the official layout (xlsx and PDF), read it back with the importer, same canonical JSON.

The files are exported as ``jixiao export`` does it: with the review column (and in the workbook the
findings sheet), which the importer must ignore. The PDF of a long form runs over pages, so its
level-1/level-2 labels must be printed again where a page starts inside their block.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import evaluate
from jixiao.io import jsonio, read_form  # read_form: the dispatcher `jixiao parse` uses
from jixiao.model import Form
from jixiao.report import pdf, xlsx
from jixiao.rules import load_profile

from ..conftest import DATA
from .conftest import complete_truths, truth_form

WRITERS = {"xlsx": xlsx.write, "pdf": pdf.write}


def without_spaces(form: Form) -> Form:
    """The form with white space removed from its texts: where a PDF line wraps at a space, the
    space cannot be told from the wrap (the corpus README compares strings without white space)."""
    data = jsonio.to_data(form)
    for indicator in data["indicators"]:
        for key in ("name", "target", "actual", "reason"):
            if isinstance(indicator[key], str):
                indicator[key] = "".join(indicator[key].split())
    return jsonio.form_from_data(data)


def assert_round_trip(form: Form, path: Path) -> None:
    card, findings = evaluate(form, load_profile("national"))
    WRITERS[path.suffix[1:]](form, card, findings, path)
    back = read_form(path)
    if path.suffix == ".pdf":
        form, back = without_spaces(form), without_spaces(back)
    assert jsonio.dumps(back) == jsonio.dumps(form)


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_seed_round_trips(seed_form: Form, tmp_path: Path, suffix: str) -> None:
    assert_round_trip(seed_form, tmp_path / f"seed.{suffix}")


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


def test_enough_complete_corpus_forms() -> None:
    assert len(complete_truths(DATA)) >= 8


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize("truth", complete_truths(DATA), ids=lambda t: t.stem.split(".")[0])
def test_complete_corpus_form_round_trips(truth: Path, tmp_path: Path, suffix: str) -> None:
    assert_round_trip(exact_as_parsed(truth_form(truth)), tmp_path / f"{truth.stem}.{suffix}")
