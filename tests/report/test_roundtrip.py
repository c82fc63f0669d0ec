"""Round trip: export to the official xlsx layout, read it back with the importer, same canonical JSON.

Runs once the Excel importer (``jixiao.io.excel``, branch io-grid) is merged; skipped before.
The workbook is exported as ``jixiao export`` does it: with the review column and the findings
sheet, which the importer must ignore.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import evaluate
from jixiao.io import jsonio, read_form  # read_form: the dispatcher `jixiao parse` uses
from jixiao.model import Form
from jixiao.report import xlsx
from jixiao.rules import load_profile

from .conftest import complete_truths, truth_form

pytest.importorskip("jixiao.io.excel")


def assert_round_trip(form: Form, path: Path) -> None:
    card, findings = evaluate(form, load_profile("national"))
    xlsx.write(form, card, findings, path)
    assert jsonio.dumps(read_form(path)) == jsonio.dumps(form)


def test_seed_round_trips(seed_form: Form, tmp_path: Path) -> None:
    assert_round_trip(seed_form, tmp_path / "seed.xlsx")


def without_label_spaces(form: Form) -> Form:
    """Level labels with the hand transcription's stray spaces removed (016: "满意度 指标").

    The corpus README compares strings without white space, and the importer squashes level labels
    ("产 出 指 标" is how many forms print them); every other field must come back byte for byte.
    """
    for indicator in form.indicators:
        for field in ("level1", "level2"):
            label = getattr(indicator, field)
            if label is not None:
                setattr(indicator, field, "".join(label.split()))
    return form


def test_complete_corpus_forms_round_trip(shared_dir: Path, tmp_path: Path) -> None:
    truths = complete_truths(shared_dir)
    assert len(truths) >= 8
    for truth in truths:
        assert_round_trip(without_label_spaces(truth_form(truth)), tmp_path / f"{truth.stem}.xlsx")
