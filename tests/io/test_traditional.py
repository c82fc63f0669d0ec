"""Traditional characters in labels: the vocabulary folds every one OpenCC knows for a label character."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from jixiao.io.textlabels import head_cell, key
from jixiao.io.vocabulary import vocabulary

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("traditional_table", SCRIPTS / "traditional_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["traditional_table"] = module
    spec.loader.exec_module(module)
    return module


def test_every_traditional_form_of_a_label_character_is_folded() -> None:
    """The table is what ``scripts/traditional_table.py`` makes of today's labels: run it after adding labels."""
    pytest.importorskip("opencc")
    generator = _generator()
    table = vocabulary()["traditional"]
    folded = dict(zip(table["from"], table["to"], strict=True))
    wanted = generator.folding(generator.label_characters())
    missing = {form: simple for form, simple in wanted.items() if folded.get(form) != simple}
    assert not missing, f"run scripts/traditional_table.py: {missing}"


def test_no_folded_character_is_a_simplified_label_character() -> None:
    """Folding must never change a Simplified label (``著`` in 显著 is no Traditional ``着``)."""
    generator = _generator()
    table = vocabulary()["traditional"]
    assert not set(table["from"]) & generator.label_characters() - set(table["to"])


@pytest.mark.parametrize(("printed", "column"), [
    ("權重", "WEIGHT"), ("年度指標值", "TARGET"), ("實際完成值", "ACTUAL"), ("三級指標", "NAME"), ("偏差原因分析及改進措施", None),
])
def test_traditional_headers_read_as_their_columns(printed: str, column: str | None) -> None:
    found = head_cell(printed)
    if column is None:
        assert key(printed) == "偏差原因分析及改进措施"
    else:
        assert found is not None and found.name == column
