"""Fixtures of the importer tests: the seed and the corpus truths as comparable JSON.

``data_dir`` and ``corpus_truth`` come from tests/conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.io import jsonio
from jixiao.model import Form

from ..conftest import corpus_truth

REPO = Path(__file__).resolve().parents[2]
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@pytest.fixture(scope="session")
def seed_path(data_dir: Path) -> Path:
    """The seed form as extracted text (tests/data/seed)."""
    return next((data_dir / "seed").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_json() -> str:
    """Canonical JSON of the seed transcription: every seed fixture must read to exactly this."""
    return jsonio.dumps(jsonio.read(REPO / "examples" / "qiannan-2022.json"))


def comparable(form: Form) -> str:
    """The corpus README's comparison: canonical JSON, white space removed, full-width ASCII as half-width."""
    return re.sub(r"\s+", "", jsonio.dumps(form).translate(FULL_WIDTH))


@pytest.fixture(scope="session")
def truth_json(data_dir: Path) -> Callable[[str], str]:
    """Comparable JSON of a corpus ground truth (its `notes` and other extra keys dropped)."""

    def load(number: str) -> str:
        path = data_dir / "corpus" / f"{number}.truth.json"
        return comparable(jsonio.form_from_data(corpus_truth(path), str(path)))

    return load


@pytest.fixture(scope="session")
def as_truth() -> Callable[[Form], str]:
    """The same comparison applied to a parsed form."""
    return comparable
