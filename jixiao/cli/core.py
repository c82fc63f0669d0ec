"""Core commands: score, audit, waive, profiles, schema, checks.

The core (model, rules, scoring, audit) is imported inside each command: ``jixiao --help`` and
``jixiao --version`` start without pydantic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from . import AUTO, EXIT_FINDINGS, EXIT_OK, app, guarded, out, read_input, show, written

if TYPE_CHECKING:
    from ..audit import Finding
    from ..audit.waivers import Waiver
    from ..model import Form
    from ..rules import Profile
    from ..scoring import Scorecard

FormArg = Annotated[Path, typer.Argument(help="表单文件（JSON、Excel、PDF、Word 或文本）；- 表示标准输入",
                                        show_default=False)]
ProfileOpt = Annotated[str, typer.Option(
    "--profile", "-p", help="评分规则：auto 按表的模板和年度自动选择；或规则代码、规则文件（见 jixiao profiles）")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="输入格式：auto|json|text|xlsx|xls|pdf|docx")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出机器可读的 JSON")]
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _load(path: Path, fmt_: str, profile_name: str) -> tuple[Form, list[Finding], frozenset[str], Profile]:
    """The form, what its importer could not read (as findings), the fields it doubted, and the rules."""
    from ..io.notes import doubted_paths
    from ..rules import resolve_profile

    def load() -> tuple[Form, list[Finding], frozenset[str], Profile]:
        form, notes = read_input(path, fmt_)
        return form, [note.as_finding() for note in notes], doubted_paths(notes), resolve_profile(profile_name, form)

    return guarded(load)


LastYearOpt = Annotated[Path | None, typer.Option(
    "--last-year", help="同一单位（项目）上一年度的自评表：相对上年的指标值（“比上年增长5%”）按其实际完成值计分")]


def _last_year(path: Path | None, form: Form) -> Form | None:
    """Last year's form of ``--last-year`` (its format recognised on its own); one that is not of an earlier
    year than the form is refused."""
    if path is None:
        return None
    previous = guarded(lambda: read_input(path)[0])
    if previous.year is not None and form.year is not None and previous.year >= form.year:
        guarded(lambda: _refuse(f"上年的表是 {previous.year} 年度的，不早于本表的 {form.year} 年度", "--last-year"))
    return previous


def _print_json(data: Any) -> None:
    import simplejson

    out.print(simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=2), markup=False)


def _waiver_data(f: Finding) -> dict[str, Any] | None:
    if f.waiver is None:
        return None
    return {**f.waiver.waiver.model_dump(mode="json"), "lapsed": f.waiver.lapsed}


def findings_data(findings: list[Finding]) -> dict[str, Any]:
    """The machine form of an audit (``jixiao audit --json``); a waived finding carries its waiver."""
    from ..audit import counts

    return {"findings": [{"code": f.code, "severity": f.severity, "location": f.location, "path": f.path,
                          "message": f.message, "doubt": f.doubt, "waiver": _waiver_data(f), "source": f.source}
                         for f in findings],
            "counts": counts(findings)}


def _score_table(card: Scorecard) -> Table:
    """The form's tree: a heading row per level-1/level-2 group, each indicator with its explanation."""
    from ..scoring import fmt

    table = Table(title=f"评分（规则：{card.profile}）", expand=True)
    table.add_column("指标 / 计分说明", ratio=6)
    for name in ("指标值", "完成值"):
        table.add_column(name, ratio=2)
    for name in ("分值", "填报", "复核"):
        table.add_column(name, justify="right", no_wrap=True)
    group = None
    for item in card.indicators:
        if (item.level1, item.level2) != group:
            group = (item.level1, item.level2)
            table.add_row(Text(" / ".join(p for p in group if p), style="bold"), end_section=False)
        differs = item.declared is not None and item.declared != item.score
        label = Text(item.name)
        label.append("\n" + item.explanation, style="dim")
        table.add_row(label, item.target.text, item.actual.text, fmt(item.weight), fmt(item.declared),
                      Text(fmt(item.score), style="bold red" if differs else ""))
    return table


