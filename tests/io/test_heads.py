"""Head layouts: unit, project, year, kind and total come back right or doubted however the head is printed.

Every development truth's head is printed in every layout of the head generator (:mod:`jixiao.io.heads`):
labels and values in one row of cells, on alternate lines, two to a line, side by side, the year only in
the title, the unit in a 填报单位（盖章） line, a 单位：万元 line, page prose before the title naming the
other kind of form or the year of publication; and the 总分 row in each of its printings.
"""

from __future__ import annotations

import random

import pytest

from jixiao.io.accuracy import HEAD_FIELDS, FieldResult, accuracy, compare, development_truths
from jixiao.io.damage import Sheet, damaged, pipes, spaces
from jixiao.io.damage import render as render_national
from jixiao.io.heads import FOOTERS, HEAD_LAYOUTS, HEAD_SHAPES, head_text
from jixiao.io.notes import doubted
from jixiao.io.text import parse_text

from ..conftest import DATA

TRUTHS = development_truths(DATA)
EXACT_MIN = 0.9  # the head generator's floor: most head fields read right, the rest doubted


def _head_results(layout: str, shape: str, footer: str = "weights_then_score") -> list[FieldResult]:
    results = []
    for _, truth in TRUTHS:
        form, notes = parse_text(head_text(truth, layout, shape, footer), "head.txt")
        results += [r for r in compare(form, truth, notes) if r.path in HEAD_FIELDS]
    return results


@pytest.mark.parametrize("shape", HEAD_SHAPES)
@pytest.mark.parametrize("layout", HEAD_LAYOUTS)
def test_every_head_field_is_right_or_doubted_in_every_layout(layout: str, shape: str) -> None:
    results = _head_results(layout, shape)
    silent = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in results if r.silently_wrong]
    assert not silent and accuracy(results) >= EXACT_MIN, silent


@pytest.mark.parametrize("shape", HEAD_SHAPES)
@pytest.mark.parametrize("footer", FOOTERS)
def test_the_declared_total_is_right_or_doubted_however_the_total_row_prints_it(footer: str, shape: str) -> None:
    results = [r for r in _head_results("one_row_of_cells", shape, footer) if r.path == "total_declared"]
    assert results and not [r for r in results if r.silently_wrong]


def test_page_prose_naming_the_other_kind_or_the_year_of_publication_is_not_the_form() -> None:
    truth = next(t for name, t in TRUTHS if name == "001")
    for layout in ("page_prose", "prose_year"):
        form, _ = parse_text(head_text(truth, layout), "prose.txt")
        assert (form.kind, form.year) == (truth["kind"], truth["year"]), layout


@pytest.mark.parametrize("shape", HEAD_SHAPES)
def test_a_head_printed_after_the_table_is_read_or_said_missing(shape: str) -> None:
    """A page whose head and funds block come out after the indicator table (a side panel extracted last):
    the text seems to start mid-table, yet every head and funds field is read right or said missing (I21),
    never silently absent."""
    silent = []
    for name, truth in TRUTHS:
        sheet = render_national(truth)
        moved = Sheet((*sheet.rows[sheet.table.start:], *sheet.rows[:sheet.table.start]), sheet.table)
        text = (pipes if shape == "pipes" else spaces)(moved, random.Random(0))
        form, notes = parse_text(text, "moved.txt")
        silent += [f"{name} {r.path}: {r.expected!r} ≠ {r.got!r}" for r in compare(form, truth, notes)
                   if r.silently_wrong and not r.path.startswith("indicators")]
    assert not silent, silent


def test_a_sum_row_after_a_table_without_header_is_its_total() -> None:
    """``合计 | 100 | 95`` under rows read without their header (the last reader to find rows): the total."""
    checked = 0
    for _, truth in TRUTHS:
        if truth.get("total_declared") is None or not truth.get("indicators"):
            continue
        text = damaged(truth, "pipes+header_lost").replace("总分 |", "合计 |")
        form, notes = parse_text(text, "sum.txt")
        if form.indicators:
            checked += 1
            assert form.total_declared == truth["total_declared"] or doubted(notes, "total_declared")
    assert checked >= 5
