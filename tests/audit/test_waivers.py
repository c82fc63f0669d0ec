"""Waivers (审核豁免): a waived finding stays listed as waived, lapses when its field changes, and is kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.audit import counts, evaluate
from jixiao.audit.waivers import apply_waivers, identity_of, is_open, read_waivers, waiver_for, write_waivers
from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.io import jsonio
from jixiao.rules import load_profile

from .inline import form, variant
from .test_codes import BASE

NATIONAL = load_profile("national")
WRONG_TOTAL = form(variant(BASE, "总分: 98"))  # A04 and nothing else
WHEN = datetime(2023, 5, 4, 9, 30, tzinfo=UTC)


def _a04(situation: object = WRONG_TOTAL) -> list:  # type: ignore[type-arg]
    return evaluate(situation, NATIONAL)[1]  # type: ignore[arg-type]


def test_a_waived_finding_is_listed_as_waived_and_not_counted() -> None:
    findings = _a04()
    assert [f.code for f in findings] == ["A04"]
    waiver = waiver_for(findings[0], WRONG_TOTAL, by="李审核", reason="总分含财政局核定的加分", at=WHEN)
    waived = apply_waivers(findings, WRONG_TOTAL, [waiver])
    assert len(waived) == 1 and not is_open(waived[0]) and waived[0].severity == "error"
    assert "已豁免：总分含财政局核定的加分（李审核，2023-05-04 09:30）" in waived[0].message
    assert counts(waived)["error"] == 0 and counts(findings)["error"] == 1


def test_a_waiver_lapses_when_its_field_changes() -> None:
    waiver = waiver_for(_a04()[0], WRONG_TOTAL, by="李审核", reason="总分含核定加分", at=WHEN)
    changed = form(variant(BASE, "总分: 99"))
    again = apply_waivers(_a04(changed), changed, [waiver])
    assert is_open(again[0]) and again[0].waiver is not None and again[0].waiver.lapsed
    assert "豁免已失效" in again[0].message and counts(again)["error"] == 1
    elsewhere = form(variant(BASE, "总分: 98", "结论: 经自评，总分98分，等级为优。"))  # another field changed
    assert not is_open(apply_waivers(_a04(elsewhere), elsewhere, [waiver])[0])


def test_the_latest_waiver_applies_and_the_file_keeps_them_all(tmp_path: Path) -> None:
    finding = _a04()[0]
    first = waiver_for(finding, WRONG_TOTAL, by="王", reason="先行豁免", at=WHEN)
    second = waiver_for(finding, WRONG_TOTAL, by="李", reason="复核确认", at=WHEN)
    path = tmp_path / "waivers.json"
    write_waivers(path, [first, second])
    assert read_waivers(path) == [first, second]
    assert "复核确认" in apply_waivers([finding], WRONG_TOTAL, read_waivers(path))[0].message


def test_a_waiver_is_of_one_form_by_its_identity_not_its_file() -> None:
    """Unit, project and year make the form's identity: another unit's (or year's) form with the same finding
    keeps it open; the same form read again, from any file, keeps its waiver."""
    waiver = waiver_for(_a04()[0], WRONG_TOTAL, by="李审核", reason="总分含核定加分", at=WHEN, file="seed.json")
    assert waiver.identity == identity_of(WRONG_TOTAL) and WRONG_TOTAL.unit and WRONG_TOTAL.year
    for other in (WRONG_TOTAL.model_copy(update={"unit": "另一单位"}),
                  WRONG_TOTAL.model_copy(update={"year": WRONG_TOTAL.year + 1})):
        assert is_open(apply_waivers(_a04(other), other, [waiver])[0])
    spaced = WRONG_TOTAL.model_copy(update={"unit": f" {WRONG_TOTAL.unit}（盖章）"})  # the same unit, written so
    assert not is_open(apply_waivers(_a04(spaced), spaced, [waiver])[0])


def test_a_form_naming_no_unit_is_known_by_its_file_and_its_waiver_lapses_when_edited() -> None:
    """No unit: no identity, the waiver is of the file; an edit elsewhere keeps it, an edit of the field lapses it
    (shown, never dropped)."""
    nameless = WRONG_TOTAL.model_copy(update={"unit": None})
    waiver = waiver_for(_a04(nameless)[0], nameless, by="李审核", reason="总分含核定加分", at=WHEN, file="a.json")
    assert waiver.identity is None and waiver.form == "a.json"
    edited = nameless.model_copy(update={"conclusion": "经自评，等级为优。"})
    assert not is_open(apply_waivers(_a04(edited), edited, [waiver], "a.json")[0])
    changed = nameless.model_copy(update={"total_declared": nameless.total_declared - 1})  # type: ignore[operator]
    again = apply_waivers(_a04(changed), changed, [waiver], "a.json")
    assert is_open(again[0]) and "豁免已失效" in again[0].message


def test_a_waiver_of_the_same_file_whose_form_changed_identity_is_shown_lapsed() -> None:
    waiver = waiver_for(_a04()[0], WRONG_TOTAL, by="李审核", reason="总分含核定加分", at=WHEN, file="seed.json")
    renamed = WRONG_TOTAL.model_copy(update={"unit": "另一单位"})
    shown = apply_waivers(_a04(renamed), renamed, [waiver], "folder/seed.json")
    assert shown[0].waiver is not None and shown[0].waiver.lapsed and is_open(shown[0])
    assert "豁免已失效：该表的表类、单位、项目或年度在豁免后已修改" in shown[0].message
    other = apply_waivers(_a04(renamed), renamed, [waiver], "other.json")  # another file: another form's waiver
    assert other[0].waiver is None


def test_an_identity_is_a_hash_of_a_fixed_length_however_long_the_names() -> None:
    """NFKC may lengthen a name (``㍿`` is 株式会社): the identity stays a short hash, the waiver is written."""
    long = WRONG_TOTAL.model_copy(update={"unit": "㍿" * 200, "project": "㍿" * 200})
    waiver = waiver_for(_a04(long)[0], long, by="李审核", reason="总分含核定加分", at=WHEN)
    assert waiver.identity is not None and len(waiver.identity) == len("sha256:") + 64
    assert not is_open(apply_waivers(_a04(long), long, [waiver])[0])


@pytest.mark.parametrize(("text", "fragment"), [
    ("{", "不是有效的 JSON"), ('{"waivers": [{"code": "A04"}]}', "waivers[0]"), ("[]", "豁免文件字段错误"),
])
def test_a_bad_waivers_file_is_named(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_waivers(path)
    assert "bad.json" in str(error.value) and fragment in str(error.value)


def test_a_reason_is_required() -> None:
    with pytest.raises(InputError, match="豁免理由"):
        waiver_for(_a04()[0], WRONG_TOTAL, by="李", reason=" ")


def test_cli_waive_then_audit(tmp_path: Path) -> None:
    runner = CliRunner()
    path, waivers = tmp_path / "form.json", tmp_path / "waivers.json"
    path.write_text(jsonio.dumps(WRONG_TOTAL), encoding="utf-8")
    assert runner.invoke(app, ["audit", str(path), "-p", "national"]).exit_code == 1
    result = runner.invoke(app, ["waive", str(path), "-p", "national", "--code", "A04", "--reason", "总分含核定加分",
                                 "--by", "李审核", "--waivers", str(waivers)])
    assert result.exit_code == 0, result.stdout
    audited = runner.invoke(app, ["audit", str(path), "-p", "national", "--waivers", str(waivers), "--json"])
    assert audited.exit_code == 0
    data = json.loads(audited.stdout)
    assert data["findings"][0]["waiver"]["by"] == "李审核" and data["counts"]["error"] == 0
    refused = runner.invoke(app, ["waive", str(path), "--code", "B01", "--reason", "理由", "--by", "李",
                                  "--waivers", str(waivers)])
    assert refused.exit_code == 2 and "没有代码为 B01" in refused.output
