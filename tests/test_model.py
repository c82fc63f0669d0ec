"""The canonical JSON contract, the seed transcription and the findings documentation."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field, TypeAdapter, ValidationError

from jixiao.audit import CHECKS, findings_doc
from jixiao.errors import InputError
from jixiao.io import jsonio
from jixiao.io.notes import IMPORT_CODES
from jixiao.model import FORM_LIMITS, Amount, Form, Location, NonNegative

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


_PYDANTIC_PLACES = {name: TypeAdapter(Annotated[Decimal, Field(ge=low, le=FORM_LIMITS.max_number,
                                                               decimal_places=FORM_LIMITS.max_decimals)])
                    for name, low in (("Amount", -FORM_LIMITS.max_number), ("NonNegative", 0))}


def _verdict(adapter: TypeAdapter[Decimal], value: Decimal) -> str:
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return exc.errors()[0]["type"]
    return "ok"


@settings(max_examples=600, deadline=None)
@given(sign=st.sampled_from(["", "-"]), digits=st.text("0123456789", min_size=1, max_size=34),
       exponent=st.integers(-36, 16), kind=st.sampled_from(["Amount", "NonNegative"]))
def test_decimal_places_are_counted_as_pydantic_counts_them(sign: str, digits: str, exponent: int, kind: str) -> None:
    """The model's own places check accepts exactly what pydantic's ``decimal_places`` accepts, trailing zeros,
    exponents and numbers wider than the decimal context included, and refuses with the same error type."""
    value = Decimal(f"{sign}{digits}E{exponent}")
    ours = _verdict(TypeAdapter(Amount if kind == "Amount" else NonNegative), value)
    theirs = _verdict(_PYDANTIC_PLACES[kind], value)
    assert (ours == "ok") == (theirs == "ok")
    if theirs == "decimal_max_places" and ours != "ok":
        assert ours in ("decimal_max_places", "less_than_equal", "greater_than_equal")


def test_too_many_places_named_in_chinese_at_the_field() -> None:
    text = '{"kind": "project", "indicators": [{"name": "x", "weight": 1.50000000000000, "score_declared": 1}]}'
    assert jsonio.loads(text).indicators[0].weight == Decimal("1.5")  # trailing zeros do not count
    with pytest.raises(InputError) as caught:
        jsonio.loads(text.replace('"score_declared": 1', '"score_declared": 0.12345678901'), "f.json")
    assert caught.value.place == "f.json: indicators[0].score_declared"
    assert caught.value.message == "小数位数过多（最多 10 位）：0.12345678901"


def test_json_numbers_keep_every_written_digit() -> None:
    """Numbers are read as written: no binary float on the way (which pydantic's own JSON reader would use)."""
    text = ('{"kind": "project", "indicators": [{"name": "x", "weight": 0.1000000000}], '
            '"total_declared": 1234567890.1234567891}')
    form = jsonio.loads(text)
    assert str(form.total_declared) == "1234567890.1234567891"
    assert str(form.indicators[0].weight) == "0.1000000000"


def test_an_assigned_number_is_checked_like_a_read_one(seed_form: Form) -> None:
    row = seed_form.funds.rows[0].model_copy()
    with pytest.raises(ValidationError) as caught:
        row.budget = Decimal("3989.07000000001")
    assert caught.value.errors()[0]["type"] == "decimal_max_places"
    assert row.budget == Decimal("3989.07")  # the refused value was not kept
    row.budget = Decimal("3989.070000000000")
    assert row.budget == Decimal("3989.07")
