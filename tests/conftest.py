"""Shared fixtures: the repository's test data (seed, corpus), the seed form and the profiles."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from jixiao.io import jsonio
from jixiao.model import Form
from jixiao.rules import Profile, load_profile

# Property tests judge behaviour, not speed: a loaded CI machine must not turn a slow example into a failure
# (timings belong in bench/). The generated examples stay random, so every developer's run explores new cases;
# the gate (.ci/run sets JIXIAO_HYPOTHESIS=ci) draws the same examples every time, so that what fails there
# failed on the commit itself and not on the draw (a case found locally goes in as an @example).
settings.register_profile("jixiao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("jixiao"), derandomize=True)
settings.load_profile("ci" if os.environ.get("JIXIAO_HYPOTHESIS") == "ci" else "jixiao")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


#: The repository's own copy of the seed text and the real-form corpus (scripts/sync_corpus.py keeps it in step).
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture()
def seed_form() -> Form:
    return jsonio.read(EXAMPLES / "qiannan-2022.json")


@pytest.fixture(scope="session")
def seed_profile() -> Profile:
    return load_profile("seed-qiannan-2022")


@pytest.fixture(scope="session")
def national() -> Profile:
    return load_profile("national")


def corpus_truth(path: Path) -> dict[str, object]:
    """A corpus ground-truth file as canonical form data (its `notes` are commentary, not form fields)."""
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    for commentary in ("notes", "unit_normalized"):
        data.pop(commentary, None)
    data["kind"] = data.get("kind") if data.get("kind") in ("department", "project") else "project"
    return data


def corpus_forms() -> list[tuple[str, Form]]:
    forms = []
    for path in sorted((DATA / "corpus").glob("*.truth.json")):
        forms.append((path.name.split(".")[0], jsonio.form_from_data(corpus_truth(path), str(path))))
    return forms
