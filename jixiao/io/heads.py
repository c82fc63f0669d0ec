"""Head layouts (表头版式): the ways a form prints its unit, project, year and kind, as a generator.

The head of a 绩效自评表 — 项目名称, 主管部门, 实施单位 (or 部门（单位）名称), the year — is printed in many
ways: a label and its value in one line of cells, labels and values on alternate lines, two labels on a
line, 项目名称 and 主管部门 side by side, the year only in the title, the unit in a ``填报单位（盖章）：``
line, a ``单位：万元`` line that names the money unit, not the unit.  Each layout here prints a truth's
head that way; the rest of the form follows as the national form in pipes (:mod:`.damage`).  Reading
the text back, every head field must come back right or doubted (``tests/io/test_heads.py``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from .damage import Cell, Sheet, pipes, render, spaces

#: The 主管部门 the layouts print beside the unit (the truths do not assert one).
DEPARTMENT = "县财政局"


def _value(truth: Mapping[str, Any], name: str) -> str:
    value = truth.get(name)
    return "" if value is None else str(value)


def _year(truth: Mapping[str, Any]) -> str:
    return f"（{truth['year']}年度）" if truth.get("year") else ""


def _title(truth: Mapping[str, Any]) -> str:
    return "部门整体支出绩效自评表" if truth.get("kind") == "department" else "项目支出绩效自评表"


def _pairs(truth: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The head's (label, value) pairs in the national order."""
    if truth.get("kind") == "department":
        return [("部门（单位）名称", _value(truth, "unit"))]
    return [("项目名称", _value(truth, "project")), ("主管部门", DEPARTMENT), ("实施单位", _value(truth, "unit"))]


def one_row_of_cells(truth: Mapping[str, Any]) -> list[str]:
    """Every label and value of the head in one row of cells: ``项目名称 | X | 主管部门 | D | 实施单位 | U``."""
    return [_title(truth), _year(truth), " | ".join(f"{label} | {value}" for label, value in _pairs(truth))]


def alternate_lines(truth: Mapping[str, Any]) -> list[str]:
    """A label on one line, its value on the next (a table read cell by cell)."""
    return [_title(truth), _year(truth), *(text for pair in _pairs(truth) for text in pair)]


def two_per_line(truth: Mapping[str, Any]) -> list[str]:
    """``项目名称：X  主管部门：D`` then ``实施单位：U  填报日期：…``: two labelled values on a line."""
    pairs = [*_pairs(truth), ("填报日期", "2024年3月1日")]
    lines = ["  ".join(f"{label}：{value}" for label, value in pairs[n : n + 2]) for n in range(0, len(pairs), 2)]
    return [_title(truth), _year(truth), *lines]


def side_by_side(truth: Mapping[str, Any]) -> list[str]:
    """``项目名称 X 主管部门 D`` on one line separated by spaces, then ``实施单位 U``."""
    pairs = _pairs(truth)
    return [_title(truth), _year(truth), " ".join(" ".join(pair) for pair in pairs[:2]),
            *(" ".join(pair) for pair in pairs[2:])]


def year_in_title(truth: Mapping[str, Any]) -> list[str]:
    """The year only in the title (``2022年度项目支出绩效自评表``), no ``（2022年度）`` line."""
    year = f"{truth['year']}年度" if truth.get("year") else ""
    return [f"{year}{_title(truth)}", *(f"{label} | {value}" for label, value in _pairs(truth))]


_NUMERALS = "〇一二三四五六七八九"


def year_in_numerals(truth: Mapping[str, Any]) -> list[str]:
    """The year in Chinese numerals in the title (``二〇二二年度项目支出绩效自评表``), as official titles print it."""
    year = "".join(_NUMERALS[int(d)] for d in str(truth["year"])) + "年度" if truth.get("year") else ""
    return [f"{year}{_title(truth)}", *(f"{label} | {value}" for label, value in _pairs(truth))]


def full_width_year(truth: Mapping[str, Any]) -> list[str]:
    """The year in full-width figures (``（２０２２年度）``), as a Word file or an OCR text may print it."""
    year = _year(truth).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    return [_title(truth), year, *(f"{label} | {value}" for label, value in _pairs(truth))]


def _unit_line_first(truth: Mapping[str, Any], unit_line: str, project_row: str) -> list[str]:
    """The title, a line naming the unit, then (a project form) the project's row."""
    lines = [_title(truth), _year(truth), unit_line]
    if truth.get("kind") != "department":
        lines.append(project_row)
    return lines


def sealed_unit(truth: Mapping[str, Any]) -> list[str]:
    """The unit in a ``填报单位（盖章）：U`` line under the title, the project in its own row."""
    return _unit_line_first(truth, f"填报单位（盖章）：{_value(truth, 'unit')}", f"项目名称 | {_value(truth, 'project')}")


