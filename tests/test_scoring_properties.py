"""Property tests of the scoring rules (hypothesis): bounds, monotonicity, totals, exact JSON."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.io import jsonio
from jixiao.model import Form, Indicator
from jixiao.rules import list_profiles
from jixiao.scoring import _ROWS, HUNDRED, ZERO, round_places, score, score_indicator, total_on_scale

PROFILES = list_profiles()
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=Decimal("0.01"), max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=Decimal("0.5"), max_value=50, places=1, allow_nan=False, allow_infinity=False)
profiles = st.sampled_from(PROFILES)
ops = st.sampled_from(["≥", "≤", "=", ">", "<", ""])
tiers = st.sampled_from(["达成预期指标", "部分达成预期指标并具有一定效果", "未达成预期指标且效果较差", "已完成"])


def _indicator(op: str, target: Decimal, actual: Decimal, weight: Decimal, level2: str = "数量") -> Indicator:
    return Indicator(level1="产出指标", level2=level2, name="指标", target=f"{op}{target}个",
                     actual=f"{actual}个", weight=weight, score_declared=None)


@given(ops, amounts, amounts, weights, profiles, st.sampled_from(["数量", "成本"]))
def test_score_between_zero_and_weight(op: str, target: Decimal, actual: Decimal, weight: Decimal,
                                       profile: object, level2: str) -> None:
    result = score_indicator(0, _indicator(op, target, actual, weight, level2), profile, 2022)  # type: ignore[arg-type]
    assert ZERO <= result.score <= weight


@given(positive, amounts, amounts, weights, profiles)
def test_monotone_for_at_least(target: Decimal, a: Decimal, b: Decimal, weight: Decimal, profile: object) -> None:
    low, high = sorted((a, b))
    s_low = score_indicator(0, _indicator("≥", target, low, weight), profile, 2022).score  # type: ignore[arg-type]
    s_high = score_indicator(0, _indicator("≥", target, high, weight), profile, 2022).score  # type: ignore[arg-type]
    assert s_low <= s_high


@given(positive, amounts, amounts, weights, profiles)
def test_antitone_for_at_most(target: Decimal, a: Decimal, b: Decimal, weight: Decimal, profile: object) -> None:
    low, high = sorted((a, b))
    s_low = score_indicator(0, _indicator("≤", target, low, weight), profile, 2022).score  # type: ignore[arg-type]
    s_high = score_indicator(0, _indicator("≤", target, high, weight), profile, 2022).score  # type: ignore[arg-type]
    assert s_low >= s_high


@given(positive, weights, profiles)
def test_meeting_the_target_gives_full_marks(target: Decimal, weight: Decimal, profile: object) -> None:
    for op in ("≥", "≤", "="):
        result = score_indicator(0, _indicator(op, target, target, weight), profile, 2022)  # type: ignore[arg-type]
        assert result.score == weight and result.met


@given(tiers, st.decimals(min_value=-5, max_value=60, places=2, allow_nan=False, allow_infinity=False),
       weights, profiles)
def test_qualitative_score_stays_in_its_tier(actual: str, declared: Decimal, weight: Decimal,
                                             profile: object) -> None:
    ind = Indicator(level1="效益指标", level2="社会效益", name="影响", target="效果明显", actual=actual,
                    weight=weight, score_declared=declared)
    result = score_indicator(0, ind, profile, 2022)  # type: ignore[arg-type]
    tier = result.actual.tier
    assert tier is not None
    low, high = profile.qualitative.bounds(tier)  # type: ignore[attr-defined]
    assert low * weight <= result.score <= high * weight
    if low * weight <= declared <= high * weight:
        assert result.score == declared  # a declared score inside its tier is kept


@settings(max_examples=60)
@given(st.lists(st.tuples(ops, positive, amounts, weights), min_size=1, max_size=12), amounts, amounts, profiles)
def test_totals_equal_sum_of_parts(rows: list[tuple[str, Decimal, Decimal, Decimal]], budget: Decimal,
                                   executed: Decimal, profile: object) -> None:
    assume(budget > 0)
    form = Form.model_validate({
        "kind": "project",
        "funds": {"weight": 10, "rows": [{"label": "年度资金总额", "budget": budget, "executed": executed}]},
        "indicators": [_indicator(*row).model_dump() for row in rows],
    })
    card = score(form, profile)  # type: ignore[arg-type]
    assert card.raw_total == card.execution.score + sum((i.score for i in card.indicators), ZERO)
    if card.execution.weight + card.indicator_weight <= HUNDRED:
        assert card.total == card.raw_total and card.total_explanation == ""
    assert sum((b.score for b in card.blocks), ZERO) == sum((i.score for i in card.indicators), ZERO)
    assert ZERO <= card.execution.score <= 10


def _form(rows: list[tuple[str, Decimal, Decimal, Decimal]], budget: Decimal, executed: Decimal,
          funds_weight: Decimal) -> Form:
    return Form.model_validate({
        "kind": "project",
        "funds": {"weight": funds_weight, "rows": [{"label": "年度资金总额", "budget": budget, "executed": executed}]},
        "indicators": [_indicator(*row).model_dump() for row in rows],
    })


@settings(max_examples=80)
@given(st.lists(st.tuples(ops, positive, amounts, weights), min_size=1, max_size=14), positive, amounts,
       weights, profiles, st.sampled_from(["normalise", "cap"]))
def test_total_stays_on_the_100_point_scale(rows: list[tuple[str, Decimal, Decimal, Decimal]], budget: Decimal,
                                            executed: Decimal, funds_weight: Decimal, profile: object,
                                            rule: str) -> None:
    base = profile  # type: ignore[assignment]
    rules = base.model_copy(update={"grades": base.grades.model_copy(update={"over_100": rule})})  # type: ignore[attr-defined]
    card = score(_form(rows, budget, executed, funds_weight), rules)
    assert ZERO <= card.total <= HUNDRED
    weight_sum = card.execution.weight + card.indicator_weight
    if weight_sum > HUNDRED:
        assert "超过100" in card.total_explanation and f"原始合计 {card.raw_total}" in card.total_explanation
        if rule == "normalise":
            assert card.total == round_places(card.raw_total * HUNDRED / weight_sum, 2)
        else:
            assert card.total == min(card.raw_total, HUNDRED)


finite = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(finite, finite, st.sampled_from(["normalise", "cap"]), st.integers(min_value=0, max_value=4))
def test_total_on_scale_is_bounded_for_any_figures(raw: Decimal, weight_sum: Decimal, rule: str,
                                                   places: int) -> None:
    total, explanation = total_on_scale(raw, weight_sum, rule, places)
    assert ZERO <= total <= HUNDRED
    rounded = round_places(raw, places)  # rounding as the profile says is not a change to explain (-0.01 → 0)
    if ZERO <= rounded <= HUNDRED and weight_sum <= HUNDRED:
        assert total == rounded and explanation == ""
    else:
        assert explanation  # whatever changed the figure is said


@given(st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=Decimal("100.1"), max_value=400, places=1, allow_nan=False, allow_infinity=False))
def test_normalising_keeps_the_share_of_points_earned(share: Decimal, weight_sum: Decimal) -> None:
    raw = share * weight_sum
    total, _ = total_on_scale(raw, weight_sum, "normalise", 2)
    assert abs(total - share * HUNDRED) <= Decimal("0.01")


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                            min_value=0, max_value=Decimal("1e12")), min_size=3, max_size=3))
def test_decimals_round_trip_through_json_exactly(values: list[Decimal]) -> None:
    form = Form.model_validate({"kind": "department", "indicators": [], "funds": {
        "rows": [{"label": "年度资金总额", "initial": values[0], "budget": values[1], "executed": values[2]}]}})
    back = jsonio.loads(jsonio.dumps(form))
    row = back.funds.rows[0]
    assert (row.initial, row.budget, row.executed) == tuple(values)
    assert str(row.budget) == str(values[1])  # the same digits, not merely an equal value


#: One input of a row changed (the cells the scorer reads, the year): what the row cache must tell apart.
row_changes = st.sampled_from([
    ("name", "培训人次下降率"), ("level1", "效益指标"), ("level2", "成本"), ("target", "≤5个"), ("actual", "已完成"),
    ("weight", Decimal("7.5")), ("weight", None), ("score_declared", Decimal(3)), ("year", 2019)])


@given(ops, amounts, amounts, weights, st.one_of(st.none(), weights), profiles, st.integers(0, 40), row_changes)
def test_a_row_scored_after_another_is_scored_as_if_alone(op: str, target: Decimal, actual: Decimal, weight: Decimal,
                                                         declared: Decimal | None, profile: object, index: int,
                                                         change: tuple[str, object]) -> None:
    """The row cache never hands a row another row's score: a row that differs from the row scored before it in
    one input (a batch's next row, the next live save) scores as it does with nothing cached, at its own index."""
    row = _indicator(op, target, actual, weight).model_copy(update={"score_declared": declared})
    field, value = change
    year = value if field == "year" else 2022
    other = row if field == "year" else Indicator.model_validate({**row.model_dump(), field: value})
    assume(field == "year" or other != row)
    _ROWS.clear()
    alone = score_indicator(index, other, profile, year)  # type: ignore[arg-type]
    _ROWS.clear()
    score_indicator(0, row, profile, 2022)  # type: ignore[arg-type]
    after = score_indicator(index, other, profile, year)  # type: ignore[arg-type]
    assert after == alone and after.explanation == alone.explanation
    again = score_indicator(index, Indicator.model_validate(row.model_dump()), profile, 2022)  # type: ignore[arg-type]
    assert again.key is not None and again.key != after.key


def test_the_row_cache_keeps_the_written_decimals_apart() -> None:
    """10 and 10.0 are equal Decimals but are explained as written: the cache does not hand one the other's text."""
    profile = PROFILES[0]
    plain_row = _indicator("≥", Decimal(5), Decimal(6), Decimal("10"))
    padded_row = _indicator("≥", Decimal(5), Decimal(6), Decimal("10.0"))
    assert "满分 10，" not in score_indicator(0, padded_row, profile, 2022).explanation + "，"
    assert score_indicator(0, plain_row, profile, 2022).explanation.endswith("得满分 10")
    assert score_indicator(0, padded_row, profile, 2022).explanation.endswith("得满分 10.0")
