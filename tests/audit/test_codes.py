"""Every finding code has its own case: a small inline form that shows the one situation the check is for.

The base form is clean under the national rules (no finding at all); each case changes a line or two.
A code without a case fails :func:`test_every_code_has_its_own_case`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import CHECKS, CODES, audit, evaluate
from jixiao.audit.history import year_over_year
from jixiao.errors import InputError
from jixiao.rules import Profile, load_profile
from jixiao.scoring import score

from .inline import form, variant

BASE = """
年度: 2022
单位: 黔南州某某局
联系人: 张三 / 0854-8222222
资金: 年度资金总额 | 100 | 100 | 100
资金分值: 10
执行率: 100%
执行率得分: 10
预期目标: 全年培训不少于100人次，政策知晓率不低于90%，群众满意度不低于90%。
实际完成: 全年培训90人次，政策知晓率95%，群众满意度95%。
指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 45 | 受疫情影响停训一期，明年增开一期
指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 95% | 30 | 30
指标: 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 95% | 10 | 10
总分: 95
结论: 经自评，总分95分，等级为优。
"""

#: code → the lines that change the base form so that exactly this situation appears.
CASES: dict[str, tuple[str, ...]] = {
    "A01": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 55 | 受疫情影响",),
    "A02": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 95% | 0 | 0",),
    "A03": ("资金分值: 20",),
    "A04": ("总分: 98",),
    "A05": ("结论: 经自评，总分95分，等级为良。",),
    "A06": ("执行率: 90%",),
    "A07": ("资金: 其中：本年财政拨款 | 80 | 80 | 80",),
    "A08": ("资金: 年度资金总额 | 100 | 100 | 110",),
    "A09": ("资金: 年度资金总额 | 80 | 100 | 100",),
    "A10": ("指标: 产出指标 | 成本指标 | 项目成本 | ≤100万元 | 120万元 | 5 | 4.17 | 材料涨价",),
    "A11": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 95% |  | 30",),
    "A12": ("执行率得分: 9",),
    "A13": ("资金: 年度资金总额 | 0 | 0 | 0",),
    "A14": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 40 | 36 | 受疫情影响",
            "指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 95% | 40 | 40"),
    "B01": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 48 | 受疫情影响",),
    "B02": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 50 | 受疫情影响",),
    "B03": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | 政策全面落实 | 部分达成 | 30 | 30 | 个别乡镇未落实",),
    "B04": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 已完成 | 50 | 45 | 受疫情影响",),
    "B05": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | 政策全面落实 | 见附件 | 30 | 30",),
    "B06": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 95人 | 30 | 30",),
    "B07": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥100% | 100% | 30 | 30",),
    "B08": ("指标: 产出指标 | 数量指标 | 培训人次 | =100人次 | 90人次 | 50 | 45 | 受疫情影响",),
    "C01": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 45",),
    "C02": ("资金: 年度资金总额 | 100 | 100 | 80", "执行率: 80%", "执行率得分: 8", "总分: 93"),
    "C03": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥50% | 95% | 30 | 30",),
    "C04": ("结论: 无",),
    "C05": ("- 联系人",),
    "C06": ("实际完成: 全年培训不少于100人次，政策知晓率不低于90%，群众满意度不低于90%。",),
    "C07": ("- 单位",),
    "D01": ("资金: 年度资金总额 | 100 | 100 | 60", "执行率: 60%", "执行率得分: 6", "总分: 91"),
    "D02": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 100人次 | 50 | 50", "总分: 100"),
    "D03": ("指标: 产出指标 | 数量指标 | 培训人次 | 按计划开展培训 | 达成预期指标 | 50 | 50",
            "指标: 效益指标 | 社会效益指标 | 政策知晓率 | 政策全面落实 | 达成预期指标 | 30 | 30", "总分: 100"),
    "D04": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | ≥100人次 | 50 | 50",
            "指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | ≥90% | 30 | 30",
            "指标: 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | ≥90% | 10 | 10", "总分: 100"),
    "D05": ("指标: 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 100% | 10 | 10",),
    "R01": ("年度: 2019",),
    "T01": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | 进一步提高政策知晓度 | 达成预期指标 | 30 | 30",),
    "T02": ("指标: 效益指标 | 社会效益指标 | 政策知晓率 | 90%-95% | 95% | 30 | 30",),
    "T03": ("- 指标: 群众满意度",),
    "T04": ("- 指标: *",),
    "P01": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | ≥90人次 | 50 | 45 | 受疫情影响",),
}

#: Last year's form of the same unit: every actual below this year's target, the same budget.
LAST_YEAR = variant(BASE, "年度: 2021",
                    "指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 80人次 | 50 | 40 | 场地不足",
                    "指标: 效益指标 | 社会效益指标 | 政策知晓率 | ≥90% | 88% | 30 | 29.33 | 宣传不足",
                    "指标: 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 88% | 10 | 9.78 | 服务不足")

#: Cross-year codes: the lines that change last year's form.
YEAR_CASES: dict[str, tuple[str, ...]] = {
    "D06": ("指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 150人次 | 50 | 50",),
    "D07": ("资金: 年度资金总额 | 50 | 50 | 50",),
}

#: Codes of one template's rules: code → (profile, that template's base form, the changing lines).
HEBEI = variant(BASE, "折算: 培训人次 | 100 | 45", "折算: 政策知晓率 | 100 | 30", "折算: 群众满意度 | 100 | 10")
PROFILE_CASES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "A15": ("hebei", HEBEI, ("折算: 政策知晓率 | 100 | 3",)),
}

NATIONAL = load_profile("national")


def test_every_code_has_its_own_case() -> None:
    assert set(CASES) | set(YEAR_CASES) | set(PROFILE_CASES) == {check.code for check in CHECKS}


@pytest.mark.parametrize("code", sorted(PROFILE_CASES))
def test_template_code(code: str) -> None:
    profile, base, changes = PROFILE_CASES[code]
    rules = load_profile(profile)
    assert evaluate(form(base), rules)[1] == []
    findings = evaluate(form(variant(base, *changes)), rules)[1]
    mine = [f for f in findings if f.code == code]
    assert mine, (code, [(f.code, f.message) for f in findings])
    assert all(f.severity == CODES[code].severity for f in mine)


def test_the_base_form_is_clean() -> None:
    card, findings = evaluate(form(BASE), NATIONAL)
    assert findings == [] and card.total == 95


@pytest.mark.parametrize("code", sorted(CASES))
def test_code(code: str) -> None:
    findings = evaluate(form(variant(BASE, *CASES[code])), NATIONAL)[1]
    mine = [f for f in findings if f.code == code]
    assert mine, (code, [(f.code, f.message) for f in findings])
    assert all(f.severity == CODES[code].severity for f in mine)


@pytest.mark.parametrize("code", sorted(YEAR_CASES))
def test_year_over_year_code(code: str) -> None:
    assert year_over_year(form(LAST_YEAR), form(BASE)) == []
    findings = year_over_year(form(variant(LAST_YEAR, *YEAR_CASES[code])), form(BASE))
    assert findings and {f.code for f in findings} == {code}
    assert findings[0].severity == CODES[code].severity


def _profile(tmp_path: Path, checks: str) -> Profile:
    path = tmp_path / "bureau.toml"
    path.write_text(f"""
