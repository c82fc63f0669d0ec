"""A grid whose indicator header row is missing, read through the text pipeline (:mod:`jixiao.io.gridtext`)."""

from __future__ import annotations

import pytest

from jixiao.errors import LimitError
from jixiao.io.grid import Cell
from jixiao.io.gridtext import form_from_rows
from jixiao.model import FORM_LIMITS, Location

SHEET = Location(file="headless.xlsx", sheet="Sheet1")


def _rows(grid: list[list[str]]) -> list[list[Cell]]:
    """The cells as the xlsx reader gives them: each at its row and column."""
    return [[Cell(text, SHEET.model_copy(update={"row": r, "column": chr(ord("A") + c)})) for c, text in enumerate(row)]
            for r, row in enumerate(grid, start=1)]


def test_rows_of_equal_length_stay_rows_of_their_own() -> None:
    """Three rows as long as each other and the longest: a text file cut at that width would show it, a grid's
    rows never are cut. Each indicator keeps its own row (provenance) and no wrap is said to be repaired."""
    grid = [
        ["项目支出绩效自评表"],
        ["项目名称", "某项目"],
        ["产出指标", "数量指标", "培训人数", "100人", "120人", "25", "25"],
        ["产出指标", "数量指标", "培训场次", "200次", "210次", "25", "25"],
        ["效益指标", "社会效益", "受益人数", "300人", "310人", "25", "25"],
        ["满意度指标", "满意度", "群众满意", "90%", "95%", "25", "25"],
        ["总分", "100", "100"],
    ]
    form, notes = form_from_rows(_rows(grid), SHEET)
    assert [item.name for item in form.indicators] == ["培训人数", "培训场次", "受益人数", "群众满意"]
    assert [form.provenance[f"indicators[{n}]"].row for n in range(4)] == [3, 4, 5, 6]
    assert [item.score_declared for item in form.indicators] == [25, 25, 25, 25]
    assert not [note for note in notes if note.code == "I06"]


def test_more_rows_than_a_form_has_are_refused_as_such() -> None:
    """A header-less sheet of more indicator rows than the form limits allow: the refusal says so (and names the
    sheet), not that no form was found."""
    rows = [["产出指标", "数量指标", f"培训人数{n}", f"{n}人", f"{n}人", "1", "1"] for n in range(FORM_LIMITS.max_indicators + 1)]
    with pytest.raises(LimitError) as refused:
        form_from_rows(_rows([["项目支出绩效自评表"], *rows]), SHEET)
    assert "行数过多" in refused.value.message and refused.value.place == SHEET.describe()
