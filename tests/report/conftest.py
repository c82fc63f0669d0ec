"""Fixtures for the exporter tests: the seed form and the corpus forms with complete ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplejson

from jixiao.io import jsonio
from jixiao.model import Form

REPO = Path(__file__).resolve().parents[2]
SEED_JSON = REPO / "examples" / "qiannan-2022.json"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``<repo>/../shared`` (seed, corpus); the tests that need it skip when it is missing."""
    path = REPO.parent / "shared"
    if not path.is_dir():
        path = Path("/work/shared")
    if not path.is_dir():
        pytest.skip("shared data directory (../shared) not found")
    return path


@pytest.fixture
def seed_form() -> Form:
    """The seed form (黔南州委组织部 2022), exactly as transcribed."""
    return jsonio.read(SEED_JSON)


def truth_form(truth: Path) -> Form:
    """A corpus ground-truth file as a Form: ``notes`` and annotation keys dropped.

    The truth lists only what is asserted (null = not visible); those nulls are valid Form values,
    so nothing else needs filling in.
    """
    data = simplejson.loads(truth.read_text(encoding="utf-8"), use_decimal=True)
    for key in [k for k in data if k not in Form.model_fields]:
        del data[key]
    return jsonio.form_from_data(data, str(truth))


def complete_truths(shared: Path) -> list[Path]:
    """Truth files of the corpus forms marked ``# complete: yes``."""
    out = []
    for text in sorted((shared / "corpus").glob("*.txt")):
        head = text.read_text(encoding="utf-8")[:500]
        if "# complete: yes" in head:
            out.append(text.with_name(text.stem + ".truth.json"))
    return out


@pytest.fixture
def complete_forms(shared_dir: Path) -> list[tuple[str, Form]]:
    """(name, form) of every complete corpus form."""
    return [(t.name, truth_form(t)) for t in complete_truths(shared_dir)]
