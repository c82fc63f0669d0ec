"""The 序号 column read by sequence where extraction glued it onto a row (real forms rendered with serials)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.io.accuracy import compare, development_truths, silently_wrong
from jixiao.io.damage import damaged, damaged_truth
from jixiao.io.text import parse_text
from jixiao.io.textserial import drop_glued_serials, drop_page_serials

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


@pytest.mark.parametrize("name", ["seed", "003", "006", "012"])
def test_a_page_glued_on_one_line_loses_its_serials_not_its_figures(name: str) -> None:
    """``…92%222.基础…`` (分值 2, 得分 2, serial 2), ``…21.966指标9…``, ``…22（2）开展…``: the serials go, the
    rows read as the page without them, and nothing is silently wrong."""
    names, silent = _read(name, "glued_page+serial_numbers")
    plain, _ = _read(name, "glued_page")
    assert names == plain
    assert silent == 0


def test_a_page_without_a_serial_header_keeps_its_digits() -> None:
    head = "一级指标二级指标三级指标年度指标值实际完成值分值得分"
    line = head + "产出指标数量指标财政供养率100%92%221基础信息完善100%100%112预算完成率70%76%223调整率3%0"
    assert drop_page_serials([(1, line)]) == [(1, line)]
    with_serial = line.replace("二级指标三级", "二级指标序号三级")
    assert drop_page_serials([(1, with_serial)]) == [(1, head + "产出指标数量指标财政供养率100%92%22基础信息完善"
                                                     "100%100%11预算完成率70%76%22调整率3%0")]


def test_groups_numbered_afresh_one_after_another_all_lose_their_serials() -> None:
    """012 numbers 产出 1–6, then 效益 1, 2, then 满意度 1 (no header to say so): the last group's serial goes too."""
    names, silent = _read("012", "glued+serial_numbers+header_lost")
    assert "受益脱贫(含监测对象)户满意度" in names and silent == 0


def _least_seconds(read: Callable[[list[tuple[int, str]]], object], lines: list[tuple[int, str]]) -> float:
    """The least of three times (the machine's other load counts once at most)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        read(lines)
        times.append(time.perf_counter() - start)
    return min(times)


def test_a_long_run_of_digits_on_a_page_line_takes_time_linear_in_its_length() -> None:
    """A page line (its 序号 header word glued in) then thousands of digits before anything but a name: each digit
    is looked at a bounded number of times, so four times the run is about four times the time (a serial tried
    from every digit made it sixteen), and the digits stay."""
    head = "一级指标二级指标序号三级指标"
    short, long = ([(1, head + "1" * n + "x")] for n in (5000, 20000))
    assert drop_page_serials(long) == long
    seconds = _least_seconds(drop_page_serials, short), _least_seconds(drop_page_serials, long)
    assert seconds[1] < 8 * seconds[0] + 0.01, f"{seconds[0]:.3f}s → {seconds[1]:.3f}s"


def test_many_serials_glued_onto_digits_take_time_linear_in_their_number() -> None:
    """Glued rows by the thousand, every other one's serial glued onto a name's digits (``15000吨…``): each such
    line finds the serials around it by bisection, not by a scan of all the lines read before (sixteen times the
    time for four times the rows)."""
    def rows(count: int) -> list[tuple[int, str]]:
        return [line for i in range(count) for line in ((2 * i, f"{i % 900 + 1}开展培训任务{i}人次{i}人次11"),
                                                         (2 * i + 1, f"15000吨稻谷储备任务完成{i}吨{i}吨11"))]

    short, long = rows(1000), rows(4000)
    seconds = _least_seconds(drop_glued_serials, short), _least_seconds(drop_glued_serials, long)
    assert seconds[1] < 8 * seconds[0] + 0.01, f"{seconds[0]:.3f}s → {seconds[1]:.3f}s"
