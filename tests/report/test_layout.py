"""Layouts are data: shipped files, selection by kind or name, a province variant without code."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.errors import InputError
from jixiao.model import Form
from jixiao.report import xlsx
from jixiao.report.layout import layout_for, list_layouts, load_layout


def test_department_and_project_layouts_are_shipped() -> None:
    assert {"department", "project"} <= set(list_layouts())
    assert load_layout("department").title == "部门整体支出绩效目标自评表"
    project = load_layout("project")
    assert project.title == "项目支出绩效自评表"
    assert project.funds.default_rows == ["年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金"]
    assert project.indicators.headers[-1] == "偏差原因分析及改进措施"


def test_layout_follows_form_kind_unless_named(seed_form: Form) -> None:
    assert layout_for(seed_form).name == "department"
    assert layout_for(seed_form, "project").name == "project"


def test_unknown_layout_names_the_choices(seed_form: Form) -> None:
    with pytest.raises(InputError) as error:
        layout_for(seed_form, "guizhou-2099")
    assert "department" in error.value.message and error.value.place == "--layout"


def test_province_variant_is_a_data_file(seed_form: Form, tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "jixiao/report/layouts/department.toml").read_text(encoding="utf-8")
    variant = tmp_path / "sichuan.toml"
    variant.write_text(
        text.replace(
            'title = "部门整体支出绩效目标自评表"', 'title = "部门整体支出绩效自评表（四川）"'
        ).replace('"未完成原因分析"]', '"偏差原因及改进措施"]'),
        encoding="utf-8",
    )
    out = xlsx.write(seed_form, None, [], tmp_path / "v.xlsx", layout=str(variant))
    values = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "部门整体支出绩效自评表（四川）" in values
    assert "偏差原因及改进措施" in values


def test_broken_layout_file_is_reported_with_its_field(tmp_path: Path, seed_form: Form) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nkind = "department"\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        layout_for(seed_form, str(bad))
    assert str(bad) in (error.value.place or "")


@pytest.mark.parametrize("name", ["../../etc/passwd", "Department", "a/b", ""])
def test_layout_names_cannot_escape_the_layout_folder(seed_form: Form, name: str) -> None:
    with pytest.raises(InputError) as error:
        layout_for(seed_form, name or " ")
    assert error.value.place == "--layout"
