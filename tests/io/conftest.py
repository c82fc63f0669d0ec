"""Shared fixtures of the importer tests: the fixture files, the seed, the corpus truths."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplejson

from jixiao.io import jsonio
from jixiao.model import Form

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared next to the checkout (worktrees sit one level deeper); skip when absent."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared"
    pytest.skip("../shared (seed and corpus) not available")


@pytest.fixture(scope="session")
def seed_json() -> str:
    """Canonical JSON of the seed transcription, the expected result of every seed fixture."""
    return jsonio.dumps(jsonio.read(REPO / "examples" / "qiannan-2022.json"))


@pytest.fixture(scope="session")
def truth_json(shared_dir: Path):  # type: ignore[no-untyped-def]
    """Canonical JSON of a corpus ground truth (its `notes` and other extra keys dropped)."""

    def load(number: str) -> str:
        data = simplejson.loads(
            (shared_dir / "corpus" / f"{number}.truth.json").read_text("utf-8"), use_decimal=True
        )
        keep = set(Form.model_fields) - {"provenance"}
        return jsonio.dumps(Form.model_validate({k: v for k, v in data.items() if k in keep}))

    return load