def money_unit_line(truth: Mapping[str, Any]) -> list[str]:
    """A ``单位：万元`` line (the money unit, not the unit) before the head's cells."""
    return [_title(truth), _year(truth), "单位：万元", *(f"{label} | {value}" for label, value in _pairs(truth))]


def page_prose(truth: Mapping[str, Any]) -> list[str]:
    """The page's own prose before the title names the other kind of form (a 决算 page publishing both)."""
    other = "项目支出" if truth.get("kind") == "department" else "部门整体支出"
    return [f"附件：本单位{other}绩效自评情况及下表", *one_row_of_cells(truth)]


def unit_beside_money(truth: Mapping[str, Any]) -> list[str]:
    """``单位名称：U    单位：万元`` on one line, then the project."""
    return _unit_line_first(truth, f"单位名称：{_value(truth, 'unit')}    单位：万元",
                            f"项目名称 | {_value(truth, 'project')} | 主管部门 | {DEPARTMENT}")


def prose_year(truth: Mapping[str, Any]) -> list[str]:
    """The page's heading names the year it was published in (``2025年度部门决算公开``) before the form's own."""
    published = f"{int(truth['year']) + 1}年度" if truth.get("year") else ""
    return [f"{published}部门决算公开", *one_row_of_cells(truth)]


WRAP_CHARS_MIN = 8  # a value this long wraps in a narrow head cell


def wrapped_values(truth: Mapping[str, Any]) -> list[str]:
    """Long values wrapped in their cell: the rest of the value on a line of its own under its label's line."""
    lines = [_title(truth), _year(truth)]
    for label, value in _pairs(truth):
        if len(value) >= WRAP_CHARS_MIN:
            cut = len(value) // 2
            lines += [f"{label} | {value[:cut]}", value[cut:]]
        else:
            lines.append(f"{label} | {value}")
    return lines


HeadLayout = Callable[[Mapping[str, Any]], list[str]]

#: Every head layout by name.
HEAD_LAYOUTS: dict[str, HeadLayout] = {
    "one_row_of_cells": one_row_of_cells,
    "alternate_lines": alternate_lines,
    "two_per_line": two_per_line,
    "side_by_side": side_by_side,
    "year_in_title": year_in_title,
    "year_in_numerals": year_in_numerals,
    "full_width_year": full_width_year,
    "sealed_unit": sealed_unit,
    "money_unit_line": money_unit_line,
    "page_prose": page_prose,
    "unit_beside_money": unit_beside_money,
    "prose_year": prose_year,
    "wrapped_values": wrapped_values,
}

#: The ways the 总分 row prints the declared total (``{}`` is the total).
FOOTERS = {
    "weights_then_score": "总分 | 100 | {}",
    "score_only": "自评总分：{}分",
    "points_in_label": "总分（100分） | {}",
    "sum_row": "合计 | 100 | {}",
    "grand_total": "总计 | 100 | {}",
    "scores_summed": "得分合计 | 100 | {}",
    "weights_and_score_labelled": "总分值 | 100 | 总得分 | {}",
    "words_no_rule_knows": "自评得分 | {}",  # read as no total: said (I21), never silently missing
}
#: How the cells of the head and the body are separated: ``|`` (a web page's table) or spaces (pdftotext).
HEAD_SHAPES = ("pipes", "spaces")


def _body(sheet: Sheet) -> Sheet:
    """The sheet from its funds block on (the national head dropped)."""
    first = next(n for n, row in enumerate(sheet.rows) if row and row[0].text.startswith("项目资金"))
    return Sheet(sheet.rows[first:], range(sheet.table.start - first, sheet.table.stop - first))


def head_text(truth: Mapping[str, Any], layout: str, shape: str = "pipes", footer: str = "weights_then_score") -> str:
    """``truth``'s form with its head printed in ``layout``, the rest as the national form, cells separated
    as ``shape`` says, the 总分 row as ``footer`` prints it."""
    head = [line for line in HEAD_LAYOUTS[layout](truth) if line]
    body = _body(render(truth))
    total = "" if truth.get("total_declared") is None else str(truth["total_declared"])
    cells = tuple(Cell(text.strip(), label=n == 0) for n, text in enumerate(FOOTERS[footer].format(total).split("|")))
    body = Sheet((*body.rows[:-1], cells), body.table)
    if shape == "spaces":
        return "\n".join([*(line.replace(" | ", " ") for line in head), spaces(body, random.Random(0))])
    return "\n".join([*head, pipes(body, random.Random(0))])
