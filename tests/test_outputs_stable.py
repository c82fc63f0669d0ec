"""The outputs of scoring and auditing stay byte for byte what they were: the machine JSON of a scorecard
(``jixiao score --json``), of an audit (``jixiao audit --json``) and the Markdown report (under the first profile), for the seed and some
development forms of the corpus under three profiles, against snapshots in ``tests/data/outputs``.

A change that means to change an output rewrites the snapshots (``python -m tests.test_outputs_stable``) and
shows the difference in its diff; a change for speed leaves them as they are.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson

from jixiao.audit import evaluate
from jixiao.cli.core import findings_data
from jixiao.io import jsonio
from jixiao.io.accuracy import development_truths
from jixiao.report import markdown
from jixiao.report.content import build_report
from jixiao.rules import load_profile
from jixiao.scoring import scorecard_data

from .conftest import corpus_truth

DATA = Path(__file__).parent / "data"
SNAPSHOTS = DATA / "outputs"
#: The national rules, the seed's own (other rounding and execution policy) and Hebei's (权重占比 folding).
PROFILES = ("national", "seed-qiannan-2022", "hebei")
#: The seed and the first development forms of the corpus (never a held-out form).
FORMS = 5


def rendered(name: str, path: Path) -> str:
    """Every output of one form under each profile, as one JSON text."""
    form = jsonio.read(path) if name == "seed" else jsonio.form_from_data(corpus_truth(path), name)
    outputs: dict[str, dict[str, object]] = {}
    for profile_id in PROFILES:
        card, findings = evaluate(form, load_profile(profile_id))
        outputs[profile_id] = {"score": scorecard_data(card), "audit": findings_data(findings)}
        if profile_id == PROFILES[0]:  # the report words what the JSON holds: once is enough
            outputs[profile_id]["markdown"] = markdown.render(build_report(form, card, findings))
    return simplejson.dumps(outputs, use_decimal=True, ensure_ascii=False, indent=1) + "\n"


#: (name, path) of each form: the seed's truth, then development forms (``development_truths`` picks them).
CASES = [("seed", DATA.parent.parent / "examples" / "qiannan-2022.json"),
         *((name, DATA / "corpus" / f"{name}.truth.json") for name, _ in development_truths(DATA)[1:FORMS])]


@pytest.mark.parametrize(("name", "path"), CASES, ids=[name for name, _ in CASES])
def test_outputs_unchanged(name: str, path: Path) -> None:
    snapshot = SNAPSHOTS / f"{name}.json"
    assert rendered(name, path) == snapshot.read_text(encoding="utf-8"), f"{name} 的输出与快照不同"


def test_snapshots_hold_what_was_computed() -> None:
    """A snapshot is a real scorecard: its total is the scorer's total, so an empty or stale file cannot pass."""
    name, path = CASES[0]
    stored = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)
    card, _ = evaluate(jsonio.read(path), load_profile("national"))
    assert stored["national"]["score"]["total"] == card.total and stored["national"]["score"]["indicators"]


if __name__ == "__main__":
    for name, path in CASES:
        (SNAPSHOTS / f"{name}.json").write_text(rendered(name, path), encoding="utf-8")
