"""河北 项目支出绩效自评表（双权重）: 单项指标得分 × 权重占比 = 折算得分, read, picked by ``auto`` and scored.

No form of this template is in the development corpus: the workbook below is written here the way the
template prints it (block shares merged down the 权重占比 column, each 一级指标's 分值 adding up to 100).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.audit import evaluate
from jixiao.cli import app
from jixiao.io import read
from jixiao.model import Form
from jixiao.rules import auto_profile, load_profile
from jixiao.scoring import score

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "单项指标得分", "权重占比", "折算得分",
          "偏差原因分析及改进措施"]
ROWS = [
    ["产出指标", "数量指标", "新建集中供水工程", "≥10处", "10处", 50, 50, 0.5, 25, None],
    ["产出指标", "质量指标", "工程验收合格率", "100%", "96%", 50, 48, None, 24, "两处管网返工，已整改"],
    ["效益指标", "社会效益指标", "受益人口", "≥2万人", "2.1万人", 100, 100, "30%", 30, None],
    ["满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "95%", 100, 100, "10%", 10, None],
]


def hebei_workbook(path: Path, rows: list[list[object]] = ROWS, total: object = 98.5) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    head = [
        ["河北省项目支出绩效自评表（2022年度）"],
        ["项目名称", "农村饮水安全巩固提升工程", None, "主管部门", "某县水利局"],
        ["实施单位", "某县农村供水服务中心", None, "联系人", "王五", "联系电话", "0311-8666666"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 200, 200, 190, 10, "95%", 9.5],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, "新建集中供水工程10处，受益人口2万人", None, None, None, "建成10处，受益2.1万人"],
        HEADER,
    ]
    for row in [*head, *rows, ["总分", None, None, None, None, 310, None, None, total]]:
        sheet.append(row)
    sheet.cell(9, 8).number_format = "0%"  # 0.5 shown as 50%
    sheet.merge_cells("H9:H10")  # the 产出 block's share printed once
    sheet.append(["绩效结论", "经自评，总分98.5分，等级为优。"])
    book.save(path)
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return hebei_workbook(tmp_path / "hebei.xlsx")


def test_the_importer_reads_the_three_columns(workbook: Path) -> None:
    form, notes = read(workbook)
    assert notes == []
    assert [(i.weight, i.score_declared, i.weight_share, i.score_converted) for i in form.indicators] == [
        (50, 50, 50, 25), (50, 48, 50, 24), (100, 100, 30, 30), (100, 100, 10, 10)]
    assert form.total_declared == Decimal("98.5")  # under 折算得分, not under 单项指标得分


def test_auto_picks_the_hebei_profile_by_the_weight_share_column(workbook: Path) -> None:
    form, _ = read(workbook)
    assert auto_profile(form).id == "hebei"
    plain = Form.model_validate({**form.model_dump(), "indicators": [
        {**i.model_dump(), "weight_share": None, "score_converted": None} for i in form.indicators]})
    assert auto_profile(plain).id == "national"


def test_the_total_adds_the_converted_scores_and_names_the_national_one(workbook: Path) -> None:
    form, _ = read(workbook)
    card, findings = evaluate(form, load_profile("hebei"))
    assert [i.converted for i in card.indicators] == [25, 24, 30, 10]
    assert "折算得分 = 单项指标得分 48.00 × 权重占比 50% = 24.00" in card.indicators[1].explanation
    assert card.total == Decimal("98.50") and card.grade == "优"
    # national: 9.5 + 50 + 48 + 100 + 100 = 307.5 of 310 points, on the 100-point scale
    assert card.national_total == Decimal("99.19")
    assert "按全国通用规则（单项指标得分直接相加）为 99.19" in card.total_explanation
    assert [(b.level1, b.weight) for b in card.blocks] == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert findings == [], [(f.code, f.message) for f in findings]


def test_under_the_national_rule_the_same_form_sums_single_scores(workbook: Path) -> None:
    form, _ = read(workbook)
    card = score(form, load_profile("national"))
    assert card.total == Decimal("99.19") and card.national_total is None
    assert all(i.converted is None for i in card.indicators)


def test_a_wrong_converted_score_and_a_missing_share_are_findings(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][8] = 3  # 100 × 30% written as 3
    rows[3][7] = None  # 权重占比 left blank
    form, _ = read(hebei_workbook(tmp_path / "wrong.xlsx", rows, total=71.5))
    card, findings = evaluate(form, load_profile("hebei"))
    a15 = [f for f in findings if f.code == "A15"]
    assert [f.path for f in a15] == ["indicators[2].score_converted", "indicators[3].weight_share"]
    assert "100 × 权重占比 30% = 30.00" in a15[0].message
    assert "未填权重占比" in card.indicators[3].explanation and card.indicators[3].converted is None


def test_the_score_command_reports_both_totals(workbook: Path) -> None:
    result = CliRunner().invoke(app, ["score", str(workbook), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["profile"] == "hebei@2021.1"
    assert (data["total"], data["national_total"]) == (98.5, 99.19)
    assert data["indicators"][1]["converted"] == 24
    text = CliRunner().invoke(app, ["score", str(workbook)]).stdout
    assert "按全国通用规则" in text


TEXT_FORM = """河北省项目支出绩效自评表（2022年度）
项目名称 | 农村饮水安全巩固提升工程 | 主管部门 | 某县水利局 |
实施单位 | 某县农村供水服务中心 | 联系人 | 王五 | 联系电话 | 0311-8666666 |
项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
年度资金总额 | 200 | 200 | 190 | 10 | 95% | 9.5 |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 单项指标得分 | 权重占比 | 折算得分 | 偏差原因分析及改进措施 |
产出指标 | 数量指标 | 新建集中供水工程 | ≥10处 | 10处 | 50 | 50 | 50% | 25 | |
产出指标 | 质量指标 | 工程验收合格率 | 100% | 96% | 50 | 48 | 50% | 24 | 两处管网返工 |
效益指标 | 社会效益指标 | 受益人口 | ≥2万人 | 2.1万人 | 100 | 100 | 30% | 30 | |
满意度指标 | 服务对象满意度指标 | 受益群众满意度 | ≥90% | 95% | 100 | 100 | 10% | 10 | |
总分 | | | | | 310 | | | 98.5 |
"""


def test_the_same_form_as_text_reads_and_scores_alike(tmp_path: Path) -> None:
    path = tmp_path / "hebei.txt"
    path.write_text(TEXT_FORM, encoding="utf-8")
    form, notes = read(path)
    assert notes == []
    assert [(i.weight_share, i.score_converted) for i in form.indicators] == [(50, 25), (50, 24), (30, 30), (10, 10)]
    card = score(form, auto_profile(form))
    assert (card.profile, card.total, card.national_total) == ("hebei@2021.1", Decimal("98.50"), Decimal("99.19"))
