"""The canonical JSON contract, the seed transcription and the findings documentation."""

from __future__ import annotations

from pathlib import Path

from jixiao.audit import CHECKS, findings_doc
from jixiao.io import jsonio
from jixiao.io.notes import IMPORT_CODES
from jixiao.model import Form, Location

from .conftest import EXAMPLES

CONTRACT_KEYS = ["kind", "year", "unit", "department", "project", "filled_on", "contact", "funds", "goals",
                 "indicators", "total_declared", "conclusion", "template"]


def test_seed_round_trips_byte_for_byte() -> None:
    text = (EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8")
    form = jsonio.loads(text)
    assert jsonio.dumps(form) + "\n" == text
    assert "3989.07" in text and "3989.0699" not in text


def test_contract_keys_in_order(seed_form: Form) -> None:
    data = jsonio.to_data(seed_form)
    assert list(data) == CONTRACT_KEYS
    assert list(data["funds"]) == ["weight", "rate_declared", "score_declared", "rows"]
    assert list(data["funds"]["rows"][0]) == ["label", "initial", "budget", "executed"]
    assert list(data["indicators"][0]) == ["level1", "level2", "name", "target", "actual", "weight",
                                           "score_declared", "reason"]
    assert list(data["goals"]) == ["expected", "actual"]


def test_seed_transcription_matches_the_seed_text(seed_form: Form, data_dir: Path) -> None:
    """Every indicator, number and reason in the example is in the seed text (line breaks removed)."""
    seed = "".join(p.read_text(encoding="utf-8") for p in (data_dir / "seed").glob("*.txt"))
    flat = seed.replace("\n", "").replace(" ", "")
    for ind in seed_form.indicators:
        assert ind.name.replace(" ", "") in flat
        assert f"{ind.target}{ind.actual}" in flat
        if ind.reason:
            assert ind.reason in flat
    assert len(seed_form.indicators) == 28
    assert seed_form.total_declared is not None and str(seed_form.total_declared) == "97.5"


def test_provenance_is_not_part_of_the_contract(seed_form: Form) -> None:
    seed_form.provenance["indicators[9].actual"] = Location(file="seed.txt", line=58)
    assert "provenance" not in jsonio.dumps(seed_form)
    assert seed_form.where("indicators[9].actual.x") == Location(file="seed.txt", line=58)
    assert seed_form.where("indicators[8]") is None


def test_findings_doc_is_current() -> None:
    docs = (EXAMPLES.parent / "docs" / "findings.md").read_text(encoding="utf-8")
    assert docs == findings_doc(IMPORT_CODES), "regenerate: jixiao checks --markdown > docs/findings.md"
    assert len({c.code for c in CHECKS}) == len(CHECKS)


def test_every_import_note_code_is_documented() -> None:
    import re

    used = set()
    for path in (EXAMPLES.parent / "jixiao" / "io").glob("*.py"):
        if path.name != "notes.py":
            used |= set(re.findall(r'"(I\d\d)"', path.read_text(encoding="utf-8")))
    assert used and used <= {code for code, _ in IMPORT_CODES}
