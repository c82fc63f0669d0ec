"""The funds block's total row is read where its figures are: after its label, or right after the headings.

A page flattened by column prints the headings, then the figures, and the total row's label
(年度资金总额) later, before the next table's figures. Every place the row may start is tried and the most
plausible reading wins (:func:`jixiao.io.textfunds.read_funds`); a percentage is never read as an amount.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io.text import read_text
from jixiao.io.textfunds import DENSE_RUNS_MAX, _anchors, plausibility, read_funds

from ..conftest import DATA

HEAD = "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分"
LATER = "年度资金总额 实施单位 某单位 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 =100% 100% 10 10 ≥90% 95% 20 20"


@settings(max_examples=60, deadline=None)
@given(budget=st.integers(10, 99_999), spent=st.integers(1, 100), weight=st.sampled_from([10, 20]))
def test_figures_right_after_the_headings_win_over_figures_after_a_later_label(budget: int, spent: int, weight: int) -> None:
    executed = Decimal(budget) * spent / 100
    rate = (executed / budget * 100).quantize(Decimal("0.01"))
    score = (weight * rate / 100).quantize(Decimal("0.01"))
    text = f"{HEAD} {budget} {budget} {executed} {weight} {rate}% {score} {LATER}"
    read = read_funds(text)
    assert read is not None
    assert read.total["budget"] == str(budget) and read.total["executed"] == str(executed)
    assert read.total["score"] == str(score)


def test_a_percentage_is_no_amount() -> None:
    as_rate = {"budget": "100", "executed": "98", "rate": "98%"}
    as_amounts = {"budget": "100%", "executed": "98%", "rate": None}
    assert plausibility(as_rate) > plausibility(as_amounts)


def test_a_development_form_flattened_by_column_reads_its_funds() -> None:
    """Shanghai's form prints the headings, the figures, then 其中 rows and the 年度资金总额 label."""
    form, _ = read_text(DATA / "corpus" / "052.txt")
    truth = json.loads((DATA / "corpus" / "052.truth.json").read_text(encoding="utf-8"), parse_float=Decimal)
    total = truth["funds"]["rows"][0]
    assert form.funds.total is not None
    assert (form.funds.total.initial, form.funds.total.budget, form.funds.total.executed) == (
        total["initial"], total["budget"], total["executed"])


def test_a_text_of_many_funds_headers_costs_a_few_readings_not_one_per_header() -> None:
    """Funds headings printed again and again (a hostile or run-together page): only the first runs are tried, each
    a ranked alignment, so the cost does not grow with the headers; the block's own figures are still read."""
    block = f"{HEAD} 100 100 90 10 90% 9 "
    text = block + "年初预算数 全年预算数 全年执行数 分值 执行率 得分 5 6 7 8 9% 1 " * 2000
    assert len(list(_anchors(text))) <= DENSE_RUNS_MAX + 2  # the label's, the block's headings', the first runs
    read = read_funds(text)
    assert read is not None and read.total["budget"] == "100" and read.total["executed"] == "90"
