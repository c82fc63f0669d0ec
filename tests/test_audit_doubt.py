"""Findings on fields the importer doubted read 导入存疑 instead of blaming the unit (real corpus forms)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.audit import DOUBT_PREFIX, evaluate, rests_on
from jixiao.cli import app
from jixiao.io.accuracy import compare, corpus_part
from jixiao.io.notes import ImportNote, doubted_paths
from jixiao.io.text import read_text
from jixiao.model import Form
from jixiao.rules import load_profile

from .conftest import DATA, corpus_forms

CORPUS = dict(corpus_forms())
DEVELOPMENT = [n for n in sorted(CORPUS) if corpus_part(n, DATA / "split.toml") == "development"]

NATIONAL = load_profile("national")
runner = CliRunner()


def _misread(number: str) -> tuple[Form, list[str]]:
    """A development form as the text importer reads it, and the paths of the fields it reads wrong."""
    text = DATA / "corpus" / f"{number}.txt"
    form, notes = read_text(text)
    truth = json.loads(text.with_suffix(".truth.json").read_text(encoding="utf-8"))
    return form, [r.parsed for r in compare(form, truth, notes) if not r.ok and r.parsed is not None]


@pytest.mark.parametrize("number", DEVELOPMENT)
def test_doubting_the_misread_fields_labels_what_rests_on_them(number: str) -> None:
    """Each development form as read today, with the fields it reads wrong doubted (as the importer should)."""
    form, wrong = _misread(number)
    _, plain = evaluate(form, NATIONAL)
    _, labelled = evaluate(form, NATIONAL, wrong)
    assert [(f.code, f.severity, f.location, f.path) for f in plain] == [
        (f.code, f.severity, f.location, f.path) for f in labelled
    ]
    assert not any(f.doubt or f.message.startswith(DOUBT_PREFIX) for f in plain)
    for f in labelled:
        assert f.doubt == any(rests_on(f.path, w) for w in wrong), f
        assert f.message.startswith(DOUBT_PREFIX) == f.doubt and f.message.endswith("请核对原表后再认定。") == f.doubt


@pytest.mark.parametrize("number", sorted(n for n in CORPUS if n in DEVELOPMENT))
def test_a_finding_on_a_truth_form_is_labelled_when_its_row_is_doubted(number: str) -> None:
    """The hand-made truths break their own rules: doubting one finding's row labels it, not other rows'."""
    _, findings = evaluate(CORPUS[number], NATIONAL)
    rows = sorted({f.path.split(".")[0] for f in findings if f.path and f.path.startswith("indicators[")})
    for row in rows:
        _, labelled = evaluate(CORPUS[number], NATIONAL, {f"{row}.actual"})
        for f in labelled:
            on_row = (f.path or "").startswith(row + ".")
            other_row = (f.path or "").startswith("indicators[") and not on_row
            assert (on_row and f.doubt) or (other_row and not f.doubt) or not (on_row or other_row)


def test_a_doubted_weight_explains_score_above_weight_on_its_row(seed_form: Form) -> None:
    form = seed_form
    form.indicators[9].weight = Decimal("0.1")  # as if 1 had been read as 0.1: A01 would blame the unit
    _, findings = evaluate(form, NATIONAL, {"indicators[9].weight"})
    a01 = [f for f in findings if f.code == "A01" and f.path == "indicators[9].score_declared"]
    assert a01 and a01[0].doubt and a01[0].severity == "error"
    assert next(f for f in findings if f.code == "A03" and f.path == "indicators").doubt  # the sums include it
    assert not any(f.doubt for f in findings if (f.path or "").startswith("indicators[") and "[9]" not in f.path)


def test_rests_on_follows_records_and_parents() -> None:
    assert rests_on("indicators[3].score_declared", "indicators[3].weight")
    assert rests_on("indicators", "indicators[3].weight") and rests_on("indicators[3].weight", "indicators")
    assert rests_on("funds.rate_declared", "funds.rows[0].executed")
    assert rests_on("total_declared", "indicators[0].score_declared")
    assert not rests_on("indicators[31].weight", "indicators[3].weight")
    assert not rests_on("total_declared", "indicators[0].weight") and not rests_on(None, "indicators")


@given(st.integers(0, 60), st.integers(0, 60), st.sampled_from(["weight", "score_declared", "target", "actual"]),
       st.sampled_from(["weight", "score_declared", "target", "actual", "reason"]))
def test_indicator_findings_rest_only_on_their_own_row(row: int, other: int, field: str, finding: str) -> None:
    assert rests_on(f"indicators[{row}].{finding}", f"indicators[{other}].{field}") == (row == other)


def test_doubted_paths_are_the_notes_paths() -> None:
    notes = [ImportNote("I20", "分值存疑", path="indicators[2].weight"), ImportNote("I01", "文本不完整")]
    assert doubted_paths(notes) == {"indicators[2].weight"}


def test_cli_audit_labels_exactly_the_findings_resting_on_noted_fields(tmp_path: Path) -> None:
    source = tmp_path / "054.txt"
    source.write_bytes((DATA / "corpus" / "054.txt").read_bytes())
    result = runner.invoke(app, ["audit", str(source), "--json"])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    noted = [f["path"] for f in findings if f["code"].startswith("I") and f["path"]]
    for f in findings:
        if not f["code"].startswith("I"):
            assert f["doubt"] == any(rests_on(f["path"], p) for p in noted), f
            assert f["message"].startswith(DOUBT_PREFIX) == f["doubt"]
