"""PDF import: text-layer PDFs of the official table (LibreOffice exports of the fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from jixiao.errors import InputError
from jixiao.io import jsonio, read
from jixiao.model import Form

Truth = Callable[[str], str]
AsTruth = Callable[[Form], str]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_multi_page_seed_reads_exactly_as_the_transcription(seed_json: str) -> None:
    with pdfplumber.open(FIXTURES / "seed.pdf") as pdf:
        assert len(pdf.pages) > 2  # the indicator header is repeated on every page
    form, notes = read(FIXTURES / "seed.pdf")
    assert jsonio.dumps(form) == seed_json
    assert notes == []


def test_provenance_names_the_page() -> None:
    form, _ = read(FIXTURES / "seed.pdf")
    first, last = form.where("indicators[0]"), form.where(f"indicators[{len(form.indicators) - 1}]")
    assert first is not None and last is not None
    assert first.page is not None and last.page is not None and last.page > first.page


def test_project_pdf_reads_as_its_ground_truth(truth_json: Truth, as_truth: AsTruth) -> None:
    form, _ = read(FIXTURES / "project-012.pdf")
    assert as_truth(form) == truth_json("012")


def test_scanned_pdf_says_there_is_no_text_layer() -> None:
    with pytest.raises(InputError) as caught:
        read(FIXTURES / "scanned.pdf")
    assert "扫描件" in caught.value.message and "OCR" in caught.value.message
    assert caught.value.place == str(FIXTURES / "scanned.pdf")
