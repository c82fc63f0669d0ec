"""The PDF: Chinese text extractable (the embedded fonts map every glyph), fonts embedded,
header repeated on later pages, pages render to non-blank PNGs, hostile sizes still render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.audit import Finding
from jixiao.model import Form
from jixiao.report import pdf
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
