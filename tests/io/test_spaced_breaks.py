"""A table with cells separated by single spaces whose text cells broke over two lines (real forms rendered so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.io.accuracy import compare, development_truths, silently_wrong
from jixiao.io.damage import damaged, damaged_truth
from jixiao.io.text import parse_text
from jixiao.io.textrepair import spaced_cells

DATA = Path(__file__).resolve().parents[1] / "data"
TRUTHS = dict(development_truths(DATA))


@pytest.mark.parametrize(("name", "kept"), [("005", "资金到位及时率"), ("058", "梨树种植面积")])
def test_a_name_broken_over_two_lines_is_read_whole(name: str, kept: str) -> None:
    """005 breaks its header (``… 年度指`` / ``标值 …``) and ``资金到位`` / ``及时率 ≧100% …``; 058 ``梨树种植`` /
    ``面积 6亩 6亩``: each row is joined where its cell broke and nothing is silently wrong."""
    truth, seed = TRUTHS[name], sum(map(ord, name))
    form, notes = parse_text(damaged(truth, "spaces+cell_lines", seed), f"{name}.txt")
    assert kept in [i.name for i in form.indicators]
    assert silently_wrong(compare(form, dict(damaged_truth(truth, "spaces+cell_lines", seed)), notes)) == 0


def test_row_lines_that_lack_cells_are_not_joined() -> None:
    """048 prints rows with only a name and a figure (``办公用房面积(平方米) 500``) and its header's first cell
    broken over two one-word lines (``一级`` / ``指标``): no line ends inside a text cell, nothing is joined."""
    lines = list(enumerate((DATA / "corpus" / "048.txt").read_text(encoding="utf-8").splitlines(), 1))
    assert not any("折行" in note.message for note in spaced_cells(lines, "048.txt").notes)
