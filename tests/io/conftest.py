"""Shared fixtures of the importer tests: the seed and the corpus truths as comparable JSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import simplejson

from jixiao.io import jsonio
from jixiao.model import Form

REPO = Path(__file__).resolve().parents[2]
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the checkout (worktrees sit one level deeper); skip when absent."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared"
    pytest.skip("../shared (seed and corpus) not available")


@pytest.fixture(scope="session")
def seed_json() -> str:
    """Canonical JSON of the seed transcription: every seed fixture must read to exactly this."""
    return jsonio.dumps(jsonio.read(REPO / "examples" / "qiannan-2022.json"))


def comparable(form: Form) -> str:
    """The corpus README's comparison: canonical JSON, white space removed, full-width ASCII as half-width."""
    return re.sub(r"\s+", "", jsonio.dumps(form).translate(FULL_WIDTH))


@pytest.fixture(scope="session")
def truth_json(shared_dir: Path) -> Callable[[str], str]:
    """Comparable JSON of a corpus ground truth (its `notes` and other extra keys dropped)."""

    def load(number: str) -> str:
        text = (shared_dir / "corpus" / f"{number}.truth.json").read_text("utf-8")
        data = simplejson.loads(text, use_decimal=True)
        keep = set(Form.model_fields) - {"provenance"}
        return comparable(Form.model_validate({k: v for k, v in data.items() if k in keep}))

    return load


@pytest.fixture(scope="session")
def as_truth() -> Callable[[Form], str]:
    """The same comparison applied to a parsed form."""
    return comparable
