"""Tables whose rows carry fewer figures than the header has value columns (issue #9): the name on one line and
its values on the next, target-only and unscored rows, actuals written in words, and a header under which no
row fits its columns.  Each such row is still read, and what is guessed about it is doubted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.io.accuracy import compare, development_truths, honest_share
from jixiao.io.damage import damaged, damaged_truth, tables
from jixiao.io.text import parse_text

from ..conftest import DATA

TRUTHS = development_truths(DATA)
BY_NAME = dict(TRUTHS)


def _seed(name: str) -> int:
    return sum(map(ord, name))


def test_values_below_puts_each_rows_values_on_the_line_after_its_name() -> None:
    lines = damaged(BY_NAME["seed"], "values_below").splitlines()
    at = lines.index("人员工资支出") if "人员工资支出" in lines else next(n for n, t in enumerate(lines) if t.endswith("人员工资支出"))
    assert lines[at + 1] == "962.44万元 1121.06万元 2 2"


def test_values_missing_blanks_and_words_what_its_truth_says() -> None:
    truth = damaged_truth(BY_NAME["seed"], "pipes+values_missing", 7)
    rows = truth["indicators"]
    assert any(r["actual"] is None and r["score_declared"] is None for r in rows)
    assert any(r["actual"] in tables()["values_missing"]["words"] for r in rows)
    text = damaged(BY_NAME["seed"], "pipes+values_missing", 7)
    for row in rows:
        line = next(t for t in text.splitlines() if f"| {row['name']} |" in t)
        assert line.split(" | ")[3:7] == [str(v) if v is not None else "" for v in
                                          (row["target"], row["actual"], row["weight"], row["score_declared"])]


def test_a_line_of_fewer_values_below_its_name_is_a_row_and_doubted() -> None:
    # form 002 prints each row's target and 分值 only: under the 4 value columns every line was rejected
    form, notes = parse_text(damaged(BY_NAME["002"], "values_below", _seed("002")), "002.txt")
    truth = BY_NAME["002"]["indicators"]
    assert [i.name for i in form.indicators] == [r["name"] for r in truth]
    assert [(i.target, i.weight) for i in form.indicators] == [(r["target"], Decimal(str(r["weight"]))) for r in truth]
    doubted = {n.path for n in notes if n.code == "I20"}
    assert {f"indicators[{n}]" for n in range(len(truth))} <= doubted


@pytest.mark.parametrize("shape", ["values_below", "values_below+values_missing", "by_column", "page_lines"])
def test_no_development_form_reads_zero_rows_and_nothing_is_silently_wrong(shape: str) -> None:
    zero, results = [], []
    for name, truth in TRUTHS:
        expected = dict(damaged_truth(truth, shape, _seed(name)))
        form, notes = parse_text(damaged(truth, shape, _seed(name)), f"{shape}-{name}.txt")
        if expected.get("indicators") and not form.indicators:
            zero.append(name)
        results += compare(form, expected, notes)
    assert zero == []
    assert honest_share(results) == 1.0


def test_a_header_no_row_fits_is_read_under_the_template_plans_and_said() -> None:
    # the page on a few lines: under the header's columns no row is read in one form; the plans read it
    read = []
    for name, truth in TRUTHS:
        form, notes = parse_text(damaged(truth, "page_lines", _seed(name)), f"{name}.txt")
        if any(n.code == "I08" and n.message.startswith("找到的指标表头下") for n in notes):
            read.append(name)
            assert form.indicators
    assert read


def test_a_bare_number_beside_a_blank_points_cell_is_doubted() -> None:
    # ``name | 10`` with the other cells dropped: the 10 may be the 分值 as well as the target
    text = damaged(BY_NAME["058"], "empty_dropped+values_missing", _seed("058"))
    _, notes = parse_text(text, "058.txt")
    guessed = [n for n in notes if n.code == "I20" and "不带单位的数字" in n.message]
    assert guessed and all(n.path and n.path.startswith("indicators[") for n in guessed)


def test_a_name_whose_first_piece_wrapped_onto_the_line_above_is_read_whole() -> None:
    # spaces+cell_lines: a long name broken over two lines, its values after the second piece; the first
    # piece is the name's, not the reason of the row above (that row printed none)
    truth = BY_NAME["seed"]
    text = damaged(truth, "spaces+cell_lines", _seed("seed"))
    lines = text.splitlines()
    assert any(t.strip() == "选拨" for t in lines)  # the shape this test is about: a piece alone on its line
    form, _ = parse_text(text, "seed.txt")
    names = [i.name.replace(" ", "") for i in form.indicators]
    assert "选拨优秀人才，为招录遴选单位提供人才支撑。" in names
    assert not any(r.reason and "选拨" in r.reason for r in form.indicators)


def test_a_row_whose_merged_level_cells_were_left_out_keeps_its_name_and_blank_cells() -> None:
    # an HTML table with rowspan level cells: a later row of a group starts at its name, its blank value cells
    # kept; the line after a row with no reason cell is that next row, not the reason
    text = damaged(BY_NAME["seed"], "pipes_rowspan+values_missing", 7)
    truth = damaged_truth(BY_NAME["seed"], "pipes_rowspan+values_missing", 7)
    form, notes = parse_text(text, "seed.txt")
    assert [i.name for i in form.indicators] == [r["name"] for r in truth["indicators"]]
    assert all(i.reason is None for i in form.indicators)
    results = compare(form, dict(truth), notes)
    assert honest_share(results) == 1.0 and sum(r.ok for r in results) >= 0.99 * len(results)
