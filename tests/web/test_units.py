"""Pure helpers: analytics, diffing, charts, entry-page paths, year over year."""

from __future__ import annotations

from decimal import Decimal

from jixiao import analytics as an
from jixiao.audit.history import target_below
from jixiao.targets import parse_target
from jixiao.web import analytics
from jixiao.web.diffing import diff, flatten
from jixiao.web.engine import block_of
from jixiao.web.entry import human_place


def _row(
    unit: str, status: str, computed: str | None, declared: str | None = None, grade: str = ""
) -> analytics.Row:
    return analytics.Row(
        unit=unit,
        department="",
        title="t",
        kind="",
        status=status,
        total_computed=Decimal(computed) if computed else None,
        total_declared=Decimal(declared) if declared else None,
        grade=grade,
        execution_rate=Decimal("95"),
        codes=("A07", "A01") if computed else (),
    )


ROWS = [
    _row("乙", "approved", "91", "98", "优"),
    _row("甲", "submitted", "72.5", "90", "中"),
    _row("丙", "draft", "60"),
    _row("丁", "not_started", None),
]


def test_order_and_select() -> None:
    assert [r.unit for r in analytics.order(ROWS, "-computed")] == ["乙", "甲", "丙", "丁"]
    assert [r.unit for r in analytics.order(ROWS, "gap")][-1] == "甲"  # over-claims most
    assert [r.unit for r in analytics.select(ROWS, status="draft")] == ["丙"]
    counts = an.status_counts(analytics.workflow_rows(ROWS), tuple(analytics.STATUS_LABELS))
    assert counts["not_started"] == 1


def test_distributions_ignore_drafts() -> None:
    forms = analytics.form_rows(ROWS)
    assert an.grade_counts(forms) == {"优": 1, "良": 0, "中": 1, "差": 0}
    top = an.top_findings(analytics.finding_rows(ROWS))
    assert [(t.code, t.count) for t in top] == [("A01", 2), ("A07", 2)]  # ties by code
    assert len(an.execution_points(forms)) == 2


def test_flatten_and_diff() -> None:
    assert flatten({"a": {"b": [1, {"c": 2}]}}) == {"a.b[0]": 1, "a.b[1].c": 2}
    changes = diff({"x": [1, 2], "y": "a"}, {"x": [1, 3], "y": "a"})
    assert [(c.path, c.old, c.new) for c in changes] == [("x[1]", 2, 3)]


def test_human_place() -> None:
    assert human_place("表单: indicators[2].weight") == "第3个指标 分值"
    assert human_place("表单: funds.rows[0].budget") == "第1个资金行 全年预算数"
    assert human_place("表单: total_declared") == "总分"
    assert human_place("contact.name") == "联系人" and human_place("indicators[0].name") == "第1个指标 三级指标"
    assert human_place("funds.weight") == "执行率分值" and human_place("goals.actual") == "实际完成情况"
    assert human_place("表单: indicators[+]") == "绩效指标（可能漏读的行）"


def lowered_target(prev_actual: str, target: str) -> bool:
    return target_below(parse_target(target), parse_target(prev_actual))


def test_lowered_target() -> None:
    assert lowered_target("8个", "≥6个") is True
    assert lowered_target("8个", "≥8个") is False
    assert lowered_target("95%", "≤90%") is False  # lower is better for ≤ targets
    assert lowered_target("达成预期", "≥6个") is False


def test_block_of_field_paths() -> None:
    assert block_of("funds.rows[0].budget") == "funds"
    assert block_of("contact.phone") == "head"
    assert block_of("goals.actual") == "goals"
    assert block_of("indicators") == "indicators"
    assert block_of("total_declared") == block_of(None) == "foot"
