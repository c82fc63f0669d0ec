"""B-family checks: does each declared score follow the scoring rules for its indicator type?"""

from __future__ import annotations

from ..model import Indicator
from ..rules import cite
from ..scoring import MONEY_UNITS, IndicatorScore, fmt
from .base import Context, check, row_check

_FORMULA_METHODS = frozenset({"positive", "reverse", "zero_target", "deadline"})
_RATE_UNITS = frozenset({"%"})


@row_check("B01", "error", "填报得分与评分公式计算结果不符",
           rationale="定量指标得分应按完成值与指标值的比例计算。",
           source=cite("mof-2020-10", "“未完成的，按照完成值与指标值的比例记分”"))
def declared_matches_formula(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    declared = item.declared
    if declared is None or declared == item.score or item.method not in _FORMULA_METHODS:
        return
    if abs(declared - item.score) > ctx.profile.audit.score_tolerance:
        where, path = ctx.at_indicator(item, "score_declared")
        ctx.report(where,
                   f"填报得分 {fmt(item.declared)}，按规则应为 {fmt(item.score)}：{item.explanation}。"
                   "如确需调整，请在偏差原因中写明依据。", path)


@row_check("B02", "error", "未达到目标却得满分",
           rationale="未完成目标却得满分是最常见的抬高分数方式。",
           source=cite("mof-selfeval-notice", "“严禁刻意抬高分数、弄虚作假”"))
def full_marks_target_unmet(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.met is False and item.declared is not None and item.weight and item.declared >= item.weight:
        where, path = ctx.at_indicator(item, "score_declared")
        ctx.report(where,
                   f"指标值 {item.target.text}，实际完成 {item.actual.text}，未达到目标，却得满分 "
                   f"{fmt(item.declared)}；按规则应得 {fmt(item.score)}，并说明偏差原因。", path)


@row_check("B03", "error", "定性指标得分超出所属档位区间",
           rationale="定性指标按完成情况分三档打分，得分应在所属档位区间内。",
           source=cite("mof-2020-10", "“分别按照该指标对应分值区间100-80%（含）、80-50%（含）、50-0%合理确定分值”"))
def qualitative_within_tier(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.method == "qualitative" and item.declared is not None and item.declared != item.score:
        where, path = ctx.at_indicator(item, "score_declared")
        ctx.report(where, f"{item.explanation}。请按完成情况所属档位打分（表注4）。", path)


@row_check("B04", "error", "定量指标的完成值不是数值",
           rationale="定量指标的完成值应填写数字，否则无法按比例计分。",
           source=cite("mof-pmkpi", "自评录入校验：定量指标实际完成值填数字"))
def quantitative_actual_numeric(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.target.is_quantity and not item.actual.is_quantity:
        where, path = ctx.at_indicator(item, "actual")
        what = f"“{item.actual.text}”" if item.actual.text.strip() else "为空"
        ctx.report(where,
                   f"指标值 {item.target.text} 是定量指标，完成值{what}不是数值；请填写实际完成的数量"
                   f"（如 {fmt(item.target.number)}{item.target.unit or ''}）。", path)


@row_check("B05", "warning", "定性指标的完成值看不出属于哪一档",
           rationale="定性指标的完成值应能看出属于达成、部分达成还是未达成。",
           source=cite("mof-2020-10", "“达成预期指标、部分达成预期指标并具有一定效果、未达成预期指标且效果较差三档”"))
def qualitative_actual_tiered(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.target.kind == "qualitative" and item.method == "declared":
        where, path = ctx.at_indicator(item, "actual")
        ctx.report(where,
                   f"完成值“{item.actual.text}”无法判断属于“达成/部分达成/未达成”哪一档，"
                   "请写明完成情况，系统暂沿用填报得分。", path)


@row_check("B06", "warning", "指标值与完成值单位不一致，或比率超过100%",
           rationale="单位不一致时比例无意义；比率超过 100% 多为填错。",
           source=cite("mof-2021-101", "指标值由比较符号、数值和计量单位构成"))
def units_consistent(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    t, a = item.target, item.actual
    if not (t.is_quantity and a.is_quantity):
        return
    if t.unit != a.unit and t.unit and a.unit and not (t.unit in MONEY_UNITS and a.unit in MONEY_UNITS):
        message = f"指标值单位“{t.unit}”与完成值单位“{a.unit}”不一致，请统一计量单位。"
    elif t.unit in _RATE_UNITS and a.number is not None and a.number > 100:
        message = f"完成值 {a.text} 超过 100%，比率类指标请核对。"
    else:
        return
    where, path = ctx.at_indicator(item, "actual")
    ctx.report(where, message, path)


@row_check("B07", "warning", "以“≥100%”设定比率目标（无法超额，应写“=100%”）",
           rationale="比率不可能超过 100%，“≥100%”应写为“=100%”。",
           source=cite("mof-2021-101", "指标值的比较符号（≥、≤、=）按指标性质选用"))
def at_least_hundred_percent(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    t = item.target
    if t.op_written and t.op == "≥" and t.unit == "%" and t.number == 100:
        where, path = ctx.at_indicator(item, "target")
        ctx.report(where, f"指标值 {t.text}：比率不可能超过 100%，应写为“=100%”。", path)


@row_check("B08", "warning", "“=”指标的完成值与指标值不同（非百分比）",
           rationale="“=”指标的完成值与指标值不同，说明目标设定可能不当。",
           source=cite("mof-pmkpi", "等于型指标计分（selfequalindex）：超出部分不扣分"))
def exact_target_differs(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    t, a = item.target, item.actual
    if t.op_written and t.op == "=" and t.unit != "%" and a.number is not None and a.number != t.number:
        where, path = ctx.at_indicator(item, "actual")
        ctx.report(where,
                   f"指标值 {t.text} 为精确值，完成值 {a.text} 与之不同；超出部分不扣分，但目标设定可能不当。", path)



@check("R01", "warning", "表的年度不在所用评分规则的有效期内",
       rationale="规则按年度生效：早于或晚于规则有效期的表，应按其年度适用的规则评分。",
       source=cite("mof-2020-10", "办法自印发之日起施行（2020年2月25日）；此前年度的表不适用"))
def profile_covers_year(ctx: Context) -> None:
    profile, year = ctx.profile, ctx.form.year
    if not profile.covers(year):
        ctx.report(ctx.place("year", "表头 / 年度"),
                   f"这是 {year} 年度的表，规则“{profile.stamp}”的有效期为 {profile.dates()}；"
                   "没有适用于该年度的内置规则时，本次评分结果仅供参考，请选用该年度适用的规则文件（--profile）。",
                   "year")
