"""Scoring of the notations the grammar reads: negations, lower-is-better names, relative targets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.model import Form, Indicator
from jixiao.rules import Profile, list_profiles
from jixiao.scoring import score, score_indicator

PROFILES = list_profiles()


def row(name: str, target: str, actual: str, weight: str = "10", declared: str | None = None) -> Indicator:
    return Indicator(level1="产出指标", level2="质量指标", name=name, target=target, actual=actual,
                     weight=Decimal(weight), score_declared=None if declared is None else Decimal(declared))


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
@pytest.mark.parametrize("actual", ["不达标", "不到位", "未按时完成", "效果不好", "逾期完成", "未達成"])
def test_negated_actuals_never_get_full_marks(profile: Profile, actual: str) -> None:
    item = score_indicator(0, row("工作完成情况", "达成预期指标", actual, declared="10"), profile, 2022)
    assert item.score < 10 and item.met is False
    assert "未达成" in item.explanation


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
def test_accidents_without_an_operator_are_a_ceiling(profile: Profile) -> None:
    item = score_indicator(0, row("安全事故发生次数", "0起", "2起", declared="10"), profile, 2022)
    assert item.score == 0 and item.met is False
    assert "指标名称含“事故”" in item.explanation and "反向（≤）" in item.explanation
    within = score_indicator(0, row("群众投诉次数", "5次", "3次"), profile, 2022)
    assert within.score == 10 and "投诉" in within.explanation


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
def test_a_written_operator_wins_over_the_name(profile: Profile) -> None:
    item = score_indicator(0, row("安全事故处置演练次数", "≥2次", "3次"), profile, 2022)
    assert item.score == 10 and "越低越好" not in item.explanation


def _form(*rows: Indicator, year: int = 2022) -> Form:
    return Form(kind="project", year=year, indicators=list(rows))


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
def test_relative_target_against_last_year(profile: Profile) -> None:
    last = _form(row("培训人次", "≥1000人次", "1000人次"), year=2021)
    now = _form(row("培训人次", "比上年增长5%", "1029人次"), row("服务人次", "增372人次", "500人次"))
    card = score(now, profile, previous=last)
    item = card.indicators[0]
    assert item.score == Decimal("9.8")  # 1029 / 1050 × 10
    assert "1000 × (1 + 5%) = 1050" in item.explanation
    alone = score(now, profile)
    assert alone.indicators[0].method == "declared" and "缺少上年同一指标的实际完成值" in alone.indicators[0].explanation
    assert "缺少上年" in card.indicators[1].explanation  # 服务人次 has no row last year


@pytest.mark.parametrize("profile", PROFILES, ids=[p.id for p in PROFILES])
def test_relative_actual_against_relative_target(profile: Profile) -> None:
    card = score(_form(row("收入增长", "比上年增长5%", "增长6%"), row("能耗", "较上年减少10%", "减少5%")), profile)
    assert card.indicators[0].score == 10
    assert card.indicators[1].score == 5 and "减少量" in card.indicators[1].explanation
