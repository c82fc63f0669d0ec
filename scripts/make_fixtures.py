"""Build the Excel/Word/PDF fixtures of tests/io from forms we know exactly.

There is no public corpus of Excel, PDF or Word self-evaluation forms, so we write the seed
transcription (examples/qiannan-2022.json) and a few complete corpus truths into the official
layouts ourselves, with the variations real files show (merged cells, shifted blocks, blank rows,
numbers stored as text with units, two forms in one workbook, a project layout, split
指标性质/度量单位 columns), then let LibreOffice convert them to .xls and .pdf the way users do.

    PYTHONPATH=. .venv/bin/python scripts/make_fixtures.py    # needs /usr/bin/soffice, pdftoppm

The generated files are committed under tests/fixtures/ so tests need neither LibreOffice nor
this script.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import msoffcrypto.format.ooxml  # dev-only: writes the encrypted-workbook fixture
import openpyxl
import simplejson
from docx.shared import Pt
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from jixiao.io import jsonio
from jixiao.model import Form

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "tests" / "data" / "corpus"
SEED_FOOTNOTES = [
    "注：1.绩效自评采取打分评价的形式，满分为100分，各部门（单位）可根据指标的重要程度确定各项三级指标的权重分值，"
    "各项指标得分加总得出该绩效自评的总分。原则上一级指标分值统一设置为：产出指标50分，效益指标30分、服务对象满意度10分、"
    "预算资金执行率10分。如有特殊情况，除预算资金执行率外，其他指标权重可适当调整，但总分应为100分。各三级指标得分最高不能超过该指标分值上限。",
    "2.未完成原因分析：说明偏离目标、不能完成目标的原因及拟采取的措施。",
    "3.定量指标若为正向指标（即指标值为≥*），则得分计算方法应用实际完成值（B）/年度指标值（A）*该指标分值；"
    "若定量指标为反向指标（即指标值为≤*），则得分计算方法应用年度指标值（A）/实际完成值（B）*该指标分值。",
    "4.定性指标根据指标完成情况分为：达成预期指标、部分达成预期指标并具有一定效果、未达成预期指标且效果较差三档，"
    "分别按照该指标对应分值权重区间100-80%(含80%)、80-50%(含50%)、50-0%合理选择权重确定得分。",
]
SPLIT_TARGET = re.compile(r"^([≥≤≧≦=═<>]*)(\d+(?:\.\d+)?)(.*)$")


@dataclass(frozen=True)
class Style:
    """How a form is laid out in the file."""

    money_unit: str = "万元"
    split_targets: bool = False  # Sichuan/Yunnan: 指标性质 | 指标值 | 度量单位
    text_numbers: bool = False  # numbers typed as text, money with its unit ("3989.07万元")
    blank_rows: bool = False  # an empty row between blocks
    origin: tuple[int, int] = (1, 1)  # top-left cell (row, column), 1-based


@dataclass
class Put:
    """One (possibly merged) cell of the form table."""

    row: int
    col: int
    value: object
    rows: int = 1
    cols: int = 1
    kind: str = "text"  # text | long | money | number | points (a number written "10分") | rate


@dataclass
class Layout:
    before: list[str]
    cells: list[Put] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    width: int = 9
    height: int = 0
    header_row: int = 0


def load_truth(number: str) -> Form:
    data = simplejson.loads((CORPUS / f"{number}.truth.json").read_text("utf-8"), use_decimal=True)
    keep = set(Form.model_fields) - {"provenance"}
    return Form.model_validate({k: v for k, v in data.items() if k in keep})


def groups(values: list[str | None]) -> Iterator[tuple[int, int, str | None]]:
    """Runs of equal consecutive values: (start, length, value)."""
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            yield start, index - start, values[start]
            start = index


def layout(form: Form, style: Style) -> Layout:
    width = 11 if style.split_targets else 9
    title = "部门整体支出绩效目标自评表" if form.kind == "department" else "项目支出绩效自评表"
    out = Layout(
        before=[
            "附件1",
            title,
            f"（{form.year}年度）",
            f"单位（盖章）：{form.unit or ''}    填报日期：{form.filled_on or ''}",
        ],
        width=width,
    )
    put = out.cells.append
    row = 0

    def gap() -> None:
        nonlocal row
        row += 1 if style.blank_rows else 0

    if form.kind == "department":
        put(Put(row, 0, "部门（单位）名称", cols=2))
        put(Put(row, 2, form.unit or "", cols=width - 2))
        row += 1
    else:
        put(Put(row, 0, "项目名称", cols=2))
        put(Put(row, 2, form.project or "", cols=width - 2))
        put(Put(row + 1, 0, "主管部门", cols=2))
        put(Put(row + 1, 2, form.department or "", cols=3))
        put(Put(row + 1, 5, "实施单位"))
        put(Put(row + 1, 6, form.unit or "", cols=width - 6))
        row += 2
    gap()
    funds = form.funds.rows
    block = "部门（单位）总体资金" if form.kind == "department" else "项目资金"
    put(Put(row, 0, f"{block}（{style.money_unit}）", rows=len(funds) + 1))
    headers = ["资金来源", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率"]
    for col, header in enumerate(headers, 1):
        put(Put(row, col, header))
    put(Put(row, 7, "得分", cols=width - 7))
    for index, fund in enumerate(funds):
        r = row + 1 + index
        label = fund.label if index != 1 or form.kind == "department" else f"其中：{fund.label}"
        put(Put(r, 1, f"{label}：" if index == 0 else label))
        for col, amount in ((2, fund.initial), (3, fund.budget), (4, fund.executed)):
            put(Put(r, col, amount, kind="money"))
        if index == 0:
            put(Put(r, 5, form.funds.weight, kind="points"))
            put(Put(r, 6, form.funds.rate_declared, kind="rate"))
            put(Put(r, 7, form.funds.score_declared, cols=width - 7, kind="number"))
        else:
            for col in (5, 6):
                put(Put(r, col, "—"))
            put(Put(r, 7, "—", cols=width - 7))
    row += len(funds) + 1
    gap()
    half = (width - 1) // 2
    put(Put(row, 0, "年度总体目标", rows=2))
    put(Put(row, 1, "预期目标", cols=half))
    put(Put(row, 1 + half, "实际完成情况", cols=width - 1 - half))
    put(Put(row + 1, 1, form.goals.expected or "", cols=half, kind="long"))
    put(Put(row + 1, 1 + half, form.goals.actual or "", cols=width - 1 - half, kind="long"))
    row += 2
    gap()
    indicators = form.indicators
    put(Put(row, 0, "绩效指标", rows=len(indicators) + 1))
    target_headers = ["指标性质", "指标值", "度量单位"] if style.split_targets else ["年度指标值(A)"]
    reason = "未完成原因分析" if form.kind == "department" else "偏差原因分析及改进措施"
    headers = ["一级指标", "二级指标", "三级指标", *target_headers, "实际完成值(B)", "分值", "得分", reason]
    for col, header in enumerate(headers, 1):
        put(Put(row, col, header))
    out.header_row = row
    first = row + 1
    for start, length, level1 in groups([i.level1 for i in indicators]):
        weights = [i.weight for i in indicators[start : start + length]]
        weight = f"({sum(w for w in weights if w is not None)}分)" if None not in weights else ""
        put(Put(first + start, 1, f"{level1 or ''}{weight}", rows=length))
    for start, length, _ in groups([f"{i.level1}/{i.level2}" for i in indicators]):
        put(Put(first + start, 2, indicators[start].level2 or "", rows=length))
    for index, indicator in enumerate(indicators):
        r = first + index
        put(Put(r, 3, indicator.name))
        col = 4
        if style.split_targets:
            found = SPLIT_TARGET.match(indicator.target or "")
            nature, value, unit = found.groups() if found else ("定性", indicator.target or "", "")
            for part in (nature, value, unit):
                put(Put(r, col, part))
                col += 1
        else:
            put(Put(r, col, indicator.target or ""))
            col += 1
        put(Put(r, col, indicator.actual or ""))
        put(Put(r, col + 1, indicator.weight, kind="number"))
        put(Put(r, col + 2, indicator.score_declared, kind="number"))
        put(Put(r, col + 3, indicator.reason or ""))
    row = first + len(indicators)
    weights = [i.weight for i in indicators] + [form.funds.weight]
    put(Put(row, 0, "总         分", cols=width - 3))
    put(Put(row, width - 3, sum(w for w in weights if w is not None), kind="number"))
    put(Put(row, width - 2, form.total_declared, cols=2, kind="number"))
    put(Put(row + 1, 0, "绩效  \n结论", cols=2))
    put(Put(row + 1, 2, form.conclusion or "", cols=width - 2))
    name = (
        " ".join(form.contact.name)
        if form.contact.name and len(form.contact.name) == 2
        else form.contact.name
    )
    if form.kind == "department":
        put(Put(row + 2, 0, f"联系人：{name or ''}", cols=4))
        put(Put(row + 2, 4, f"联系电话：{form.contact.phone or ''}", cols=width - 4))
    else:
        put(Put(row + 2, 0, "联系人"))
        put(Put(row + 2, 1, name or "", cols=3))
        put(Put(row + 2, 4, "联系电话"))
        put(Put(row + 2, 5, form.contact.phone or "", cols=width - 5))
    out.height = row + 3
    out.after = SEED_FOOTNOTES if form.kind == "department" else SEED_FOOTNOTES[1:3]
    return out


def cell_text(put: Put, style: Style) -> str:
    """The text of a cell as a person types it (Word, or Excel with numbers stored as text)."""
    if put.value is None:
        return ""
    if put.kind == "money":
        return f"{put.value}{style.money_unit}"
    if put.kind == "points":
        return f"{put.value}分"
    return str(put.value)


def xlsx_value(put: Put, style: Style) -> tuple[object, str | None]:
    """A cell value for openpyxl and its number format."""
    if style.text_numbers or put.kind in ("text", "long") or put.value is None:
        return (cell_text(put, style) if style.text_numbers else put.value), None
    if put.kind == "rate":
        rate = str(put.value)
        if not rate.endswith("%"):
            return rate, None
        digits = rate[:-1]
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return float(Decimal(digits) / 100), "0" + ("." + "0" * decimals if decimals else "") + "%"
    return float(Decimal(str(put.value))), "0.00" if put.kind == "money" else None


THIN = Side(style="thin")
WIDTHS = {0: 6, 1: 14, 2: 12, 3: 30}


def line_height(text: str, width: int) -> float:
    """Row height (points) that shows ``text`` wrapped in columns of ``width`` characters.

    LibreOffice does not recompute row heights when it opens an .xlsx, and text that does not
    fit spills over the neighbouring rows in the PDF, so the heights are set as Excel would.
    """
    lines = 0
    for part in text.split("\n"):
        size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        lines += max(1, -(-size // max(width - 2, 1)))
    return 14.0 * lines + 4


def write_sheet(ws: Worksheet, form: Form, style: Style) -> None:
    plan = layout(form, style)
    top, left = style.origin
    row = top
    for line in plan.before:
        ws.cell(row, left, line).alignment = Alignment(horizontal="center" if "表" in line else "left")
        ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + plan.width - 1)
        row += 1
    ws.cell(top + 1, left).font = Font(size=16, bold=True)
    table_top = row
    for put in plan.cells:
        r, c = table_top + put.row, left + put.col
        value, number_format = xlsx_value(put, style)
        cell = ws.cell(r, c, value)
        if number_format:
            cell.number_format = number_format
        if put.rows > 1 or put.cols > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + put.rows - 1, end_column=c + put.cols - 1)
        if put.rows == 1:
            span = sum(WIDTHS.get(put.col + k, 10) for k in range(put.cols))
            height = line_height(cell_text(put, style), span)
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, height)
    for r in range(table_top, table_top + plan.height):
        for c in range(left, left + plan.width):
            ws.cell(r, c).border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
    row = table_top + plan.height
    for line in plan.after:
        ws.cell(row, left, line).alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=left + plan.width - 1)
        ws.row_dimensions[row].height = line_height(line, sum(WIDTHS.get(c, 10) for c in range(plan.width)))
        row += 1
    for c in range(plan.width):
        ws.column_dimensions[get_column_letter(left + c)].width = WIDTHS.get(c, 10)
    ws.print_title_rows = f"{table_top + plan.header_row}:{table_top + plan.header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_xlsx(path: Path, sheets: list[tuple[str, Form, Style]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, form, style in sheets:
        write_sheet(book.create_sheet(name), form, style)
    book.save(path)


def write_docx(path: Path, forms: list[tuple[Form, Style]]) -> None:
    """One document, the forms one after another on new pages (as published collections are)."""
    document = docx.Document()
    for index, (form, style) in enumerate(forms):
        if index:
            document.add_page_break()
        add_docx_form(document, form, style)
    document.save(str(path))


def add_docx_form(document: Any, form: Form, style: Style) -> None:
    plan = layout(form, style)
    for line in plan.before:
        document.add_paragraph(line)
    table = document.add_table(rows=plan.height, cols=plan.width)
    table.style = "Table Grid"
    for put in plan.cells:
        cell = table.cell(put.row, put.col)
        if put.rows > 1 or put.cols > 1:
            cell = cell.merge(table.cell(put.row + put.rows - 1, put.col + put.cols - 1))
        cell.text = cell_text(put, style)
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(8)
    for line in plan.after:
        document.add_paragraph(line)


def soffice(target: str, files: list[Path]) -> None:
    """Convert with LibreOffice as users do ("另存为"), into the fixtures directory."""
    with tempfile.TemporaryDirectory() as home:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", target, "--outdir", str(OUT), *map(str, files)],
            check=True,
            env={**os.environ, "HOME": home},
            capture_output=True,
            timeout=300,
        )


def scanned_pdf(source: Path, path: Path) -> None:
    """An image-only PDF (what a scanner gives): page 1 of ``source`` rendered to a bitmap."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", "-png", str(source), f"{work}/page"],
            check=True,
        )
        image = Image.open(next(Path(work).glob("page*.png")))
        image.save(path, "PDF", resolution=30)


