"""Coverage of the indicator table: values no row read mean rows were lost (I25), said on the whole list.

The reader is simulated losing rows: a development truth is rendered as real extraction does
(:mod:`jixiao.io.damage`), read by the real reader, and rows are taken out of what it read.  What is
left unplaced must be noted; a table read whole must leave nothing (development forms set the bar).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.io.accuracy import corpus_part, development_truths, match_indicators, template_text
from jixiao.io.coverage import atoms, coverage_doubts, residue
from jixiao.io.damage import NATIONAL_COLUMNS, damaged
from jixiao.io.notes import MISSING_ROWS, doubted
from jixiao.io.templates import load_templates, printed_truth
from jixiao.io.text import parse_text, read_text
from jixiao.io.textrows import Table, read_table
from jixiao.io.textscan import Token, tokenize
from jixiao.model import Location

from ..conftest import DATA, corpus_truth

CORPUS = DATA / "corpus"
TRUTHS = development_truths(DATA)
FOUR_CELLS = 4  # a row whose target, actual, 分值 and 得分 are all printed


def _at(line: int) -> Location:
    return Location(file="test.txt", line=line)


def _read(text: str) -> tuple[list[Token], Table]:
    """The indicator table as the word reader reads it (the shapes used here need no repair)."""
    tokens = tokenize(list(enumerate(text.splitlines(), 1)))
    return tokens, read_table(tokens)


def _lose(table: Table, index: int) -> Table:
    """The table a reader that lost row ``index`` would have read."""
    return Table([row for n, row in enumerate(table.rows) if n != index], table.end, table.last, table.header_found,
                 columns=table.columns, blocks=table.blocks)


def _cells(truth: dict[str, Any], index: int) -> int:
    row: dict[str, Any] = truth["indicators"][index]
    return sum(len(atoms(str(row.get(name) or ""))) for name in ("target", "actual", "weight", "score_declared"))


def test_atoms_are_numbers_and_answer_words() -> None:
    assert atoms("≥95%") == ["95"]
    assert atoms("1,200.50万元") == ["1200.5"]
    assert atoms("达标") == ["达标"]
    assert atoms("按时完成") == []


@pytest.mark.parametrize("operator", ["spaces", "pipes"])
def test_a_table_read_whole_leaves_no_value_unplaced(operator: str) -> None:
    for name, truth in TRUTHS:
        tokens, table = _read(damaged(truth, operator, sum(map(ord, name)), NATIONAL_COLUMNS))
        if len(table.rows) == len(truth.get("indicators") or []):
            assert coverage_doubts(tokens, table, _at) == [], name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operator=st.sampled_from(["spaces", "pipes"]))
def test_a_row_the_reader_lost_is_said_on_the_rows_not_read(data: st.DataObject, operator: str) -> None:
    name, truth = data.draw(st.sampled_from(TRUTHS))
    tokens, table = _read(damaged(truth, operator, sum(map(ord, name)), NATIONAL_COLUMNS))
    rows = truth.get("indicators") or []
    full = [n for n in range(len(rows)) if _cells(truth, n) >= FOUR_CELLS]
    if len(table.rows) != len(rows) or not full:
        return  # only tables the reader read whole, with a row of four printed cells to lose
    lost = _lose(table, data.draw(st.sampled_from(full)))
    notes = coverage_doubts(tokens, lost, _at)
    assert [(n.code, n.path) for n in notes] == [("I25", MISSING_ROWS)], name
    assert "未归入任何指标行" in notes[0].message and notes[0].location is not None


def test_a_note_on_the_whole_list_already_makes_the_coverage_note_idle() -> None:
    truth = TRUTHS[0][1]
    tokens, table = _read(damaged(truth, "spaces", 1, NATIONAL_COLUMNS))
    known = coverage_doubts(tokens, _lose(table, 0), _at)
    assert known and coverage_doubts(tokens, _lose(table, 0), _at, known) == []


def test_a_row_read_into_the_reason_above_leaves_its_values_unplaced() -> None:
    # development form 020 with its text cells broken at a space: ``WI FI布点全覆盖 100%覆盖 100%覆盖`` became
    # the reason of the row above it
    truth = dict(TRUTHS)["020"]
    text = damaged(truth, "split_cells", sum(map(ord, "020")), NATIONAL_COLUMNS)
    tokens, table = _read(text)
    assert residue(tokens, table).longest_run() >= 2
    notes = parse_text(text, "020.txt")[1]
    assert {"indicators", MISSING_ROWS} & {n.path for n in notes if n.code in ("I20", "I25")}


def _development_forms() -> list[str]:
    return [p.stem for p in sorted(CORPUS.glob("*.txt"))
            if p.with_suffix(".truth.json").exists() and corpus_part(p.stem, DATA / "split.toml") == "development"]


@pytest.mark.parametrize("number", _development_forms())
def test_no_coverage_note_on_a_development_form_whose_rows_were_all_read(number: str) -> None:
    form, notes = read_text(CORPUS / f"{number}.txt")
    truth = corpus_truth(CORPUS / f"{number}.truth.json")
    if len(match_indicators(form, truth.get("indicators") or [])) == len(truth.get("indicators") or []):
        assert not [n for n in notes if n.code == "I25"], number


def test_sentences_and_printed_level_weights_are_no_cells() -> None:
    # 034 explains its scoring in a sentence full of figures; 046 (a rubric) prints each level's 分值 in its cell
    for number in ("034", "046"):
        assert not [n for n in read_text(CORPUS / f"{number}.txt")[1] if n.code == "I25"], number


def test_a_figure_left_on_a_row_s_own_line_doubts_that_row() -> None:
    """Form 014 without its 得分 column, glued: ``足额保障率=100%22.5`` cut as target ``=100%2``… and 分值 2.5 leaves
    ``22.5`` read by no row on the row's line; each such row is doubted (I20 on its path), the rows read right are not."""
    template = next(t for t in load_templates() if t.id == "no-score")
    truth = dict(TRUTHS)["014"]
    form, notes = parse_text(template_text(truth, template, "glued", sum(map(ord, "014"))), "014.txt")
    expected = printed_truth(truth, template)["indicators"]
    wrong = [n for n, (item, row) in enumerate(zip(form.indicators, expected, strict=False))
             if item.weight != row["weight"]]
    assert wrong, "the cut this test is about is no longer made: pick another form"
    assert all(doubted(notes, f"indicators[{n}]") for n in wrong)
    _, plain_notes = parse_text(damaged(truth, "pipes"), "014.txt")
    assert not any(n.code == "I20" and (n.path or "").startswith("indicators[") for n in plain_notes)
