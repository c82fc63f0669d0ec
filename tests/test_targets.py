"""The target grammar on what people really write (the seed, the corpus, the digest)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.targets import GRAMMAR, lower_is_better, parse_target, tier_of

CASES = [
    # text, kind, op, number, unit, op_inferred
    ("≥300份", "quantity", "≥", "300", "份", False),
    ("≥95%", "quantity", "≥", "95", "%", False),
    ("100%", "quantity", "≥", "100", "%", True),
    ("1个", "quantity", "≥", "1", "个", True),
    ("≤90万元", "quantity", "≤", "90", "万元", False),
    ("=100%", "quantity", "=", "100", "%", False),
    ("≥100百分比", "quantity", "≥", "100", "%", False),
    ("不低于95%", "quantity", "≥", "95", "%", False),
    ("95%以上", "quantity", "≥", "95", "%", False),
    ("不超过5万元", "quantity", "≤", "5", "万元", False),
    ("三个", "quantity", "≥", "3", "个", True),
    ("十二个", "quantity", "≥", "12", "个", True),
    ("＞＝ 80 次", "quantity", "≥", "80", "次", False),
    ("＞ 0.5 ％", "quantity", ">", "0.5", "%", False),
    (" ≥ 1,000 人", "quantity", "≥", "1000", "人", False),
    ("<=10次", "quantity", "≤", "10", "次", False),
    ("≤ 0起", "quantity", "≤", "0", "起", False),
    ("3331.80万元", "quantity", "≥", "3331.80", "万元", True),
    ("控制在30万元以内", "quantity", "≤", "30", "万元", False),
]


@pytest.mark.parametrize(("text", "kind", "op", "number", "unit", "inferred"), CASES)
def test_quantities(text: str, kind: str, op: str, number: str, unit: str, inferred: bool) -> None:
    t = parse_target(text)
    assert (t.kind, t.op, t.number, t.unit, t.op_inferred) == (kind, op, Decimal(number), unit, inferred)
    assert t.text == text  # verbatim, never rewritten


def test_cost_default_is_at_most() -> None:
    assert parse_target("962.44万元", "≤").op == "≤"
    assert parse_target("962.44万元", "≤").op_inferred
    assert parse_target("≥962.44万元", "≤").op == "≥"  # a written operator wins


@pytest.mark.parametrize(("text", "year", "month", "day"), [
    ("2022年12月底", 2022, 12, None), ("12月31日前", None, 12, 31), ("2022.12.31", 2022, 12, 31),
    ("年底前", None, 12, 31), ("2023年6月30日之前", 2023, 6, 30),
])
def test_deadlines(text: str, year: int | None, month: int, day: int | None) -> None:
    t = parse_target(text)
    assert t.kind == "deadline" and t.deadline is not None
    assert (t.deadline.year, t.deadline.month, t.deadline.day) == (year, month, day)


@pytest.mark.parametrize(("text", "tier"), [
    ("按时保质完成", "achieved"), ("优秀", "achieved"), ("达成预期指标", "achieved"), ("效果明显", "achieved"),
    ("已完成", "achieved"), ("部分达成预期指标并具有一定效果", "partial"), ("基本完成", "partial"),
    ("未达成预期指标且效果较差", "unmet"), ("未完成", "unmet"), ("资源采购期以当年为主", None),
])
def test_qualitative_tiers(text: str, tier: str | None) -> None:
    t = parse_target(text)
    assert t.kind == "qualitative" and t.tier == tier


@pytest.mark.parametrize("text", ["90%-95%", "±5%", "5000吨稻谷、500吨成品粮", "1:3"])
def test_unknown_text_is_kept_and_explained(text: str) -> None:
    t = parse_target(text)
    assert t.kind == "unknown" and t.text == text and t.note


def test_empty() -> None:
    assert parse_target(None).kind == "empty"
    assert parse_target("  ").kind == "empty"


def test_tier_of_checks_negations_first() -> None:
    assert tier_of("未完成") == "unmet"  # contains 完成
    assert tier_of("部分完成") == "partial"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
       st.sampled_from(["≥", "≤", "=", ">", "<", "不低于", "不超过"]),
       st.sampled_from(["", "%", "个", "万元", "人次", "份"]))
def test_written_numbers_round_trip(number: Decimal, op: str, unit: str) -> None:
    text = f"{op}{number}{unit}"
    t = parse_target(text)
    assert t.kind == "quantity" and t.number == number and not t.op_inferred
    assert (t.unit or "") == unit


@given(st.text(max_size=40))
def test_never_crashes_and_keeps_text(text: str) -> None:
    t = parse_target(text)
    assert t.kind in ("quantity", "qualitative", "deadline", "unknown", "empty")
    assert t.text == text or (t.kind == "empty")


# --- negation, Traditional, pinyin, modifiers, signs (issue 12 item 1) ----------------------------

ACHIEVEMENT_WORDS = GRAMMAR.tiers.achieved


@given(st.sampled_from(ACHIEVEMENT_WORDS), st.sampled_from(["不", "未", "没有", "无法", "逾期", "未能"]),
       st.sampled_from(["", "预期", "的", "很"]), st.sampled_from(["", "目标", "。"]))
def test_a_negated_achievement_word_is_never_achieved(word: str, negation: str, before: str, after: str) -> None:
    assert tier_of(f"{before}{negation}{word}{after}") != "achieved"
    assert parse_target(f"{negation}{word}").tier != "achieved"


@pytest.mark.parametrize("word", ACHIEVEMENT_WORDS)
def test_every_achievement_word_alone_is_achieved_and_negated_is_unmet(word: str) -> None:
    assert tier_of(word) == "achieved"
    assert tier_of(f"不{word}") == "unmet" and tier_of(f"未{word}") == "unmet"


@pytest.mark.parametrize(("text", "tier"), [
    ("不达标", "unmet"), ("不到位", "unmet"), ("未按时完成", "unmet"), ("效果不好", "unmet"), ("逾期完成", "unmet"),
    ("无法按期完成", "unmet"), ("未達成", "unmet"), ("達(dá)成預(yù)期指標(biāo)", "achieved"),
    ("達成預期指標", "achieved"), ("不断提高", "achieved"), ("未发生安全事故，达到预期", "achieved"),
    ("无差错，按时完成", "achieved"), ("部分達成", "partial"),
])
def test_negation_traditional_and_pinyin(text: str, tier: str) -> None:
    assert tier_of(text) == tier


@pytest.mark.parametrize(("text", "op", "number", "unit"), [
    ("50%（含）以上", "≥", "50", "%"), ("≥50%(含)", "≥", "50", "%"), ("3次（含）以下", "≤", "3", "次"),
    ("═100%", "=", "100", "%"), ("≧90%", "≥", "90", "%"), ("≦5次", "≤", "5", "次"), (">=90%", "≥", "90", "%"),
    ("≮95%", "≥", "95", "%"), ("≯3起", "≤", "3", "起"), ("＝100％", "=", "100", "%"), ("不低於95%", "≥", "95", "%"),
    ("≥735人(rén)次(cì)", "≥", "735", "人次"),
])
def test_every_sign_and_modifier(text: str, op: str, number: str, unit: str) -> None:
    t = parse_target(text)
    assert (t.kind, t.op, t.number, t.unit, t.op_inferred) == ("quantity", op, Decimal(number), unit, False)
    assert t.text == text


def test_inclusive_modifier_is_named_in_the_note() -> None:
    assert "含本数" in (parse_target("50%（含）以上").note or "")


@pytest.mark.parametrize(("text", "op", "number", "unit", "change"), [
    ("超上年2%", "≥", "2", "%", "percent"), ("比上年增长5%", "≥", "5", "%", "percent"),
    ("增372人次", "≥", "372", "人次", "amount"), ("较上年减少10%", "≤", "10", "%", "percent"),
    ("同比增长5%", "≥", "5", "%", "percent"), ("比上年提高2个百分点", "≥", "2", "%", "amount"),
    ("较去年下降3起", "≤", "3", "起", "amount"), ("不低于上年", "≥", "0", None, "amount"),
    ("不高于上年水平", "≤", "0", None, "amount"),
])
def test_relative_targets(text: str, op: str, number: str, unit: str | None, change: str) -> None:
    t = parse_target(text)
    assert (t.kind, t.op, t.number, t.unit, t.change) == ("relative", op, Decimal(number), unit, change)
    assert t.note and "上年" in t.note


@pytest.mark.parametrize("text", ["新增500人", "上年100人", "≥100人"])
def test_not_relative(text: str) -> None:
    assert parse_target(text).kind != "relative"


@pytest.mark.parametrize(("name", "word"), [
    ("安全事故发生次数", "事故"), ("群众投诉次数", "投诉"), ("财务差错笔数", "差错"), ("违规使用资金金额", "违规"),
    ("传染病发生率", "发生率"), ("经济损失", "损失"), ("死亡人数", "死亡"), ("刑事案件数", "案件"),
    ("安全事故發生次數", "事故"),
])
def test_lower_is_better_names(name: str, word: str) -> None:
    assert lower_is_better(name) == word


@pytest.mark.parametrize("name", ["投诉办结率", "挽回经济损失", "案件查处数", "培训人数", "群众满意度"])
def test_more_is_better_names(name: str) -> None:
    assert lower_is_better(name) is None
