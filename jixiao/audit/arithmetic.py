"""A-family checks: arithmetic — scores within weights, weights and totals adding up, the funds block."""

from __future__ import annotations

from functools import lru_cache

from ..model import Indicator
from ..rules import cite
from ..scoring import ZERO, IndicatorScore, execution_basis, fmt, printed_rate, round_places
from ..targets import normalise
from .base import Context, check, row_check

GRADE_WORDS = (("优秀", "优"), ("良好", "良"), ("中等", "中"), ("合格", "中"), ("较差", "差"), ("不合格", "差"))
#: Words that introduce the stated grade; a grade word elsewhere (项目实施效果良好) is not a grade.
GRADE_PREFIXES = ("等级为", "等次为", "评为", "等级:", "等级：", "等次:", "等次：", "评价为", "结果为", "评定为",
                  "定为", "等级是")
_COLUMNS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))


def _declared_above_weight(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.declared is not None and item.declared > item.weight:
        where, path = ctx.at_indicator(item, "score_declared")
        ctx.report(where,
                   f"得分 {fmt(item.declared)} 超过分值 {fmt(item.weight)}；各三级指标得分最高不能超过分值上限（表注1），"
                   f"请改为不超过 {fmt(item.weight)}。", path)


@check("A01", "error", "三级指标或执行率得分超过其分值",
       rationale="得分超过分值就是多给了分，总分随之虚高。",
       source=cite("mof-2020-10", "定量指标“完成指标值的，记该指标所赋全部分值”（得分以分值为上限）"),
       rows=_declared_above_weight)
def score_above_weight(ctx: Context) -> None:
    funds = ctx.form.funds
    if funds.score_declared is not None and funds.weight is not None and funds.score_declared > funds.weight:
        ctx.report(ctx.place("funds.score_declared", "资金 / 执行率得分"),
                   f"执行率得分 {fmt(funds.score_declared)} 超过分值 {fmt(funds.weight)}。", "funds.score_declared")


@row_check("A02", "error", "分值为0，或得分为负数",
           rationale="分值为 0 的指标不计分，负分不在 0 至分值之间，都无法复核。",
           source=cite("mof-pmkpi", "自评录入校验：分值须大于0（isCheckWeightGtZero）"))
def zero_weight_or_negative_score(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if item.declared is not None and item.declared < ZERO:
        where, path = ctx.at_indicator(item, "score_declared")
        ctx.report(where, f"得分 {fmt(item.declared)} 为负数，得分应在 0 至分值之间。", path)
    if indicator.weight is not None and not indicator.weight:
        where, path = ctx.at_indicator(item, "weight")
        ctx.report(where, "分值为 0：该指标不计分，请设置分值或删除该指标。", path)


@row_check("A11", "warning", "未填分值",
           rationale="没有分值的指标无法按公式核对得分。",
           source=cite("mof-2020-10", "附件 项目支出绩效自评表“分值”列"))
def missing_weight(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if not item.weight_known:
        where, path = ctx.at_indicator(item, "weight")
        ctx.report(where, "未填写分值，得分无法核对；请填写该指标的分值。", path)


@check("A03", "error", "分值合计不为100，或执行率分值与规则不符",
       rationale="执行率与各指标分值合计应为 100 分，执行率的分值按规则设置、不得调整。",
       source=cite("mof-2020-10", "“原则上一级指标权重统一设置为：产出指标50%、效益指标30%、服务对象满意度指标10%、预算执行率10%”"))
def weights_add_up(ctx: Context) -> None:
    card, rules = ctx.card, ctx.profile.weights
    if card.execution.weight != rules.execution:
        ctx.report("资金 / 分值",
                   f"预算执行率分值为 {fmt(card.execution.weight)}，规则“{ctx.profile.title}”规定为 "
                   f"{fmt(rules.execution)} 分，且不得调整。", "funds.weight")
    if not all(i.weight_known for i in card.indicators):
        return  # A11 reports the missing weights; sums of unknowns say nothing
    total = card.execution.weight + card.indicator_weight
    if card.indicators and total != 100:
        ctx.report("全表 / 分值合计",
                   f"执行率分值 {fmt(card.execution.weight)} 与各指标分值合计 "
                   f"{fmt(total - card.execution.weight)} 之和为 {fmt(total)}，应为 100 分（表注1）。", "indicators")


@check("A14", "warning", "一级指标分值与规则的原则性设置不符",
       rationale="一级指标分值原则上按规定设置，特殊情况调整须说明理由。",
       source=cite("mof-2020-10", "“原则上一级指标权重统一设置为：产出指标50%、效益指标30%、服务对象满意度指标10%、预算执行率10%。如有特殊情况，一级指标权重可做适当调整”"))
def level1_weights(ctx: Context) -> None:
    for key, expected in ctx.profile.weights.level1.items():
        words = key.split("+")  # 效益+满意: two blocks that share one weight
        blocks = [b for b in ctx.card.blocks if any(map(b.level1.__contains__, words))]
        weight = sum((b.weight for b in blocks), ZERO)
        if blocks and weight != expected:
            names = "、".join(b.level1 for b in blocks)
            ctx.report(f"{names} / 分值合计",
                       f"{names}分值合计 {fmt(weight)}，规则“{ctx.profile.title}”原则上为 {fmt(expected)} 分；"
                       "如属特殊情况调整，请在说明中写明理由。", "indicators")


@check("A04", "error", "填报总分不等于各项得分之和",
       rationale="总分应由各项指标得分汇总形成，加总错误会改变等级。",
       source=cite("mof-2020-10", "“总分由各项指标得分汇总形成”"))
def total_adds_up(ctx: Context) -> None:
    card = ctx.card
    if card.total_declared is None or card.declared_sum is None:
        return
    gap = card.total_declared - card.declared_sum
    if abs(gap) > ctx.profile.audit.total_tolerance:
        ctx.report(ctx.place("total_declared", "全表 / 总分"),
                   f"填报总分 {fmt(card.total_declared)}，但执行率得分与各指标得分之和为 {fmt(card.declared_sum)}"
                   f"（相差 {fmt(gap)}），请核对加总。", "total_declared")


@row_check("A15", "error", "折算得分不等于单项指标得分 × 权重占比，或未填权重占比",
           rationale="双权重表的总分由各指标折算得分相加，折算错一处或漏填权重占比，总分就不对。",
           source=cite("hebei-2021", "表头“单项指标得分×权重占比＝折算得分”"))
def converted_scores(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    if ctx.profile.conversion.rule != "weight_share":
        return
    if item.share is None:
        where, path = ctx.at_indicator(item, "weight_share")
        ctx.report(where, "未填权重占比：本表的总分按折算得分（单项指标得分 × 权重占比）相加，请填写该指标的权重占比。", path)
        return
    written, single = indicator.score_converted, item.declared
    if written is None or single is None:
        return
    expected = single * item.share / 100
    if abs(written - expected) > ctx.profile.audit.score_tolerance:
        where, path = ctx.at_indicator(item, "score_converted")
        ctx.report(where, f"折算得分 {fmt(written)}，但单项指标得分 {fmt(single)} × 权重占比 {fmt(item.share)}% = "
                          f"{fmt(round_places(expected, ctx.profile.rounding.indicator))}，请核对。", path)


@lru_cache(maxsize=4096)
def stated_grade(conclusion: str, band_names: tuple[str, ...]) -> str | None:
    """The grade a conclusion states (结论等级): after a prefix (等级为良好), or the whole conclusion (优秀).

    Cached: a batch repeats the same conclusions (and always the same bands)."""
    words = sorted([*GRADE_WORDS, *((name, name) for name in band_names)], key=lambda pair: -len(pair[0]))
    for prefix in GRADE_PREFIXES:
        start = conclusion.find(prefix)
        while start >= 0:
            rest = conclusion[start + len(prefix):].lstrip(" “\"")
            grade = next((grade for word, grade in words if rest.startswith(word)), None)
            if grade is not None:
                return grade
            start = conclusion.find(prefix, start + 1)
    bare = conclusion.strip(" 。.；;").removesuffix("等级").removesuffix("级")
    return next((grade for word, grade in words if bare == word), None)


@check("A05", "error", "绩效结论中的等级与总分所在等级不符",
       rationale="等级按总分所在分档确定，结论等级与总分不符会误导使用者。",
       source=cite("mof-2020-10", "“90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差”"))
def grade_matches_band(ctx: Context) -> None:
    stated = stated_grade(normalise(ctx.form.conclusion or ""), tuple(name for _, name in ctx.profile.grades.bands))
    total = ctx.card.total_declared
    if stated is None or total is None:
        return
    band = ctx.profile.grades.grade(total)
    if stated != band:
        ctx.report(ctx.place("conclusion", "全表 / 绩效结论"),
                   f"结论写为“{stated}”，但填报总分 {fmt(total)} 对应等级为“{band}”，请改正等级或总分。", "conclusion")


@check("A06", "error", "执行率与预算数、执行数不符，或执行率得分高于规则值",
       rationale="执行率应等于全年执行数/全年预算数，执行率得分不得高于规则算出的分数。",
       source=cite("mof-pmkpi", "单位自评 预算执行率得分 = 执行数/预算数 × 分值，满分为止"))
def execution_consistent(ctx: Context) -> None:
    execution, funds = ctx.card.execution, ctx.form.funds
    if execution.rate is None:
        return
    printed = printed_rate(funds.rate_declared)
    if printed is not None and not execution.printed:
        declared_rate, places = printed
        if round_places(execution.rate, places) != declared_rate:
            ctx.report(ctx.place("funds.rate_declared", "资金 / 执行率"),
                       f"填报执行率 {funds.rate_declared}，按全年执行数/全年预算数 = "
                       f"{fmt(execution.executed)}/{fmt(execution.budget)} 应为 "
                       f"{fmt(execution.rate_display)}%。", "funds.rate_declared")
    declared = execution.declared
    if declared is not None and declared > execution.score:
        ctx.report(ctx.place("funds.score_declared", "资金 / 执行率得分"),
                   f"执行率得分填报 {fmt(declared)}，按规则“{ctx.profile.title}”应为 {fmt(execution.score)}"
                   f"（{execution.explanation}）。请下调至规则值。", "funds.score_declared")


@check("A12", "info", "执行率得分低于规则值（从严打分）",
       rationale="执行率得分低于规则值属从严打分，不是错误，供复核参考。",
       source=cite("mof-pmkpi", "单位自评 预算执行率得分 = 执行数/预算数 × 分值，满分为止"))
def execution_score_below_rule(ctx: Context) -> None:
    execution = ctx.card.execution
    if execution.rate is not None and execution.declared is not None and execution.declared < execution.score:
        ctx.report(ctx.place("funds.score_declared", "资金 / 执行率得分"),
                   f"执行率得分填报 {fmt(execution.declared)}，按规则“{ctx.profile.title}”应为 {fmt(execution.score)}"
                   f"（{execution.explanation}）。低于规则值，属从严打分，供参考。", "funds.score_declared")


@check("A07", "error", "资金总额行不等于其中各行之和",
       rationale="资金总额应等于其中各资金来源之和，否则执行率的分母不可信。",
       source=cite("mof-2020-10", "附件 项目支出绩效自评表“年度资金总额 = 其中：本年财政拨款 + 上年结转资金 + 其他资金”"))
def funds_rows_add_up(ctx: Context) -> None:
    rows = ctx.form.funds.rows
    if len(rows) < 2:
        return
    total, parts = rows[0], rows[1:]
    for field, label in _COLUMNS:
        values = [getattr(r, field) for r in parts if getattr(r, field) is not None]
        stated = getattr(total, field)
        if not values:
            continue
        added = sum(values, ZERO)
        if stated is None or abs((stated or ZERO) - added) > ctx.profile.audit.money_tolerance:
            detail = " + ".join(f"{r.label} {fmt(getattr(r, field))}" for r in parts if getattr(r, field) is not None)
            ctx.report(ctx.place(f"funds.rows[0].{field}", f"资金 / {total.label} / {label}"),
                       f"{total.label}的{label}为 {fmt(stated)}，但其中各行合计 {detail} = {fmt(added)}"
                       f"（相差 {fmt(added - (stated or ZERO))}），请核对资金来源各行。", f"funds.rows[0].{field}")


@check("A08", "error", "执行数超过预算数",
       rationale="执行数超过预算数意味着超支或填错，须说明。",
       source=cite("mof-pmkpi", "自评预警：执行数大于预算数、全年预算数为0（黄色预警）"))
def execution_within_budget(ctx: Context) -> None:
    for n, row in enumerate(ctx.form.funds.rows):
        if row.budget is not None and row.executed is not None and row.executed > row.budget > 0:
            ctx.report(ctx.place(f"funds.rows[{n}]", f"资金 / {row.label}"),
                       f"全年执行数 {fmt(row.executed)} 超过全年预算数 {fmt(row.budget)}，请说明超支原因或核对数据。",
                       f"funds.rows[{n}].executed")
    execution = ctx.card.execution
    if execution.printed and execution.rate is not None and execution.rate > 100:
        ctx.report(ctx.place("funds.rate_declared", "资金 / 执行率"),
                   f"填报执行率 {ctx.form.funds.rate_declared} 超过 100%：执行数超过预算数，"
                   "请说明超支原因，或补填全年预算数和执行数以便核对。", "funds.rate_declared")


@check("A13", "warning", "全年预算数为0",
       rationale="全年预算数为 0 时执行率无法计算。",
       source=cite("mof-pmkpi", "自评预警：全年预算数为0（黄色预警）"))
def zero_budget(ctx: Context) -> None:
    budget, _, _ = execution_basis(ctx.form.funds.rows)
    if ctx.form.funds.rows and budget == 0:
        ctx.report(ctx.place("funds.rows[0].budget", "资金 / 全年预算数"),
                   "全年预算数为 0，执行率无法计算（全国系统黄色预警），请填写批复的全年预算数。", "funds.rows[0].budget")


@check("A09", "warning", "全年预算数与年初预算数不同（预算调整）",
       rationale="年中预算调整（追加或调减）应在自评报告中单独说明。",
       source=cite("sichuan-2023", "填表说明：年中预算调整（追加、调减）须单独说明"))
def budget_adjusted(ctx: Context) -> None:
    total = ctx.form.funds.total
    if total and total.initial is not None and total.budget is not None and total.initial != total.budget:
        change = total.budget - total.initial
        ctx.report(ctx.place("funds.rows[0]", f"资金 / {total.label}"),
                   f"全年预算数 {fmt(total.budget)} 与年初预算数 {fmt(total.initial)} 相差 {fmt(change)}"
                   f"（{'追加' if change > 0 else '调减'}），年中预算调整应在自评报告中单独说明。", "funds.rows[0].budget")


@check("A10", "error", "成本指标实际值合计超过全年执行数",
       rationale="成本指标的实际值不可能超过实际支出。",
       source=cite("mof-2021-101", "成本指标“经济成本指标”与预算执行数应相互印证"))
def cost_within_executed(ctx: Context) -> None:
    executed = ctx.card.execution.executed
    costs = [i for i in ctx.card.indicators
             if i.is_cost and i.actual.number is not None and (i.actual.unit or i.target.unit) == "万元"]
    if executed is None or not costs:
        return
    added = sum((i.actual.number for i in costs if i.actual.number is not None), ZERO)
    if added > executed + ctx.profile.audit.money_tolerance:
        ctx.report("产出指标 / 成本指标",
                   f"{len(costs)} 个成本指标的实际值合计 {fmt(added)} 万元，超过全年执行数 {fmt(executed)} 万元"
                   f"（多 {fmt(added - executed)} 万元）；成本不可能超过实际支出，请核对成本指标的完成值。",
                   "indicators")