def _summary(card: Scorecard) -> Table:
    from ..scoring import fmt

    table = Table(show_header=True, title="合计")
    for name in ("项目", "分值", "填报", "复核"):
        table.add_column(name, justify="right" if name != "项目" else "left")
    e = card.execution
    table.add_row("预算执行率" + (f" {fmt(e.rate_display)}%" if e.rate is not None else ""), fmt(e.weight),
                  fmt(e.declared), fmt(e.score))
    for block in card.blocks:
        table.add_row(block.level1, fmt(block.weight), fmt(block.declared), fmt(block.score))
    table.add_row(Text("总分", style="bold"), fmt(card.execution.weight + card.indicator_weight),
                  fmt(card.total_declared),
                  Text(f"{fmt(card.total)}（{card.grade}）", style="bold"))
    return table


@app.command()
def score(form: FormArg, profile: ProfileOpt = AUTO, format: FormatOpt = "auto",
          as_json: JsonOpt = False, last_year: LastYearOpt = None) -> None:
    """按规则计算每个指标、执行率、总分和等级，并与填报得分对照。

    相对上年的指标值（“比上年增长5%”“超上年2%”）须给出 --last-year 上年的表，否则无法计分、沿用填报得分并注明。
    """
    from ..scoring import score as score_form  # `score` is also this command's name
    from ..scoring import scorecard_data

    loaded, _, _, rules = _load(form, format, profile)
    card = score_form(loaded, rules, _last_year(last_year, loaded))
    if as_json:
        _print_json(scorecard_data(card))
        return
    show(_score_table(card))
    out.print(f"执行率：{card.execution.explanation}", markup=False)
    if card.total_explanation:
        out.print(f"总分：{card.total_explanation}", markup=False)
    show(_summary(card))


WaiversOpt = Annotated[Path | None, typer.Option(
    "--waivers", help="审核豁免文件（JSON，由 jixiao waive 写入）：已豁免的问题仍列出，标为“已豁免”，不计入错误")]


def _waivers(path: Path | None) -> list[Waiver]:
    return given_waivers(path) if path is not None and path.exists() else []


def given_waivers(path: Path | None) -> list[Waiver]:
    """The waivers of ``--waivers FILE``; a file that does not exist is named (exit 2), not taken as none."""
    from ..audit.waivers import read_waivers

    return [] if path is None else guarded(lambda: read_waivers(path))


@app.command()
def audit(form: FormArg, profile: ProfileOpt = AUTO, format: FormatOpt = "auto",
          as_json: JsonOpt = False, waivers: WaiversOpt = None, last_year: LastYearOpt = None) -> None:
    """复核表单：列出每处不一致（代码、级别、位置、说明），以及导入时未能读取或存疑的内容（I 类）。

    涉及导入存疑字段的问题标为“存疑”，说明以“导入存疑：”开头：请先核对原表。已豁免的问题标为“已豁免”；
    豁免后该处内容又被修改的，豁免失效。给出 --last-year 上年的表时，相对上年的指标值按其计分，并做跨年度比较
    （D06、D07）。有未豁免的错误时退出码为 1。
    """
    from ..audit import SEVERITY_NAMES, counts, evaluate, with_last_year
    from ..audit.waivers import apply_waivers, is_open

    given = given_waivers(waivers)
    loaded, import_findings, doubted, rules = _load(form, format, profile)
    previous = _last_year(last_year, loaded)
    audited = evaluate(loaded, rules, doubted, previous)[1]
    if previous is not None:
        audited = with_last_year(audited, loaded, previous, rules, doubted, source=f"上年的表 {last_year}")
    findings = apply_waivers(import_findings + audited, loaded, given, None if str(form) == "-" else form.name)
    if as_json:
        _print_json(findings_data(findings))
    else:
        table = Table(title=f"复核结果（规则：{rules.stamp}）", expand=True)
        for name, kw in (("代码", {}), ("级别", {}), ("位置", {"ratio": 2}), ("说明", {"ratio": 5})):
            table.add_column(name, **kw)  # type: ignore[arg-type]
        for f in findings:
            level = SEVERITY_NAMES[f.severity] + ("·存疑" if f.doubt else "") + ("" if is_open(f) else "·已豁免")
            style = _SEVERITY_STYLE[f.severity] if is_open(f) else "dim"
            where = f"{f.location}\n（依据：{f.source}）" if f.source else f.location
            table.add_row(f.code, Text(level, style=style), where, f.message)
        show(table)
        n = counts(findings)
        doubts = sum(f.doubt for f in findings)
        waived = sum(not is_open(f) for f in findings)
        out.print(f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}"
                  + (f"；另有 {waived} 条已豁免" if waived else "")
                  + (f"；其中 {doubts} 条涉及导入存疑的字段，请先核对原表" if doubts else ""))
    raise typer.Exit(EXIT_FINDINGS if any(f.severity == "error" and is_open(f) for f in findings) else EXIT_OK)