id = "bureau"
extends = "national"
title = "某局规则"
version = "1"
effective_from = 2020-01-01
reference = {{ doc = "mof-2020-10", part = "单位自评" }}

[checks]
{checks}
""", encoding="utf-8")
    return load_profile(str(path))


def test_a_profile_overrides_a_severity_and_disables_a_check(tmp_path: Path) -> None:
    situation = form(variant(BASE, *CASES["D05"], *CASES["C04"]))
    profile = _profile(tmp_path, """severity = { D05 = "warning" }
disabled = ["C04"]
reference.severity = { doc = "mof-2021-101", part = "满意度须有调查依据" }
reference.disabled = { doc = "mof-2020-10", part = "结论另行报送" }""")
    findings = audit(situation, score(situation, profile), profile)
    assert [(f.code, f.severity) for f in findings] == [("D05", "warning")]


def test_a_profile_naming_an_unknown_code_is_refused(tmp_path: Path) -> None:
    profile = _profile(tmp_path, """disabled = ["Z99"]
reference.disabled = { doc = "mof-2020-10", part = "—" }""")
    with pytest.raises(InputError, match="Z99"):
        evaluate(form(BASE), profile)


def test_a_changed_parameter_without_its_reference_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="出处"):
        _profile(tmp_path, 'disabled = ["C04"]')


def test_every_check_has_a_rationale_and_a_source_document() -> None:
    for check in CHECKS:
        assert check.rationale and "《" in check.source, check.code


def test_a_printed_rate_over_100_without_amounts_is_over_execution() -> None:
    findings = evaluate(form(variant(BASE, "- 资金", "执行率: 103.21%")), NATIONAL)[1]
    assert any(f.code == "A08" and "103.21%" in f.message for f in findings)


def test_claimed_points_far_above_a_printed_rate_raise_the_red_warning() -> None:
    """79.27 % spent, 97.93 points claimed: the national red warning from the printed rate alone."""
    situation = form(variant(BASE, "- 资金", "执行率: 79.27%", "执行率得分: 7.93", "总分: 97.93",
                             "指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 100人次 | 50 | 50",
                             "结论: 经自评，总分97.93分，等级为优。"))
    card, findings = evaluate(situation, NATIONAL)
    assert card.execution.printed and card.execution.score == Decimal("7.93")
    assert [f.code for f in findings if f.code == "D01"] == ["D01"]
    assert "79.3%" in next(f.message for f in findings if f.code == "D01")
