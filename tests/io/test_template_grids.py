"""Every template of the library reads as a grid too: the vocabulary is one for text and cells.

Each development truth is written to a workbook in each template's indicator columns (whatever
``templates.toml`` lists), with the form's head, funds block and 总分 row, and read back by the
workbook reader: every indicator field comes back right or doubted, and hardly more are doubted than in the
national layout, counted over the fields the template prints (a reader that doubts everything is no
reader).  The 总分 is written under 得分 and read back right or doubted.  A header the vocabulary does not know fails to load already
(:func:`jixiao.io.templates.load_templates`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jixiao.io import read
from jixiao.io.accuracy import development_truths
from jixiao.io.notes import doubted
from jixiao.io.templates import Template, columns, load_templates, printed_truth
from jixiao.model import Form
from jixiao.report.xlsx import set_value

from ..conftest import DATA

TRUTHS = development_truths(DATA)
FIELDS = ("name", "target", "actual", "weight", "score_declared")
DOUBT_MARGIN = 0.01  # share of fields a template may doubt beyond the national layout's
ROWS_FOUND_WITHOUT_HEADER = 0.95  # share of the rows a workbook without its indicator header must give back


def _cell(value: Any) -> Any:
    return None if value is None else (value if isinstance(value, Decimal) else str(value))


def _workbook(truth: dict[str, Any], template: Template, path: Path, header: bool = True) -> None:
    """The truth laid out in the template's columns; texts written as the exporter writes them (``=100%``
    is text, not a formula). ``header=False``: the indicator header row is missing (left on the page before)."""
    plan = columns(template)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    rows: list[list[Any]] = []
    rows.append([f"{template.title}（{truth.get('year') or 2022}年度）"])
    rows.append(["单位名称", truth.get("unit") or "某单位"])
    total = (truth.get("funds") or {}).get("rows", [{}])[0] if (truth.get("funds") or {}).get("rows") else {}
    rows.append(["资金情况（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    funds = truth.get("funds") or {}
    rows.append(["", "年度资金总额", *(_cell(total.get(k)) for k in ("initial", "budget", "executed")),
                  _cell(funds.get("weight")), funds.get("rate_declared"), _cell(funds.get("score_declared"))])
    if header:
        rows.append(["一级指标", "二级指标", *(heading for heading, _ in plan)])
    for row in truth.get("indicators") or []:
        rows.append([row.get("level1"), row.get("level2"), *(_cell(row.get(f)) if f else None for _, f in plan)])
    total_row: list[Any] = ["总分", *([None] * (len(plan) + 1))]
    score = next((2 + n for n, (_, field) in enumerate(plan) if field == "score_declared"), None)
    if score is not None:  # the 总分 under 得分, where the reader looks for it
        total_row[score] = _cell(truth.get("total_declared"))
    rows.append(total_row)
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            set_value(sheet.cell(number, column), value)
    book.save(path)



def _wrong(form: Form, truth: dict[str, Any], notes: list[Any], doubts: list[bool], printed: tuple[str, ...]) -> list[str]:
    rows = truth.get("indicators") or []
    declared = truth.get("total_declared")
    total = [] if declared is None or form.total_declared == Decimal(str(declared)) or doubted(notes, "total_declared") \
        else [f"total_declared: {declared!r} ≠ {form.total_declared!r}"]
    if len(form.indicators) != len(rows):
        return total + ([] if doubted(notes, "indicators[+]") else [f"{len(form.indicators)} 行 ≠ {len(rows)} 行"])
    # only the fields the template prints count: a column it lacks is not read, so it is not asserted either
    doubts += [doubted(notes, f"indicators[{n}].{field}") for n in range(len(rows)) for field in printed]
    wrong = []
    for n, (got, expected) in enumerate(zip(form.indicators, rows, strict=True)):
        for field in FIELDS:
            want, have = expected.get(field), getattr(got, field)
            same = (Decimal(str(want)) == have) if isinstance(have, Decimal) and want is not None else want == have
            if not same and not doubted(notes, f"indicators[{n}].{field}"):
                wrong.append(f"indicators[{n}].{field}: {want!r} ≠ {have!r}")
    return total + wrong


def _read_back(template: Template, tmp_path: Path, header: bool = True) -> tuple[list[str], list[bool]]:
    """The fields read wrong without a doubt, and for every field whether it is doubted."""
    wrong, doubts, _ = _read_rows_back(template, tmp_path, header)
    return wrong, doubts


def _read_rows_back(template: Template, tmp_path: Path, header: bool) -> tuple[list[str], list[bool], float]:
    """:func:`_read_back`, and the share of the truths' rows that came back (as many rows as the truth, at most)."""
    wrong: list[str] = []
    doubts: list[bool] = []
    rows = found = 0
    printed = tuple(f for f in FIELDS if f == "name" or f in {field for _, field in columns(template)})
    for name, truth in TRUTHS:
        if not truth.get("indicators"):
            continue
        path = tmp_path / f"{name}.xlsx"
        shown = printed_truth(truth, template)
        _workbook(shown, template, path, header)
        form, notes = read(path)
        wrong += [f"{name} {w}" for w in _wrong(form, shown, notes, doubts, printed)]
        rows += len(shown["indicators"])
        found += min(len(form.indicators), len(shown["indicators"]))
    return wrong, doubts, found / rows


@pytest.mark.parametrize("template", load_templates(), ids=lambda t: t.id)
def test_every_template_reads_back_from_a_workbook(template: Template, tmp_path: Path) -> None:
    wrong, doubts = _read_back(template, tmp_path)
    assert wrong == [], wrong[:10]
    national = next(t for t in load_templates() if t.id == "national-project")
    _, baseline = _read_back(national, tmp_path)
    # a template without a 分值 or 得分 column leaves a row's own arithmetic unchecked, so a few more of its
    # fields are doubted; a reader that doubts everything is still caught
    share, national_share = sum(doubts) / max(1, len(doubts)), sum(baseline) / max(1, len(baseline))
    assert share <= national_share + DOUBT_MARGIN, f"{sum(doubts)}/{len(doubts)} 个字段存疑，全国表样 {sum(baseline)}/{len(baseline)}"


@pytest.mark.parametrize("template", load_templates(), ids=lambda t: t.id)
def test_a_workbook_without_its_indicator_header_reads_under_the_template_plans(template: Template, tmp_path: Path) -> None:
    """The header row missing, the grid reader finds no columns; the rows go through the text pipeline's template
    plans (:mod:`jixiao.io.gridtext`): every printed field comes back right or doubted, and most rows come back."""
    wrong, _, found = _read_rows_back(template, tmp_path, header=False)
    assert wrong == [], wrong[:10]
    assert found >= ROWS_FOUND_WITHOUT_HEADER, f"只读回 {found:.1%} 的指标行"
