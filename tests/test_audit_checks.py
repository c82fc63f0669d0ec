"""Each check on the seed with one thing changed, as a reviewer would alter a real form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import evaluate
from jixiao.errors import InputError
from jixiao.model import Form, Funds
from jixiao.rules import PROFILE_DIR, Profile, load_profile


def codes(form: Form, profile: Profile) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for f in evaluate(form, profile)[1]:
        result.setdefault(f.code, []).append(f.message)
    return result


def by_name(form: Form, name: str) -> int:
    return next(i for i, ind in enumerate(form.indicators) if ind.name == name)


def test_score_above_weight(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.indicators[0].score_declared = Decimal(3)
    assert "得分 3 超过分值 2" in codes(seed_form, seed_profile)["A01"][0]


def test_grade_in_conclusion_must_match_the_band(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.conclusion = "经自评，总分97.5分，等级为良。"
    message = codes(seed_form, seed_profile)["A05"][0]
    assert "“良”" in message and "“优”" in message
    seed_form.conclusion = "经自评，总分97.5分，评价等级为优秀。"
    assert "A05" not in codes(seed_form, seed_profile)


@pytest.mark.parametrize(("conclusion", "flagged"), [
    ("项目实施效果良好，群众满意，自评等级为优。", False),   # 良好 describes the work, 优 is the grade
    ("项目实施效果良好，自评等级为良好。", True),
    ("良好", True),
    ("自评结果为不合格", True),                          # never read as 合格
    ("项目总体完成情况较好，效果良好。", False),          # no grade stated at all
])
def test_only_a_stated_grade_is_compared_with_the_band(
        seed_form: Form, seed_profile: Profile, conclusion: str, flagged: bool) -> None:
    seed_form.conclusion = conclusion
    assert ("A05" in codes(seed_form, seed_profile)) is flagged


def test_declared_rate_and_execution_score(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.funds.rate_declared = "98%"
    seed_form.funds.score_declared = Decimal(10)
    found = [m for m in codes(seed_form, seed_profile)["A06"]]
    assert any("99.45%" in m for m in found) and any("应为 9" in m for m in found)


def test_declared_total_must_add_up(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.total_declared = Decimal("98.5")
    assert "97.5" in codes(seed_form, seed_profile)["A04"][0]


def test_over_execution(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.funds.rows[1].executed = Decimal("1300.00")
    assert any("1300.00 超过全年预算数 1290.82" in m for m in codes(seed_form, seed_profile)["A08"])


def test_qualitative_tier_bounds(seed_form: Form, seed_profile: Profile, national: Profile) -> None:
    i = by_name(seed_form, "全局工作任务完成情况")
    seed_form.indicators[i].actual = "部分达成预期指标并具有一定效果"
    card, findings = evaluate(seed_form, seed_profile)
    assert card.indicators[i].score == Decimal("8.0")  # 10 declared, the tier tops out at 80 %
    assert any(f.code == "B03" for f in findings)
    seed_form.indicators[i].score_declared = Decimal("5.5")  # inside 50–80 % of the seed, below 60 % national
    assert evaluate(seed_form, seed_profile)[0].indicators[i].score == Decimal("5.5")
    assert evaluate(seed_form, national)[0].indicators[i].score == Decimal("6.0")


def test_late_deadline(seed_form: Form, seed_profile: Profile) -> None:
    i = by_name(seed_form, "完成时间")
    seed_form.indicators[i].actual = "2023年3月"
    item = evaluate(seed_form, seed_profile)[0].indicators[i]
    assert item.met is False and item.score == Decimal("8.0") and "逾期" in item.explanation
    seed_form.indicators[i].actual = "2022年11月30日"
    assert evaluate(seed_form, seed_profile)[0].indicators[i].score == 10


def test_overachievement_needs_a_reason(seed_form: Form, seed_profile: Profile) -> None:
    i = by_name(seed_form, "服务人才人数")
    seed_form.indicators[i].actual = "3700人"
    assert "123%" in codes(seed_form, seed_profile)["C03"][0]
    seed_form.indicators[i].reason = "人才引进政策出台后服务量大幅增加"
    assert "C03" not in codes(seed_form, seed_profile)


def test_units_and_rates(seed_form: Form, seed_profile: Profile) -> None:
    i = by_name(seed_form, "服务人才人数")
    seed_form.indicators[i].actual = "3000人次"
    assert "人次" in codes(seed_form, seed_profile)["B06"][0]
    j = by_name(seed_form, "干部对组织部的满意度")
    seed_form.indicators[j].target = "≥100%"
    assert "=100%" in codes(seed_form, seed_profile)["B07"][0]


def test_money_units_convert(seed_form: Form, seed_profile: Profile) -> None:
    i = by_name(seed_form, "重大项目")
    seed_form.indicators[i].actual = "19843700元"
    item = evaluate(seed_form, seed_profile)[0].indicators[i]
    assert item.met is True and "折合 1984.37万元" in item.explanation


def test_vague_target_and_unknown_notation(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.indicators[0].target = "进一步提高运维水平"
    seed_form.indicators[1].target = "90%-95%"
    found = codes(seed_form, seed_profile)
    assert "进一步" in found["T01"][0]
    assert any("区间" in m for m in found["T02"])


def test_missing_contact_and_copied_goal(seed_form: Form, seed_profile: Profile) -> None:
    seed_form.contact.phone = None
    seed_form.goals.actual = seed_form.goals.expected
    found = codes(seed_form, seed_profile)
    assert any("联系电话" in m for m in found["C05"]) and "C06" in found


def test_missing_funds_or_unit_is_said_not_silently_scored(seed_form: Form, seed_profile: Profile) -> None:
    assert "C07" not in codes(seed_form, seed_profile)
    without = seed_form.model_copy(update={"funds": Funds(score_declared=Decimal(9)), "unit": None})
    card, findings = evaluate(without, seed_profile)
    said = [f for f in findings if f.code == "C07"]
    assert {f.path for f in said} == {"funds", "unit"} and all(f.severity == "error" for f in said)
    assert card.execution.rate is None
    assert any("执行率无法计算" in f.message and "沿用填报得分 9" in f.message for f in said)
    declared_nothing = without.model_copy(update={"funds": Funds()})
    assert any("按 0 分计" in f.message for f in evaluate(declared_nothing, seed_profile)[1] if f.code == "C07")


def test_tiered_execution_policy_from_a_profile_file(seed_form: Form, tmp_path: Path) -> None:
    text = (PROFILE_DIR / "national.toml").read_text("utf-8")
    text = text.replace('policy = "linear_capped"', 'policy = "tiered"\ntiers = [[100, 10], [95, 9], [90, 8], [80, 6], [0, 0]]').replace(
        "[execution.reference]", "[execution.reference]\ntiers = { doc = \"mof-pmkpi\", part = \"档位\" }").replace('id = "national"', 'id = "t"')
    path = tmp_path / "tiered.toml"
    path.write_text(text, encoding="utf-8")
    card = evaluate(seed_form, load_profile(str(path)))[0]
    assert card.execution.score == 9 and "档位" in card.execution.explanation


@pytest.mark.parametrize(("change", "fragment"), [
    (('policy = "linear_capped"', 'policy = "tiered"'), "tiers"),
    (('formula = "linear_to_zero"', 'formula = "sideways"'), "reverse.formula"),
    (("[grades]", "[grades\n"), "TOML"),
])
def test_bad_profile_file_is_named(tmp_path: Path, change: tuple[str, str], fragment: str) -> None:
    text = (PROFILE_DIR / "national.toml").read_text("utf-8")
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_profile(str(path))
    assert "broken.toml" in str(error.value) and fragment in str(error.value)


def test_year_over_year(seed_form: Form) -> None:
    from jixiao.audit.history import year_over_year

    last_year = seed_form.model_copy(deep=True)
    last_year.year = 2021
    i = by_name(seed_form, "服务人才人数")
    last_year.indicators[i].actual = "3500人"  # delivered 3500 last year, the 2022 target asks ≥3000
    j = by_name(seed_form, "开展项目个数")
    last_year.funds.rows[0].budget = Decimal("3000")  # budget grew by a third, the target stayed 13个
    found = year_over_year(last_year, seed_form)
    d06 = [f for f in found if f.code == "D06"]
    assert len(d06) == 1 and "3500人" in d06[0].message and d06[0].path == f"indicators[{i}].target"
    assert any(f.code == "D07" and f.path == f"indicators[{j}].target" for f in found)
    assert year_over_year(seed_form, seed_form) == []
