"""Golden cases (OpenFisca style): each tests/golden/*.yaml names a form, a profile and what must come out."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import evaluate
from jixiao.io import jsonio
from jixiao.rules import load_profile

GOLDEN = Path(__file__).parent / "golden"
REPO = GOLDEN.parent.parent
CASES = sorted(GOLDEN.glob("*.yaml"))


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_golden(case_file: Path) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    form = jsonio.read(REPO / case["form"])
    card, findings = evaluate(form, load_profile(case["profile"]))
    expect = case["expect"]

    assert card.execution.rate_display == _dec(expect["execution"]["rate"])
    assert card.execution.score == _dec(expect["execution"]["score"])
    assert {b.level1: b.score for b in card.blocks} == {k: _dec(v) for k, v in expect["blocks"].items()}
    assert card.total == _dec(expect["total"])
    assert card.total_declared == _dec(expect["total_declared"])
    assert card.grade == expect["grade"]

    by_name = {i.name: i for i in card.indicators}
    for name, value in expect["indicators"].items():
        assert by_name[name].score == _dec(value), by_name[name].explanation
    stated = set(expect["indicators"])
    for item in card.indicators:  # the rest reproduces the declared score exactly
        if item.name not in stated:
            assert item.score == item.declared, (item.name, item.explanation)

    assert dict(Counter(f.code for f in findings)) == expect["findings"]
    for code, fragments in expect.get("messages", {}).items():
        text = " ".join(f.message for f in findings if f.code == code)
        for fragment in fragments:
            assert fragment in text, (code, fragment, text)
