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


@pytest.mark.parametrize("name", ["seed.pdf", "seed-shifted.pdf"])
def test_multi_page_seed_reads_exactly_as_the_transcription(name: str, seed_json: str) -> None:
    with pdfplumber.open(FIXTURES / name) as pdf:
        assert len(pdf.pages) > 2  # the indicator header is repeated on every page
    form, notes = read(FIXTURES / name)
    assert jsonio.dumps(form) == seed_json
    assert notes == []


def test_provenance_names_the_page() -> None:
    form, _ = read(FIXTURES / "seed.pdf")
    first, last = form.where("indicators[0]"), form.where(f"indicators[{len(form.indicators) - 1}]")
    assert first is not None and last is not None
    assert first.page is not None and last.page is not None and last.page > first.page


@pytest.mark.parametrize(("name", "truth"), [("project-012.pdf", "012"), ("split-005.pdf", "005")])
def test_project_pdfs_read_as_their_ground_truth(
    name: str, truth: str, truth_json: Truth, as_truth: AsTruth
) -> None:
    form, _ = read(FIXTURES / name)
    assert as_truth(form) == truth_json(truth)


def test_scanned_pdf_says_there_is_no_text_layer() -> None:
    with pytest.raises(InputError) as caught:
        read(FIXTURES / "scanned.pdf")
    assert "扫描件" in caught.value.message and "OCR" in caught.value.message
    assert caught.value.place == str(FIXTURES / "scanned.pdf")
