"""One vocabulary for every reader: a header spelling taught once is understood in text and in grids."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.io.grid import FUNDS_ROLES, INDICATOR_ROLES, Cell, match_roles
from jixiao.io.gridtext import form_from_rows
from jixiao.io.text import parse_text
from jixiao.io.textlabels import Column, column_of, key
from jixiao.io.vocabulary import role_of, roles
from jixiao.model import Location
from jixiao.report.layout import list_layouts, load_layout

HERE = Location(file="vocabulary.xlsx")


def _row(*texts: str) -> list[Cell]:
    return [Cell(text, HERE) for text in texts]


@pytest.mark.parametrize("name", list_layouts())
def test_every_exported_header_is_in_the_vocabulary(name: str) -> None:
    """What jixiao exports, jixiao reads: each column header of each shipped layout names a role."""
    layout = load_layout(name)
    indicator_roles = match_roles(_row(*layout.indicators.headers), INDICATOR_ROLES)
    assert len(indicator_roles) == len(layout.indicators.headers)
    assert set(indicator_roles) >= {"level1", "level2", "name", "target", "actual", "weight", "score", "reason"}
    funds = layout.funds.headers[1:]  # the first heads the row labels (资金来源)
    assert len(match_roles(_row(*funds), FUNDS_ROLES)) == len(funds)
    assert role_of(key(layout.review_header), "indicator_columns") == "review"


def test_a_synonym_is_never_claimed_by_two_roles() -> None:
    for section in ("indicator_columns", "funds_columns", "goal_columns"):
        words = [word for _, synonyms in roles(section) for word in synonyms]
        assert len(words) == len(set(words)), section


def test_the_longest_synonym_inside_a_cell_names_its_role() -> None:
    """A grid cell with a column mark or extra words still names one role, the most specific one."""
    found = match_roles(_row("调整后指标值（B）", "得分系数(%)", "年初预算数（A）", "全年完成值（C）"), INDICATOR_ROLES)
    assert found == {"adjusted": 0, "coefficient": 1, "actual": 3}
    assert match_roles(_row("项目", "年度预算数", "全年执行数"), FUNDS_ROLES) == {"executed": 2}


def test_grid_and_text_read_the_same_headers() -> None:
    """年初目标值 | 全年完成值 names target and actual for the text reader and for the grid reader alike."""
    rows = [
        _row("一级指标", "二级指标", "三级指标", "年初目标值", "全年完成值", "分值", "得分"),
        _row("产出指标", "数量指标", "培训人数", "≥20人", "18人", "15", "13.5"),
    ]
    form, _ = form_from_rows(rows, HERE)
    indicator = form.indicators[0]
    assert (indicator.target, indicator.actual, indicator.weight) == ("≥20人", "18人", Decimal(15))
    text = "\n".join(" | ".join(cell.text or "" for cell in row) + " |" for row in rows) + "\n总分 | 100 | 95 |"
    parsed, _ = parse_text(text)
    assert (parsed.indicators[0].target, parsed.indicators[0].actual) == ("≥20人", "18人")
    assert column_of(key("年初目标值")) is Column.TARGET and column_of(key("全年完成值")) is Column.ACTUAL
