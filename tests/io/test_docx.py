"""Word import: the official table in a .docx, merged cells included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx

from jixiao.io import jsonio, read, read_all
from jixiao.model import Form

Truth = Callable[[str], str]
AsTruth = Callable[[Form], str]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_seed_docx_reads_exactly_as_the_transcription(seed_json: str) -> None:
    form, notes = read(FIXTURES / "seed.docx")
    assert jsonio.dumps(form) == seed_json
    assert notes == []


def test_project_docx_reads_as_its_ground_truth(truth_json: Truth, as_truth: AsTruth) -> None:
    form, _ = read(FIXTURES / "project-012.docx")
    assert as_truth(form) == truth_json("012")


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("项目支出绩效自评表（2023年度）")
    table = document.add_table(rows=4, cols=6)
    for column, label in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"]):
        table.cell(0, column).text = label
    level1 = table.cell(1, 0).merge(table.cell(3, 0))
    level1.text = "产出指标(30分)"
    for row, (name, target) in enumerate(
        [("培训人次", "≥100人次"), ("覆盖率", "100%"), ("及时率", "≥95%")], 1
    ):
        table.cell(row, 1).text = "数量"
        table.cell(row, 2).text = name
        table.cell(row, 3).text = target
        table.cell(row, 4).text = target
        table.cell(row, 5).text = "10"
    wide = table.cell(3, 3).merge(table.cell(3, 4))  # one value spanning two columns
    wide.text = "≥95%"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    form, _ = read(path)
    assert form.kind == "project" and form.year == 2023
    assert [(i.level1, i.name, i.target, i.actual) for i in form.indicators] == [
        ("产出指标", "培训人次", "≥100人次", "≥100人次"),
        ("产出指标", "覆盖率", "100%", "100%"),
        ("产出指标", "及时率", "≥95%", None),
    ]


def test_stacked_forms_read_one_at_a_time_or_all(
    seed_json: str, truth_json: Truth, as_truth: AsTruth
) -> None:
    form, notes = read(FIXTURES / "two-forms.docx")
    assert jsonio.dumps(form) == seed_json
    assert [n.code for n in notes] == ["I13"]
    first, second = read_all(FIXTURES / "two-forms.docx")
    assert jsonio.dumps(first[0]) == seed_json
    assert as_truth(second[0]) == truth_json("012")
