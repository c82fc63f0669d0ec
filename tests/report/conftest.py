"""Fixtures for the exporter tests: the corpus forms with complete ground truth, the seed scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import Finding, evaluate
from jixiao.io import jsonio
from jixiao.model import Form
from jixiao.rules import Profile
from jixiao.scoring import Scorecard

from ..conftest import corpus_truth


def truth_form(truth: Path) -> Form:
    """A corpus ground-truth file as a Form (its commentary keys dropped; nulls are valid values)."""
    return jsonio.form_from_data(corpus_truth(truth), str(truth))


def complete_truths(shared: Path) -> list[Path]:
    """Truth files of the corpus forms marked ``# complete: yes``."""
    out = []
    for text in sorted((shared / "corpus").glob("*.txt")):
        if "# complete: yes" in text.read_text(encoding="utf-8")[:500]:
            out.append(text.with_name(text.stem + ".truth.json"))
    return out


@pytest.fixture
def seed_scored(seed_form: Form, seed_profile: Profile) -> tuple[Form, Scorecard, list[Finding]]:
    """The seed with its scorecard and findings under its own profile."""
    card, findings = evaluate(seed_form, seed_profile)
    return seed_form, card, findings
