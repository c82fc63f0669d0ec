"""C-family checks: what must be written and is missing (reasons, completion text, conclusion, contact)."""

from __future__ import annotations

from ..model import Indicator
from ..rules import cite
from ..scoring import ZERO, IndicatorScore, fmt, percent
from ..targets import normalise
from .base import Context, check, row_check

#: Text that says nothing: a filled cell that is as good as empty (S-SC2 "无", "暂无"; seed "已完成工作任务").
BOILERPLATE = frozenset({"无", "暂无", "没有", "/", "—", "-", "已完成", "完成", "已完成工作任务", "已完成任务",
                         "全部完成", "按要求完成", "达到预期", "达成预期指标", "良好", "较好", "好"})


def is_blank(text: str | None) -> bool:
    return text is None or not normalise(text).strip("。.")


def is_boilerplate(text: str | None) -> bool:
    return normalise(text or "").strip("。.") in BOILERPLATE


@row_check("C01", "error", "得分低于分值但未填写偏差（未完成）原因",
           rationale="扣分的指标须说明偏差原因和改进措施。",
           source=cite("mof-2020-10", "附件 项目支出绩效自评表“偏差原因分析及改进措施”列"))
def reason_for_lost_points(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    weight, declared = item.weight, item.declared
    lost = item.score < weight or (declared is not None and declared < weight)
    if lost and weight and is_blank(indicator.reason):
        where, path = ctx.at_indicator(item, "reason")
        stated = f"填报得分 {fmt(declared)}，" if declared is not None else ""
        ctx.report(where,
                   f"{stated}按规则得 {fmt(item.score)}，低于分值 {fmt(item.weight)}，但未填写偏差原因；"
                   "请说明偏离目标的原因及拟采取的措施（表注2）。", path)


@check("C02", "warning", "预算执行率偏低，需说明原因",
       rationale="执行率偏低须说明资金未执行的原因。",
       source=cite("sichuan-2023", "填表说明：预算执行率低于90%的须说明原因"))
def low_execution(ctx: Context) -> None:
    rate, threshold = ctx.card.execution.rate, ctx.profile.execution.low_rate
    if rate is not None and rate < threshold:
        ctx.report(ctx.place("funds.rows[0]", "资金 / 执行率"),
                   f"预算执行率 {fmt(ctx.card.execution.rate_display)}% 低于 {fmt(threshold)}%，"
                   "请在自评报告中说明资金未执行的原因及改进措施。", "funds")


@row_check("C03", "warning", "超额完成（≥120%）未说明原因",
           rationale="超额完成过多说明目标可能定得过低，应说明原因。",
           source=cite("mof-pmkpi", "绩效运行监控：完成值达到指标值120%以上标蓝"))
def reason_for_overachievement(ctx: Context, indicator: Indicator, item: IndicatorScore) -> None:
    target, actual = item.target.number, item.actual.number
    if item.target.op not in ("≥", ">") or actual is None or not target or not item.target.is_quantity:
        return
    # actual/target ≥ limit without a division for every row (the ratio only for the message)
    limit = ctx.profile.audit.overachievement
    reached = actual >= limit * target if target > ZERO else actual <= limit * target
    if reached and is_blank(indicator.reason):
        ratio = actual / target
        where, path = ctx.at_indicator(item, "reason")
        ctx.report(where,
                   f"实际 {item.actual.text} 达到指标值 {item.target.text} 的 {percent(ratio, 0)}%，"
                   f"超过 {percent(limit, 0)}%：目标可能定得过低，请在偏差原因中说明。", path)


@check("C04", "error", "实际完成情况或绩效结论为空或只有套话",
       rationale="实际完成情况和绩效结论是自评的主体内容，不能为空或只写套话。",
       source=cite("mof-2020-10", "附件 项目支出绩效自评表“年度总体目标 实际完成情况”栏"))
def completion_and_conclusion(ctx: Context) -> None:
    fields = (("goals.actual", "年度总体目标 / 实际完成情况", ctx.form.goals.actual,
               "请概述全年实际完成了哪些工作、达到什么效果，并与预期目标逐项对应。"),
              ("conclusion", "全表 / 绩效结论", ctx.form.conclusion,
               "请写明自评结论（总分、等级、主要成效、存在问题和改进措施）。"))
    for path, label, text, todo in fields:
        if is_blank(text):
            ctx.report(ctx.place(path, label), f"{label.split(' / ')[-1]}为空。{todo}", path)
        elif is_boilerplate(text):
            ctx.report(ctx.place(path, label),
                       f"{label.split(' / ')[-1]}只写了“{(text or '').strip()}”，没有实际内容。{todo}", path)


@check("C05", "error", "缺少联系人或联系电话",
       rationale="复核时需要联系填报人。",
       source=cite("qiannan-2022", "表头“联系人”“联系电话”栏"))
def contact_present(ctx: Context) -> None:
    contact = ctx.form.contact
    for field, label in (("name", "联系人"), ("phone", "联系电话")):
        if is_blank(getattr(contact, field)):
            ctx.report(ctx.place(f"contact.{field}", f"表头 / {label}"),
                       f"未填写{label}，财政部门复核时无法联系，请补充。", f"contact.{field}")


@check("C06", "warning", "实际完成情况照抄预期目标",
       rationale="实际完成情况照抄预期目标，等于没有报告完成情况。",
       source=cite("mof-2020-10", "附件 项目支出绩效自评表“预期目标”“实际完成情况”两栏分别填写"))
def completion_copies_goal(ctx: Context) -> None:
    expected, actual = normalise(ctx.form.goals.expected or ""), normalise(ctx.form.goals.actual or "")
    if len(actual) >= 10 and (actual == expected or actual in expected):
        ctx.report(ctx.place("goals.actual", "年度总体目标 / 实际完成情况"),
                   "实际完成情况与预期目标文字相同，未反映实际完成情况，请据实填写。", "goals.actual")


@check("C07", "error", "缺少资金情况（全年预算数、执行数）或单位名称",
       rationale="没有全年预算数就算不出执行率，没有单位名称就无法确认表属于谁；不能悄悄按 0 分计。",
       source=cite("mof-2020-10", "附件 项目支出绩效自评表：年度资金总额的全年预算数、全年执行数与单位名称为必填项"))
def funds_and_unit_present(ctx: Context) -> None:
    execution = ctx.card.execution
    if execution.rate is None and not execution.budget:
        kept = f"沿用填报得分 {fmt(execution.declared)}" if execution.declared is not None else "按 0 分计"
        ctx.report(ctx.place("funds", "资金"),
                   f"表中没有全年预算数，执行率无法计算，执行率得分{kept}；请补充资金情况"
                   "（年度资金总额的全年预算数和全年执行数）。", "funds")
    if is_blank(ctx.form.unit):
        ctx.report(ctx.place("unit", "表头 / 单位"), "未填写单位名称，无法确认这张表属于哪个单位，请补充。", "unit")
