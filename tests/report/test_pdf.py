"""The PDF: Chinese text extractable (the embedded fonts map every glyph), fonts embedded,
header repeated on later pages, pages render to non-blank PNGs, hostile sizes still render."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from jixiao.audit import Finding, evaluate
from jixiao.cli.export import Target, writer
from jixiao.demo import units
from jixiao.model import FORM_LIMITS, Form, fullest
from jixiao.report import pdf
from jixiao.rules import AUTO, resolve_profile
from jixiao.scoring import Scorecard

from .conftest import complete_truths, truth_form

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", "", result.stdout)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


@needs_poppler
def test_seed_text_is_extractable_chinese(seed_form: Form, tmp_path: Path) -> None:
    path = pdf.write(seed_form, None, [], tmp_path / "seed.pdf")
    text = pdf_text(path)
    for expected in (
        "部门整体支出绩效目标自评表",
        "（2022年度）",
        "单位（盖章）：中共黔南州委组织部",
        "产出指标(50分)",
        "≥300份",
        "1984.37万元",
        "97.5",
        "联系电话：8233537",
        "各三级指标得分最高不能超过该指标分值上限",
    ):
        assert expected in text, expected
    for indicator in seed_form.indicators:
        assert re.sub(r"\s+", "", indicator.name)[:8] in text


@needs_poppler
def test_every_font_is_embedded(seed_form: Form, tmp_path: Path) -> None:
    path = pdf.write(seed_form, None, [], tmp_path / "seed.pdf")
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # emb sub uni
    assert any("DroidSansFallback" in r for r in rows) and any("DejaVuSans" in r for r in rows)


@needs_poppler
def test_indicator_header_repeats_on_every_page(seed_form: Form, tmp_path: Path) -> None:
    path = pdf.write(seed_form, None, [], tmp_path / "seed.pdf")
    pages = page_count(path)
    assert pages >= 2
    for page in range(2, pages + 1):
        text = pdf_text(path, page)
        assert all(header in text for header in ("一级指标", "二级指标", "三级指标", "年度指标值(A)")), page


@needs_poppler
def test_text_taller_than_a_page_moves_to_a_note(seed_form: Form, tmp_path: Path) -> None:
    seed_form.goals.expected = "坚持以人民为中心，" * 900
    seed_form.indicators[0].reason = "<b>不是标记</b> & 原因" * 3
    path = pdf.write(seed_form, None, [], tmp_path / "long.pdf")
    assert page_count(path) >= 3
    text = re.sub(r"第\d+页", "", pdf_text(path))  # page footers may fall inside the note
    assert "（内容较长，见表后附注1）" in text and "附注1：坚持以人民为中心" in text
    assert text.count("坚持以人民为中心") == 900  # nothing lost
    assert "<b>不是标记</b>&原因" in text


@needs_poppler
def test_project_forms_use_project_layout(data_dir: Path, tmp_path: Path) -> None:
    for truth in complete_truths(data_dir):
        form = truth_form(truth)
        text = pdf_text(pdf.write(form, None, [], tmp_path / f"{truth.stem}.pdf"))
        title = "项目支出绩效自评表" if form.kind == "project" else "部门整体支出绩效目标自评表"
        assert title in text, truth.name
        assert re.sub(r"\s+", "", form.indicators[0].name)[:6] in text, truth.name


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pages_render_to_non_blank_png(seed_form: Form, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    stat = pytest.importorskip("PIL.ImageStat")
    path = pdf.write(seed_form, None, [], tmp_path / "seed.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == page_count(path)
    for png in pngs:
        with image.open(png) as picture:
            grey = picture.convert("L")
            assert stat.Stat(grey).stddev[0] > 20  # text and rules, not a blank page
            dark = sum(grey.histogram()[:128])
            assert dark > grey.width * grey.height * 0.005


@needs_poppler
def test_review_column_and_its_note_with_a_scorecard(
    seed_scored: tuple[Form, Scorecard, list[Finding]], tmp_path: Path
) -> None:
    form, card, findings = seed_scored
    text = pdf_text(pdf.write(form, card, findings, tmp_path / "review.pdf"))
    assert "复核得分" in text and f"{card.total:f}" in text
    assert f"复核得分由jixiao按评分规则{card.profile}计算" in text


def pdf_lines(path: Path) -> list[str]:
    """The PDF's text lines as poppler reads them (each cell line on its own)."""
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def demo_and_complete_forms(data_dir: Path) -> list[Form]:
    return [unit.form for unit in units()] + [truth_form(t) for t in complete_truths(data_dir)]