def encrypted_xlsx(source: Path, path: Path) -> None:
    with source.open("rb") as plain, path.open("wb") as sealed:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("jixiao", sealed)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    seed = jsonio.read(ROOT / "examples" / "qiannan-2022.json")
    project = load_truth("012")
    split = load_truth("005")
    department = Style()
    write_xlsx(OUT / "seed.xlsx", [("自评表", seed, department)])
    write_xlsx(
        OUT / "seed-shifted.xlsx",
        [("Sheet1", seed, Style(text_numbers=True, blank_rows=True, origin=(4, 3)))],
    )
    write_docx(OUT / "seed.docx", [(seed, department)])
    write_docx(OUT / "two-forms.docx", [(seed, department), (project, Style())])
    write_xlsx(OUT / "project-012.xlsx", [("项目", project, Style())])
    write_docx(OUT / "project-012.docx", [(project, Style())])
    write_xlsx(OUT / "project-016.xlsx", [("Sheet1", load_truth("016"), Style(origin=(2, 2)))])
    typed = Style(text_numbers=True, blank_rows=True)
    write_xlsx(OUT / "project-008.xlsx", [("Sheet1", load_truth("008"), typed)])
    write_xlsx(
        OUT / "split-005.xlsx",
        [("自评表", split, Style(money_unit="元", split_targets=True))],
    )
    write_xlsx(
        OUT / "two-forms.xlsx",
        [("黔南组织部", seed, department), ("中江水利", project, Style(blank_rows=True))],
    )
    soffice("xls", [OUT / "seed.xlsx", OUT / "project-012.xlsx"])
    soffice(
        "pdf",
        [OUT / "seed.xlsx", OUT / "seed-shifted.xlsx", OUT / "project-012.xlsx", OUT / "split-005.xlsx"],
    )
    scanned_pdf(OUT / "seed.pdf", OUT / "scanned.pdf")
    encrypted_xlsx(OUT / "seed.xlsx", OUT / "encrypted.xlsx")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:24} {path.stat().st_size:>8} bytes")


if __name__ == "__main__":
    main()
