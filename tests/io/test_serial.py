"""The 序号 column read by sequence where extraction glued it onto a row (real forms rendered with serials)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.io.accuracy import compare, development_truths, silently_wrong
from jixiao.io.damage import damaged, damaged_truth
from jixiao.io.text import parse_text
from jixiao.io.textserial import drop_glued_serials

TRUTHS = dict(development_truths(Path(__file__).resolve().parents[1] / "data"))


def _read(name: str, shape: str) -> tuple[list[str], int]:
    truth = TRUTHS[name]
    seed = sum(map(ord, name))
    form, notes = parse_text(damaged(truth, shape, seed), f"{shape}-{name}.txt")
    results = compare(form, dict(damaged_truth(truth, shape, seed)), notes)
    return [i.name for i in form.indicators], silently_wrong(results)


@pytest.mark.parametrize(("name", "shape"), [("016", "glued+serial_numbers"), ("035", "glued+serial_numbers"),
                                             ("058", "glued+serial_numbers")])
def test_glued_serials_leave_the_names_as_printed(name: str, shape: str) -> None:
    """``（2）指标1:资金是否全部纳入医 保统筹…`` (a name broken at a space), ``成本指标（4）指标1:…`` (a label then a
    bracketed serial), ``15000吨稻谷…`` (serial 1 glued onto the name's digits), ``1★补助…``: no name keeps its serial."""
    names, _ = _read(name, shape)
    plain, _ = _read(name, "glued")
    assert names[1:] == plain[1:]


def test_a_serial_glued_onto_digits_is_taken_only_where_the_sequence_says() -> None:
    rows = [(1, "一级指标二级指标序号三级指标年度指标值实际完成值分值得分"), (2, "数量指标15000吨稻谷到位率100%100%1010"),
            (3, "2库存数量真实率100%100%1010"), (4, "3储备粮管理专户管理率100%100%1010")]
    assert [t for _, t in drop_glued_serials(rows)][1:] == [
        "数量指标5000吨稻谷到位率100%100%1010", "库存数量真实率100%100%1010", "储备粮管理专户管理率100%100%1010"]
    no_sequence = [(n, t) for n, t in rows if n != 3]  # 1 then 3: no run, the digits stay the name's
    assert "数量指标15000吨稻谷到位率100%100%1010" in [t for _, t in drop_glued_serials(no_sequence)]
