"""The template library: every layout it lists is read, and headers nobody taught the importer keep their place.

Each development truth is rendered in each template's indicator columns (the damage generator's
sheet) and read back piped and a cell per line: what comes back is right or doubted.  A real form
with a column the vocabulary does not know (``备注``, ``指标解释``) or a name column headed in words
it lacks must not shift its values into the wrong columns.
"""

from __future__ import annotations

import pytest

from jixiao.io.accuracy import compare, development_truths, honest_share, measure_damage
from jixiao.io.damage import NATIONAL_COLUMNS, damaged
from jixiao.io.templates import Template, columns, load_templates
from jixiao.io.text import parse_text
from jixiao.rules import list_profiles

from ..conftest import DATA

TRUTHS = development_truths(DATA)
SEED_TRUTH = TRUTHS[0][1]
TEMPLATES = load_templates()


def test_every_template_is_scored_by_a_shipped_profile_and_names_its_source() -> None:
    shipped = {profile.id for profile in list_profiles()}
    assert len(TEMPLATES) >= 6 and len({t.id for t in TEMPLATES}) == len(TEMPLATES)
    assert all(t.profile in shipped and t.source for t in TEMPLATES)


def test_a_template_holds_every_field_of_an_indicator_once() -> None:
    for template in TEMPLATES:
        fields = [field for _, field in columns(template) if field]
        assert sorted(fields) == sorted(f for _, f in NATIONAL_COLUMNS), template.id


@pytest.mark.parametrize("operator", ["pipes", "cell_per_line"])
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_template_reads_back_right_or_doubted(template: Template, operator: str) -> None:
    results = measure_damage(TRUTHS, operator, columns(template))
    silent = [f"{r.path}: {r.expected!r} ≠ {r.got!r}" for r in results if r.silently_wrong][:10]
    assert honest_share(results) >= 0.99, silent


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