def test_level_labels_are_printed_on_every_page_they_run_onto(seed_form: Form, tmp_path: Path) -> None:
    """Every page's first indicator row carries its 一级/二级 labels (the seed's 效益 block runs onto page 2)."""
    long = seed_form.model_copy(update={"indicators": seed_form.indicators * 3})
    path = pdf.write(long, None, [], tmp_path / "long.pdf")
    with pdfplumber.open(path) as document:
        assert len(document.pages) >= 4
        continued = 0
        for page in document.pages[1:]:
            rows = [row for table in page.find_tables() for row in table.extract()]
            header = next((i for i, row in enumerate(rows) if "三级指标" in (row[3] or "")), None)
            if header is None or header + 1 == len(rows) or "总分" in (rows[header + 1][0] or ""):
                continue  # a page with the table's foot only
            first = rows[header + 1]
            assert first[1] and first[2], (page.page_number, first[:4])
            continued += 1
        assert continued >= 2


@needs_poppler
def test_no_line_starts_with_a_comma_or_semicolon(data_dir: Path, tmp_path: Path) -> None:
    for number, form in enumerate(demo_and_complete_forms(data_dir)):
        path = pdf.write(form, None, [], tmp_path / f"{number}.pdf")
        bad = [line for line in pdf_lines(path) if line[0] in pdf.CANNOT_START_LINE]
        assert not bad, (form.unit, bad)


@needs_poppler
def test_figures_never_wrap(data_dir: Path, tmp_path: Path) -> None:
    """执行率 41.33%, 387664.62 元: each figure is one line of the PDF, whatever its column's width."""
    for number, form in enumerate(demo_and_complete_forms(data_dir)):
        path = pdf.write(form, None, [], tmp_path / f"{number}.pdf")
        lines = pdf_lines(path)
        figures = [form.funds.rate_declared, *(str(v) for r in form.funds.rows
                                                for v in (r.budget, r.executed) if v is not None)]
        for figure in filter(None, figures):
            assert any(figure in line for line in lines), (form.unit, figure)


@needs_poppler
def test_attachment_line_where_the_layout_has_it(seed_form: Form, data_dir: Path, tmp_path: Path) -> None:
    seed = pdf_lines(pdf.write(seed_form, None, [], tmp_path / "seed.pdf"))
    assert seed[:2] == ["附件1", "部门整体支出绩效目标自评表"]
    project = truth_form(complete_truths(data_dir)[0])
    assert "附件1" not in pdf_lines(pdf.write(project, None, [], tmp_path / "project.pdf"))


def _at_the_limits(seed_form: Form, indicators: int) -> Form:
    """The seed filled to the form limits (fifty fund rows, every text at its longest), fewer indicators."""
    return fullest(seed_form, replace(FORM_LIMITS, max_indicators=indicators))


@needs_poppler
def test_a_form_at_the_limits_exports_in_every_format(seed_form: Form, tmp_path: Path) -> None:
    """Fifty fund rows of 200 characters made the top table taller than a page with spans, which reportlab
    cannot break: the PDF export failed (LayoutError) for a form within the limits."""
    form = _at_the_limits(seed_form, 12)
    card, findings = evaluate(form, resolve_profile(AUTO, form))
    for target in Target:
        written = writer(target)(form, card, findings, tmp_path / f"full.{target.value}", None)
        assert written.stat().st_size > 0
    text = pdf_text(tmp_path / "full.pdf")
    assert text.count(form.funds.rows[0].label[:12]) >= FORM_LIMITS.max_fund_rows  # every fund row printed
    assert page_count(tmp_path / "full.pdf") > 12


def test_each_cell_is_wrapped_once_however_many_pages_the_table_runs_over(
    seed_form: Form, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reportlab measures every remaining row again at each page break: a 300-row table over 100 pages had
    every cell broken into lines ~50 times (the export at the limits took minutes). Counted on work, not time."""
    from reportlab.platypus import Paragraph

    form = _at_the_limits(seed_form, 40).model_copy(update={"funds": seed_form.funds})
    made, broken = [0], [0]
    original_init, original_break = Paragraph.__init__, Paragraph.breakLinesCJK

    def counting_init(self: Paragraph, *args: object, **kwargs: object) -> None:
        made[0] += 1
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]

    def counting_break(self: Paragraph, *args: object) -> object:
        broken[0] += 1
        return original_break(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Paragraph, "__init__", counting_init)
    monkeypatch.setattr(Paragraph, "breakLinesCJK", counting_break)
    pdf.write(form, None, [], tmp_path / "long.pdf")
    assert page_count(tmp_path / "long.pdf") >= 20
    assert broken[0] <= 2 * made[0], (broken, made)
