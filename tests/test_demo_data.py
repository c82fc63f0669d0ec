"""The shipped demo data (jixiao/demo/): what scripts/build_demo.py builds, units and totals people believe."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal

import pytest

from jixiao.audit import evaluate
from jixiao.demo import DemoUnit, not_started, units
from jixiao.rules import list_profiles

from .conftest import DATA, REPO, corpus_truth

UNITS = units()
IDS = [u.name for u in UNITS]


def _whole(unit: DemoUnit) -> bool:
    return unit.status != "draft"


def test_shipped_files_are_what_the_script_builds() -> None:
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "build_demo.py"), "--check"],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr


def test_a_bureau_of_at_least_fifteen_units_with_real_sounding_names() -> None:
    names = [u.name for u in UNITS] + [name for name, _ in not_started()]
    assert len(UNITS) >= 15 and len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[\u4e00-\u9fff（）]+", name), name  # no pinyin, no Latin, no digits
        assert not re.search(r"演示|未命名|单位\d|未开始", name), name
        assert name.endswith(("局", "部", "院", "中心", "学", "所", "股", "政府", "馆", "办公室")), name
    for unit in UNITS:
        assert unit.form.unit == unit.name


def test_every_source_is_a_development_form_of_the_right_completeness() -> None:
    for unit in UNITS:
        if unit.source == "seed":
            continue
        kind, _, number = unit.source.partition(":")
        assert int(number) <= 38 or int(number) % 2 == 0, f"{unit.name}: held-out form {number}"
        head = (DATA / "corpus" / f"{number}.txt").read_text("utf-8").splitlines()[:3]
        assert ("# complete: yes" in head) == (kind == "corpus"), unit.name


@pytest.mark.parametrize("unit", UNITS, ids=IDS)
def test_a_partial_form_is_a_draft_with_its_import_notes(unit: DemoUnit) -> None:
    partial = unit.source.startswith("draft:")
    assert partial == (unit.status == "draft")
    assert partial == bool(unit.notes)
    assert all(re.match(r"I\d\d ", note) for note in unit.notes)


@pytest.mark.parametrize("unit", [u for u in UNITS if u.source.startswith("corpus:") and not u.expect],
                         ids=lambda u: u.name)
def test_what_the_demo_completed_is_said_in_the_conclusion(unit: DemoUnit) -> None:
    """A real form shown as it was published, or its 绩效结论 says what the demo added."""
    truth = corpus_truth(DATA / "corpus" / f"{unit.source.partition(':')[2]}.truth.json")
    rows: list[dict[str, object]] = truth["indicators"]  # type: ignore[assignment]

    def squeeze(value: object) -> object:
        return re.sub(r"\s", "", value) if isinstance(value, str) else value

    funds: dict[str, object] = truth["funds"]  # type: ignore[assignment]
    form_funds = unit.form.funds
    changed = (
        len(rows) != len(unit.form.indicators)
        or any(squeeze(row.get(key)) != squeeze(getattr(ind, key))
               for row, ind in zip(rows, unit.form.indicators, strict=False)
               for key in ("target", "actual", "weight", "score_declared"))
        or any(funds[key] != getattr(form_funds, key) for key in ("weight", "score_declared", "rate_declared"))
        or [(r["budget"], r["executed"]) for r in funds["rows"]]  # type: ignore[attr-defined]
        != [(r.budget, r.executed) for r in form_funds.rows]
        or truth.get("total_declared") != unit.form.total_declared
    )
    if changed:
        assert "演示数据说明" in (unit.form.conclusion or ""), unit.name


@pytest.mark.parametrize("profile", list_profiles(), ids=lambda p: p.id)
def test_every_total_lies_within_0_and_100_and_whole_forms_are_believable(profile: object) -> None:
    for unit in UNITS:
        card, _ = evaluate(unit.form, profile)  # type: ignore[arg-type]
        assert Decimal(0) <= card.total <= 100, unit.name
        if _whole(unit):
            assert unit.form.total_declared is not None, unit.name
            assert card.total >= 40, unit.name  # a whole form is not an empty shell
            if not unit.expect:
                assert abs(card.total - min(unit.form.total_declared, Decimal(100))) <= 6, unit.name


@pytest.mark.parametrize("unit", [u for u in UNITS if u.expect], ids=lambda u: u.name)
def test_a_flawed_form_shows_what_the_auditor_finds(unit: DemoUnit) -> None:
    codes = {f.code for f in evaluate(unit.form, list_profiles()[0])[1]}
    assert set(unit.expect) <= codes
    readme = (REPO / "jixiao" / "demo" / "README.md").read_text("utf-8")
    assert all(f"（{code}）" in readme for code in unit.expect)
