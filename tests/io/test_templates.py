"""The template library: every layout it lists is read, and headers nobody taught the importer keep their place.

Each development truth is rendered in each template's indicator columns (the damage generator's
sheet) and read back piped and a cell per line: what comes back is right or doubted.  A real form
with a column the vocabulary does not know (``备注``, ``指标解释``) or a name column headed in words
it lacks must not shift its values into the wrong columns.
"""

from __future__ import annotations

import tomllib

import pytest

from jixiao.errors import InputError
from jixiao.io.accuracy import (
    accuracy,
    compare,
    development_truths,
    honest_share,
    measure_template,
    template_text,
)
from jixiao.io.constraints import settings
from jixiao.io.coverage import atoms
from jixiao.io.damage import NATIONAL_COLUMNS, damaged
from jixiao.io.templates import INDICATOR_FIELDS, Template, columns, load_templates, printed_truth
from jixiao.io.text import parse_text
from jixiao.rules import list_profiles

from ..conftest import DATA

TRUTHS = development_truths(DATA)
SEED_TRUTH = TRUTHS[0][1]
TEMPLATES = load_templates()
#: The text shapes every template is rendered in (tests/data/template-floors.toml holds their floors).
TEMPLATE_SHAPES = ("pipes", "spaces", "glued", "cell_per_line", "one_line", "pipes+header_lost")
ROW_VALUES = settings().blocks.unplaced_values
FLOORS = tomllib.loads((DATA / "template-floors.toml").read_text(encoding="utf-8"))["templates"]


def test_every_template_is_scored_by_a_shipped_profile_and_names_its_source() -> None:
    shipped = {profile.id for profile in list_profiles()}
    assert len(TEMPLATES) >= 15 and len({t.id for t in TEMPLATES}) == len(TEMPLATES)
    assert all(t.profile in shipped and t.source for t in TEMPLATES)


def test_the_templates_a_profile_names_are_in_the_library() -> None:
    """A profile's ``templates`` list names layouts the library renders (the seed's own form aside)."""
    library = {t.id for t in TEMPLATES}
    named = {name for profile in list_profiles() for name in profile.templates} - {"seed-qiannan-2022"}
    assert named <= library, named - library


def test_a_template_holds_each_field_of_an_indicator_once_and_always_a_name() -> None:
    for template in TEMPLATES:
        fields = [field for _, field in columns(template) if field]
        assert "name" in fields and len(fields) == len(set(fields)), template.id
        assert set(fields) <= {f for _, f in NATIONAL_COLUMNS}, template.id


def test_a_field_the_template_prints_no_column_for_is_not_asserted() -> None:
    no_score = next(t for t in TEMPLATES if t.id == "no-score")
    printed = printed_truth(SEED_TRUTH, no_score)
    assert all(item["score_declared"] is None for item in printed["indicators"])
    assert any(item["weight"] is not None for item in printed["indicators"])


@pytest.mark.parametrize("operator", ["pipes", "cell_per_line"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_template_reads_back_right_or_doubted(template: Template, operator: str) -> None:
    results = measure_template(TRUTHS, template, operator)
    silent = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in results if r.silently_wrong][:10]
    assert honest_share(results) >= 0.99, silent


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_template_holds_its_floors_in_every_shape(template: Template) -> None:
    """The ratchet (``bench/import_accuracy.py --ratchet``): no template gets worse in any shape."""
    floors = FLOORS[template.id]
    low = []
    for shape in TEMPLATE_SHAPES:
        results = measure_template(TRUTHS, template, shape)
        exact, honest = accuracy(results), honest_share(results)
        if exact < floors[shape]["exact"] or honest < floors[shape]["honest"]:
            low.append(f"{shape}: {exact:.3f}/{honest:.3f} < {floors[shape]}")
    assert not low, low


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_a_table_read_with_no_row_says_where_its_values_stand(template: Template) -> None:
    """Zero rows read from a region that holds values is never silent: I25 on the list names the lines.

    The region starts at the indicator header, or at the first level label when the header was lost.
    """
    for shape in TEMPLATE_SHAPES:
        for name, truth in TRUTHS:
            printed = printed_truth(truth, template)["indicators"]
            if sum(len(atoms(str(item.get(f) or ""))) for item in printed for f in INDICATOR_FIELDS) < ROW_VALUES:
                continue  # no row's worth of figures printed: nothing betrays a lost table
            if shape.endswith("header_lost") and not any(item.get("level1") or item.get("level2") for item in printed):
                continue  # neither a header nor a level label marks where the table is (I21 says no row was read)
            try:
                form, notes = parse_text(template_text(truth, template, shape, sum(map(ord, name))), "t.txt")
            except InputError:
                continue  # refused: said loudly
            if not form.indicators:
                assert any(n.code == "I25" and n.path == "indicators" and "行" in n.message for n in notes), \
                    (template.id, shape, name)


UNKNOWN = [
    ("in the middle", (NATIONAL_COLUMNS[0], ("指标解释", ""), *NATIONAL_COLUMNS[1:])),
    ("at the end", (*NATIONAL_COLUMNS, ("备注", ""))),
    ("two of them", (NATIONAL_COLUMNS[0], ("指标解释", ""), *NATIONAL_COLUMNS[1:3], ("核查方式", ""),
                     *NATIONAL_COLUMNS[3:])),
    ("heading the names", (("考核内容", "name"), *NATIONAL_COLUMNS[1:])),
]


@pytest.mark.parametrize("operator", ["pipes", "cell_per_line"])
@pytest.mark.parametrize(("where", "plan"), UNKNOWN, ids=[w for w, _ in UNKNOWN])
def test_a_column_the_vocabulary_does_not_know_keeps_its_place(
        where: str, plan: tuple[tuple[str, str], ...], operator: str) -> None:
    form, _ = parse_text(damaged(SEED_TRUTH, operator, 0, plan), f"{operator}.txt")
    wrong = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in compare(form, SEED_TRUTH) if not r.ok]
    assert not wrong, wrong


def test_header_words_split_in_two_name_their_columns() -> None:
    """``年度指 标值``, ``偏差原因分析及 改进措施``: a wrapped header cell printed as two words is one column."""
    spaced = damaged(SEED_TRUTH, "spaces")
    split = spaced.replace("年度指标值", "年度指 标值").replace("偏差原因分析及改进措施", "偏差原因分析及 改进措施")
    form, _ = parse_text(split, "split.txt")
    wrong = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in compare(form, SEED_TRUTH) if not r.ok]
    assert split != spaced and not wrong, wrong


def test_a_table_without_a_score_column_reads_the_rest_and_says_the_score_is_absent() -> None:
    no_score = next(t for t in TEMPLATES if t.id == "no-score")
    form, notes = parse_text(template_text(SEED_TRUTH, no_score, "pipes"), "no-score.txt")
    assert form.indicators and all(i.score_declared is None for i in form.indicators)
    assert all(i.weight is not None and i.target for i in form.indicators)
    assert any(n.code == "I21" and "没有得分列" in n.message and n.path is None for n in notes)


def test_a_header_the_vocabulary_knows_as_no_field_keeps_its_column_and_its_neighbours() -> None:
    """``上年完成值`` holds last year's figure, not the 完成值: a column of its own, its cells not read."""
    basis = next(t for t in TEMPLATES if t.id == "basis-and-evidence")
    form, notes = parse_text(template_text(SEED_TRUTH, basis, "pipes"), "basis.txt")
    wrong = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in compare(form, printed_truth(SEED_TRUTH, basis), notes)
             if not r.ok]
    assert not wrong, wrong
