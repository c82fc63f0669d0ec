"""D, T and P checks: too good to be true (D), weak targets (T), notation problems (P)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Indicator
from ..rules import cite
from ..scoring import ZERO, IndicatorScore, fmt, percent
from ..targets import normalise
from .base import Context, check, row_check

#: Words that make a target unmeasurable without a number (S-TGT1 “模糊化”).
VAGUE_WORDS = ("进一步", "明显", "有效", "显著", "提高", "提升", "改善", "增强", "加强", "良好", "较好", "逐步")
_HAS_NUMBER = re.compile(r"\d")


@check("D01", "warning", "绩效完成程度明显高于预算执行程度（全国系统红色预警）",
       rationale="资金没有用完而绩效全部完成，完成值可能不实。",
       source=cite("mof-pmkpi", "自评预警（红色）：指标完成度超出预算执行程度5%以上"))
def execution_vs_performance(ctx: Context) -> None:
    card = ctx.card
    weights, achieved = card.indicator_weight, card.indicator_score
    if not weights or not achieved or card.execution.rate is None or not card.execution.weight:
        return
    completion = achieved / weights
    execution_share = card.execution.score / card.execution.weight
    gap = (completion - execution_share) / completion
    if gap > ctx.profile.audit.red_warning:
        ctx.report("全表 / 执行率与绩效",
                   f"指标完成度 {percent(completion)}% 明显高于执行率得分率 "
                   f"{percent(execution_share)}%（相差 {percent(gap)}%，超过 "
                   f"{percent(ctx.profile.audit.red_warning)}%）：资金未用完而绩效全部完成，请核实完成值。", "funds")


@check("D02", "warning", "全部指标满分且总分≥95（抽查重点）",
       rationale="全部满分的表是抽查重点。",
       source=cite("mof-selfeval-notice", "“严禁刻意抬高分数、弄虚作假”"))
def all_full_marks(ctx: Context) -> None:
    items = ctx.card.indicators
    total = ctx.card.total_declared
    if items and total is not None and total >= 95 and all(
            i.weight_known and i.declared is not None and i.declared >= i.weight for i in items):
        ctx.report("全表 / 得分",
                   f"{len(items)} 个三级指标全部满分，总分 {fmt(total)}：请确认完成值有据可查（严禁刻意抬高分数）。",
                   "indicators")


@check("D03", "warning", "定性指标占比过高或全部“达成”满分",
       rationale="定性指标难以衡量，占比过高或全部满分的表需要具体说明。",
       source=cite("mof-2021-101", "“绩效指标应尽可能量化，难以量化的，可采用定性表述”"))
def qualitative_share(ctx: Context) -> None:
    items = ctx.card.indicators
    qualitative = [i for i in items if i.target.kind == "qualitative"]
    weights = ctx.card.indicator_weight
    if not qualitative or not weights:
        return
    share = sum((i.weight for i in qualitative), ZERO) / weights
    if share > Decimal("0.5"):
        ctx.report("全表 / 定性指标",
                   f"定性指标分值占 {percent(share)}%，超过一半：请尽量改用可计量的定量指标。", "indicators")
    if len(qualitative) >= 3 and all(i.declared is not None and i.declared >= i.weight for i in qualitative):
        ctx.report("全表 / 定性指标",
                   f"{len(qualitative)} 个定性指标全部按“达成”给满分，请提供完成情况的具体说明。", "indicators")


@check("D04", "warning", "全部完成值与指标值一字不差",
       rationale="完成值与指标值一字不差，多为照抄目标。",
       source=cite("mof-selfeval-notice", "“如实反映绩效目标实现情况”"))
def actuals_copy_targets(ctx: Context) -> None:
    quantities = [i for i in ctx.card.indicators if i.target.is_quantity]
    if len(quantities) >= 3 and all(normalise(i.actual.text) == normalise(i.target.text) for i in quantities):
        ctx.report("全表 / 完成值",
                   f"{len(quantities)} 个定量指标的完成值与指标值完全相同，疑似照抄目标，请填写实际完成数。", "indicators")


@row_check("D05", "info", "满意度为100%，请附调查依据",
           rationale="满意度 100% 应有调查方式和样本量为依据。",
           source=cite("mof-2021-101", "满意度指标应通过问卷调查等方式取得"))
def perfect_satisfaction(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.actual.unit == "%" and "满意" in (item.level1 or "") + (item.level2 or "") and item.actual.number == 100:
        where, path = ctx.at_indicator(item, "actual")
        ctx.report(where, "满意度为 100%：请注明调查方式和样本量。", path)


@row_check("T01", "warning", "指标值模糊，无法衡量",
           rationale="模糊的目标（进一步、明显、有效）无法衡量完成与否。",
           source=cite("mof-2021-101", "“避免使用‘进一步提高’‘明显改善’等模糊表述”"))
def vague_targets(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    text = item.target.text
    if item.target.kind == "qualitative" and not _HAS_NUMBER.search(text):
        words = [w for w in VAGUE_WORDS if w in text]
        if words:
            where, path = ctx.at_indicator(item, "target")
            ctx.report(where,
                       f"指标值“{text}”含“{'、'.join(words)}”等模糊表述，没有可衡量的标准；"
                       "请改为带数值的目标（如“≥95%”）或明确的完成标准。", path)


_UNREAD = frozenset({"unknown", "empty"})


@row_check("T02", "warning", "指标值或完成值的写法无法识别",
           rationale="写法无法识别的指标值或完成值无法计分。",
           source=cite("mof-2021-101", "指标值由比较符号、数值和计量单位构成"))
def unknown_notation(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    target, actual = item.target.kind, item.actual.kind
    if target not in _UNREAD and actual != "unknown":
        return  # nearly every row: both read
    if target == "unknown":
        where, path = ctx.at_indicator(item, "target")
        ctx.report(where, f"指标值：{item.target.note}。", path)
    elif target == "empty":
        where, path = ctx.at_indicator(item, "target")
        ctx.report(where, "未填写年度指标值，无法评分。", path)
    if actual == "unknown":
        where, path = ctx.at_indicator(item, "actual")
        ctx.report(where, f"完成值：{item.actual.note}。", path)


@check("T03", "warning", "缺少产出、效益或满意度指标",
       rationale="自评表原则上包含产出、效益和满意度三类一级指标。",
       source=cite("mof-2020-10", "“单位自评指标是指预算批复时确定的绩效指标，包括项目的产出数量、质量、时效、成本，以及经济效益、社会效益、生态效益、可持续影响、服务对象满意度等”"))
def level1_blocks_present(ctx: Context) -> None:
    if not ctx.card.indicators:
        return  # T04 says so
    names = "".join(b.level1 for b in ctx.card.blocks)
    for word, label in (("产出", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标")):
        if word not in names:
            ctx.report("绩效指标", f"没有{label}：自评表原则上应包含产出、效益和满意度指标。", "indicators")


@check("T04", "error", "没有任何三级指标",
       rationale="没有三级指标的表无法评分。",
       source=cite("mof-2020-10", "“单位自评指标是指预算批复时确定的绩效指标”"))
def no_indicators(ctx: Context) -> None:
    if not ctx.card.indicators:
        ctx.report("绩效指标", "没有任何三级指标，无法评分。", "indicators")


@row_check("P01", "warning", "完成值中写了比较符号（照抄指标值）",
           rationale="完成值应填写实际数，带比较符号多为照抄指标值。",
           source=cite("mof-pmkpi", "自评录入校验：定量指标实际完成值填数字"))
def operator_in_actual(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    actual = item.actual
    if actual.op_written and actual.is_quantity:
        where, path = ctx.at_indicator(item, "actual")
        number = fmt(actual.number)
        ctx.report(where, f"完成值写作“{actual.text}”：完成值应填写实际数（如 {number}{actual.unit or ''}），"
                          f"不应带“{actual.op}”；已按 {number} 计分。", path)
