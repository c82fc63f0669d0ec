"""Profiles as dated, sourced data: dates enforced, ``auto`` by template and year, ``extends``, references."""

from __future__ import annotations

import tomllib

import pytest

from jixiao.audit import evaluate
from jixiao.model import Form
from jixiao.rules import AUTO, PROFILE_DIR, auto_profile, list_profiles, load_profile, resolve_profile
from jixiao.scoring import scorecard_data

from .conftest import corpus_forms

PROFILES = list_profiles()
RAW = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in PROFILE_DIR.glob("*.toml")}


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
def test_every_parameter_cites_a_document_not_our_notes(profile: object) -> None:
    text = (PROFILE_DIR / f"{profile.id}.toml").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert "digest" not in text and "../shared" not in text
    for name in ("weights", "execution", "reverse", "qualitative", "zero_target", "deadline", "rounding",
                 "grades", "audit"):
        section = getattr(profile, name)
        for parameter in section.model_fields_set - {"reference"}:
            assert "《" in section.cite(parameter), (name, parameter)


@pytest.mark.parametrize("stem", sorted(s for s in RAW if RAW[s].get("extends")))
def test_an_extending_profile_states_only_what_differs(stem: str) -> None:
    child, parent = RAW[stem], RAW[RAW[stem]["extends"]]
    for section, values in child.items():
        if not isinstance(values, dict) or section not in parent or section in ("reference", "match"):
            continue
        for key, value in values.items():
            if key != "reference":
                assert parent[section].get(key) != value, f"{stem}: [{section}] {key} repeats {RAW[stem]['extends']}"


def test_inherited_parameters_keep_the_parents_reference() -> None:
    seed, national = load_profile("seed-qiannan-2022"), load_profile("national")
    assert seed.grades == national.grades and seed.weights == national.weights
    assert seed.execution.policy == "floor_int" and "qiannan" not in national.execution.reference["policy"].doc
    assert seed.execution.reference["policy"].doc == "qiannan-2022"
    assert seed.execution.reference["low_rate"] == national.execution.reference["low_rate"]


def _form(year: int | None, **changes: object) -> Form:
    data: dict[str, object] = {"kind": "project", "year": year, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥100人次", "actual": "100人次",
         "weight": 60, "score_declared": 60},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "知晓率", "target": "≥90%", "actual": "95%",
         "weight": 30, "score_declared": 30},
        {"level1": "满意度指标", "level2": "满意度", "name": "满意度", "target": "≥90%", "actual": "95%",
         "weight": 10, "score_declared": 10}],
        "funds": {"rows": [{"label": "年度资金总额", "budget": 100, "executed": 100}], "rate_declared": "100%"}}
    data.update(changes)
    return Form.model_validate(data)


def test_a_2019_form_is_outside_the_national_rules_and_says_so() -> None:
    form = _form(2019, funds={"weight": 10, "rows": [{"label": "年度资金总额", "budget": 100, "executed": 100}]})
    profile = resolve_profile(AUTO, form)
    card, findings = evaluate(form, profile)
    assert profile.id == "national" and not profile.covers(2019) and profile.covers(2020)
    r01 = [f for f in findings if f.code == "R01"]
    assert r01 and "2019" in r01[0].message and "national@2020.1" in r01[0].message
    assert scorecard_data(card)["profile"] == "national@2020.1"


def test_a_transfer_payment_form_is_scored_by_its_template() -> None:
    """100 points of indicators and no execution points: no “110” under its own rules."""
    form = _form(2022, template="central-transfer")
    assert auto_profile(form).id == "central-transfer"
    card, findings = evaluate(form, auto_profile(form))
    assert card.execution.weight == 0 and card.total == 100 and card.profile == "central-transfer@2020.1"
    assert not [f for f in findings if f.code in ("A03", "A14", "R01")]
    national = evaluate(form, load_profile("national"))[1]
    assert any(f.code == "A03" and "110" in f.message for f in national)


def test_auto_without_a_template_reads_the_shape() -> None:
    assert auto_profile(_form(2022)).id == "central-transfer"  # Σ 100 of indicators, no execution points
    assert auto_profile(_form(2021, funds={"weight": 20, "rows": []})).id == "hubei"
    assert auto_profile(_form(2022, funds={"weight": 10, "rows": []})).id == "national"
    assert auto_profile(_form(2023, project="51130021T000000229367-退耕还林", funds={"weight": 10})).id == "sichuan"


def test_auto_picks_the_seed_rules_for_the_seed(seed_form: Form) -> None:
    assert auto_profile(seed_form).stamp == "seed-qiannan-2022@2022.1"
    assert auto_profile(seed_form.model_copy(update={"year": 2023})).id == "seed-qiannan-2022"  # only one
    assert not load_profile("seed-qiannan-2022").covers(2023)


DEV = {"002": "sichuan", "010": "hubei", "020": "hubei", "030": "rubric", "044": "sichuan", "046": "rubric",
       "048": "hubei"}


@pytest.mark.parametrize(("number", "form"), [(n, f) for n, f in corpus_forms() if n in DEV],
                         ids=[n for n, _ in corpus_forms() if n in DEV])
def test_auto_on_development_forms(number: str, form: Form) -> None:
    assert auto_profile(form).id == DEV[number]


def test_rubric_forms_are_not_asked_for_targets() -> None:
    form = next(f for n, f in corpus_forms() if n == "030")
    codes = {f.code for f in evaluate(form, auto_profile(form))[1]}
    assert not codes & {"T02", "T03", "B05"}
    assert {"T02", "T03"} <= {f.code for f in evaluate(form, load_profile("national"))[1]}


def test_dates_are_validated_as_a_period() -> None:
    seed = load_profile("seed-qiannan-2022")
    assert seed.dates() == "2022-01-01 至 2022-12-31" and seed.covers(None)
