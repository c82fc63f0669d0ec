"""The official-layout workbook, read back with openpyxl: every value, merge and print setting."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.audit import Finding
from jixiao.errors import InputError
from jixiao.model import Form
from jixiao.report import xlsx
from jixiao.report.layout import load_layout
from jixiao.scoring import Scorecard

from .conftest import complete_truths, truth_form


def export(form: Form, tmp_path: Path, name: str = "out.xlsx") -> Worksheet:
    path = xlsx.write(form, None, [], tmp_path / name)
    ws = load_workbook(path).active
    assert ws is not None
    return ws


def find(ws: Worksheet, value: object) -> tuple[int, int]:
    """(row, column) of the first cell holding ``value``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not in sheet")


def merged_span(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """(rows, cols) of the merged range whose top-left is (row, col); (1, 1) if not merged."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row and rng.min_col == col:
            return rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1
    return 1, 1


def number(value: object) -> Decimal | None:
    """A numeric cell as Decimal, through its shortest repr (what Excel stores)."""
    return None if value is None else Decimal(repr(value))


def test_seed_title_unit_and_funds(seed_form: Form, tmp_path: Path) -> None:
    ws = export(seed_form, tmp_path)
    assert ws["A1"].value == "附件1"  # as on the seed form
    assert ws["A2"].value == "部门整体支出绩效目标自评表"
    assert ws["A3"].value == "（2022年度）"
    assert ws["A4"].value == "单位（盖章）：中共黔南州委组织部"
    assert ws["F4"].value == "填报日期：2023年7月"
    row, col = find(ws, "部门（单位）名称")
    assert ws.cell(row, col + 3).value == "中共黔南州委组织部"
    head_row, _ = find(ws, "资金来源")
    headers = [ws.cell(head_row, c).value for c in range(2, 10)]
    assert headers == [
        "资金来源",
        None,
        "年初预算数",
        "全年预算数（A）",
        "全年执行数（B）",
        "分值",
        "执行率",
        "得分",
    ]
    assert merged_span(ws, head_row, 1) == (1 + len(seed_form.funds.rows), 1)
    for offset, fund in enumerate(seed_form.funds.rows, start=1):
        r = head_row + offset
        assert ws.cell(r, 2).value == fund.label
        assert merged_span(ws, r, 2) == (1, 2)
        assert [number(ws.cell(r, c).value) for c in (4, 5, 6)] == [fund.initial, fund.budget, fund.executed]
    total = head_row + 1
    assert number(ws.cell(total, 7).value) == seed_form.funds.weight == Decimal(10)
    assert ws.cell(total, 8).value == "99%" and ws.cell(total, 8).data_type == "s"
    assert number(ws.cell(total, 9).value) == Decimal(9)
    assert ws.cell(total + 1, 7).value == "—"  # 其中 rows have no 分值/执行率/得分


def test_seed_goals_and_every_indicator_cell(seed_form: Form, tmp_path: Path) -> None:
    ws = export(seed_form, tmp_path)
    row, _ = find(ws, "预期目标")
    assert ws.cell(row + 1, 2).value == seed_form.goals.expected
    assert ws.cell(row + 1, 6).value == seed_form.goals.actual
    assert merged_span(ws, row + 1, 2) == (1, 4)
    header, _ = find(ws, "一级指标")
    assert [ws.cell(header, c).value for c in range(2, 10)] == load_layout("department").indicators.headers
    for index, ind in enumerate(seed_form.indicators):
        r = header + 1 + index
        assert ws.cell(r, 4).value == ind.name
        assert ws.cell(r, 5).value == ind.target
        assert ws.cell(r, 6).value == ind.actual
        assert number(ws.cell(r, 7).value) == ind.weight
        assert number(ws.cell(r, 8).value) == ind.score_declared
        assert ws.cell(r, 9).value == ind.reason


def test_seed_level1_and_level2_cells_are_merged(seed_form: Form, tmp_path: Path) -> None:
    ws = export(seed_form, tmp_path)
    header, _ = find(ws, "一级指标")
    first = header + 1
    # 产出指标: 19 rows, weights sum to 50 → "产出指标(50分)"
    assert ws.cell(first, 2).value == "产出指标(50分)"
    assert merged_span(ws, first, 2) == (19, 1)
    assert ws.cell(first + 19, 2).value == "效益指标(30分)"
    assert merged_span(ws, first + 19, 2) == (7, 1)
    assert ws.cell(first + 26, 2).value == "满意度指标(10分)"
    assert ws.cell(first, 3).value == "数量" and merged_span(ws, first, 3) == (11, 1)
    assert ws.cell(first + 11, 3).value == "质量" and merged_span(ws, first + 11, 3) == (1, 1)
    assert ws.cell(first + 13, 3).value == "成本" and merged_span(ws, first + 13, 3) == (6, 1)
    # the side label 绩效指标 spans the header and every indicator row
    assert ws.cell(header, 1).value == "绩效指标"
    assert merged_span(ws, header, 1) == (1 + len(seed_form.indicators), 1)


def test_seed_total_conclusion_contact_and_footnotes_verbatim(
    seed_form: Form, tmp_path: Path, data_dir: Path
) -> None:
    ws = export(seed_form, tmp_path)
    row, _ = find(ws, "总分")
    assert number(ws.cell(row, 7).value) == Decimal(100)
    assert number(ws.cell(row, 8).value) == Decimal("97.5")
    assert find(ws, "绩效结论")[0] == row + 1
    assert ws.cell(row + 2, 1).value == "联系人：屈杰"
    assert ws.cell(row + 2, 6).value == "联系电话：8233537"
    footnotes = [ws.cell(row + 3 + i, 1).value for i in range(4)]
    seed_text = next((data_dir / "seed").glob("*.txt")).read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", seed_text)
    for note in footnotes:
        assert isinstance(note, str) and re.sub(r"\s+", "", note) in flat


def test_print_ready(seed_form: Form, tmp_path: Path) -> None:
    ws = export(seed_form, tmp_path)
    header, _ = find(ws, "一级指标")
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.print_area is not None
    assert ws.column_dimensions["D"].width == 30
    cell = ws.cell(header + 1, 4)
    assert cell.font.name == "宋体" and cell.alignment.wrap_text
    assert cell.border.left.style == "thin"
    goals_row, _ = find(ws, "预期目标")
    assert (ws.row_dimensions[goals_row + 1].height or 0) > 200  # long goal text gets a tall row


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_formula_like_text_stays_text(seed_form: Form, tmp_path: Path, payload: str) -> None:
    seed_form.indicators[0].reason = payload
    seed_form.contact.phone = payload
    path = xlsx.write(seed_form, None, [], tmp_path / "f.xlsx")
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(path).active
    assert ws is not None
    header, _ = find(ws, "一级指标")
    reason = ws.cell(header + 1, 9)
    assert reason.value == payload.replace("\r", "\n") or reason.value == payload
    assert reason.data_type == "s" and reason.quotePrefix


def test_control_characters_are_made_visible_not_fatal(seed_form: Form, tmp_path: Path) -> None:
    seed_form.indicators[0].reason = "bell\x07here"
    ws = export(seed_form, tmp_path)
    assert find(ws, "bell\u2407here")


def test_project_layout_for_complete_corpus_forms(data_dir: Path, tmp_path: Path) -> None:
    checked = 0
    for truth in complete_truths(data_dir):
        form = truth_form(truth)
        ws = export(form, tmp_path, truth.stem + ".xlsx")
        if form.kind == "project":
            assert ws["A1"].value == "项目支出绩效自评表"
            row, col = find(ws, "项目名称")
            assert ws.cell(row, col + 3).value == form.project
            row, col = find(ws, "实施单位")
            assert ws.cell(row, col + 2).value == form.unit
            find(ws, "偏差原因分析及改进措施")
        header, _ = find(ws, "一级指标")
        for index, ind in enumerate(form.indicators):
            assert ws.cell(header + 1 + index, 4).value == ind.name, truth.name
            assert number(ws.cell(header + 1 + index, 7).value) == ind.weight, truth.name
        fund_head, _ = find(ws, "资金来源")
        total = form.funds.rows[0]
        values = [number(ws.cell(fund_head + 1, c).value) for c in (4, 5, 6)]
        assert values == [total.initial, total.budget, total.executed], truth.name
        checked += 1
    assert checked >= 8


def test_review_column_shows_computed_scores_and_flags_differences(
    seed_scored: tuple[Form, Scorecard, list[Finding]], tmp_path: Path
) -> None:
    form, card, findings = seed_scored
    path = xlsx.write(form, card, findings, tmp_path / "review.xlsx")
    wb = load_workbook(path)
    ws = wb["自评表"]
    header, _ = find(ws, "一级指标")
    assert ws.cell(header, 10).value == "复核得分"
    flagged = 0
    for item in card.indicators:
        row = header + 1 + item.index
        cell = ws.cell(row, 10)
        assert number(cell.value) == item.score
        assert cell.comment is not None and cell.comment.text == item.explanation
        differs = item.declared is not None and item.declared != item.score
        assert (ws.cell(row, 8).fill.fgColor.rgb == "00FFC7CE") == differs, item.name
        flagged += differs
    assert flagged >= 3  # 开展项目个数, 人员工资支出, 单位发展专项 …
    total_row, _ = find(ws, "总分")
    assert number(ws.cell(total_row, 10).value) == card.total
    assert f"等级：{card.grade}" in ws.cell(total_row, 10).comment.text  # type: ignore[union-attr]
    fund_head, _ = find(ws, "资金来源")
    assert number(ws.cell(fund_head + 1, 10).value) == card.execution.score
    sheet = wb["复核意见"]
    assert sheet.max_row == 1 + len(findings)
    assert [sheet.cell(2, c).value for c in (1, 3, 4)] == [
        findings[0].code,
        findings[0].location,
        findings[0].message,
    ]
    assert ws.print_area is not None and "$J$" in ws.print_area


def test_text_beyond_the_excel_cell_limit_is_refused_by_name(seed_form: Form, tmp_path: Path) -> None:
    # beyond the form limits too: built without validation, as a form from an older version could be
    seed_form.goals = seed_form.goals.model_copy(update={"expected": "很" * (xlsx.EXCEL_MAX_TEXT + 1)})
    with pytest.raises(InputError) as error:
        xlsx.write(seed_form, None, [], tmp_path / "big.xlsx")
    assert "32767" in error.value.message
    assert (error.value.place or "").startswith("自评表!B")  # the goals cell


def test_findings_sheet_prints_on_a4_width_with_rows_tall_enough(
    seed_scored: tuple[Form, Scorecard, list[Finding]], tmp_path: Path
) -> None:
    form, card, findings = seed_scored
    sheet = load_workbook(xlsx.write(form, card, findings, tmp_path / "review.xlsx"))["复核意见"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert sum(widths) <= 90  # A4 portrait at 10.5 pt: printed at full size, not shrunk to a strip
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation, int(setup.fitToWidth)) == (int(sheet.PAPERSIZE_A4), "portrait", 1)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    for row, finding in enumerate(findings, start=2):
        lines = xlsx.line_count(finding.message, Decimal(widths[3]))
        height = sheet.row_dimensions[row].height
        assert height is not None and height >= lines * 10.5 * 1.3, finding.message
    longest = max(findings, key=lambda f: len(f.message))
    assert xlsx.line_count(longest.message, Decimal(widths[3])) > 1  # the seed has messages that wrap