@app.command()
def waive(
    form: FormArg,
    code: Annotated[str, typer.Option("--code", help="要豁免的问题代码（如 A03）", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="豁免理由（如“财政局已批准调整权重”）", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="豁免人", show_default=False)],
    waivers: Annotated[Path, typer.Option("--waivers", help="豁免文件（JSON；不存在则新建，已有的豁免保留为历史）",
                                          show_default=False)],
    path: Annotated[str | None, typer.Option("--path", help="问题所在字段（同一代码有多处时必填，见 audit --json）")] = None,
    profile: ProfileOpt = AUTO,
    format: FormatOpt = "auto",
) -> None:
    """审核豁免：对一张表的一条复核意见写明理由后豁免；该处内容以后被修改的，豁免自动失效。"""
    from ..audit import evaluate
    from ..audit.waivers import waiver_for, write_waivers

    existing = _waivers(waivers)
    loaded, import_findings, doubted, rules = _load(form, format, profile)
    found = [f for f in import_findings + evaluate(loaded, rules, doubted)[1]
             if f.code == code and (path is None or f.path == path)]
    if not found:
        guarded(lambda: _refuse(f"这张表没有代码为 {code} 的复核意见" + (f"（字段 {path}）" if path else ""), "--code"))
    if len({f.path for f in found}) > 1:
        places = "、".join(sorted(str(f.path) for f in found))
        guarded(lambda: _refuse(f"代码 {code} 的复核意见有多处（{places}），请用 --path 指明豁免哪一处", "--path"))
    named = None if str(form) == "-" else form.name  # a batch applies the waiver to this file only
    waiver = guarded(lambda: waiver_for(found[0], loaded, by=by, reason=reason, file=named))
    # whole or not at all: the file is the waivers' history
    guarded(lambda: written(waivers, lambda path: write_waivers(path, [*existing, waiver])))
    out.print(f"已豁免 {code}（{found[0].location}）：{reason}；写入 {waivers}", markup=False)


def _refuse(message: str, place: str) -> None:
    raise InputError(message, place)


@app.command()
def profiles(as_json: JsonOpt = False) -> None:
    """列出内置的评分规则及其来源。"""
    from ..rules import list_profiles
    from ..scoring import plain

    shipped = list_profiles()
    if as_json:
        _print_json([p.model_dump(mode="json") for p in shipped])
        return
    table = Table(title="评分规则（auto：按表的模板和年度选择）", expand=True)
    for name in ("代码", "名称", "版本", "有效期", "继承", "模板", "执行率", "反向指标", "定性中档", "出处"):
        table.add_column(name)
    for p in shipped:
        low, high = p.qualitative.partial
        table.add_row(p.id, p.title, p.version, p.dates(), p.extends or "", "、".join(p.templates),
                      p.execution.policy, p.reverse.formula, f"{plain(low * 100)}–{plain(high * 100)}%",
                      p.reference.cite())
    show(table)


@app.command()
def schema() -> None:
    """打印表单的 JSON Schema（docs/form.schema.json 由此生成）。"""
    from ..model import Form

    out.print(json.dumps(Form.model_json_schema(), ensure_ascii=False, indent=2), markup=False)


@app.command()
def checks(markdown: Annotated[bool, typer.Option("--markdown", help="输出 docs/findings.md")] = False) -> None:
    """列出复核规则代码与导入提示代码（docs/findings.md）。"""
    from ..audit import CHECKS, SEVERITY_NAMES, findings_doc
    from ..io.notes import IMPORT_CODES

    if markdown:
        out.print(findings_doc(IMPORT_CODES), end="", markup=False)
        return
    table = Table(title="复核规则")
    for name in ("代码", "级别", "说明"):
        table.add_column(name)
    for c in sorted(CHECKS, key=lambda c: c.code):
        table.add_row(c.code, SEVERITY_NAMES[c.severity], c.title)
    for code, title in IMPORT_CODES:
        table.add_row(code, SEVERITY_NAMES["warning"], f"导入：{title}")
    show(table)
