"""The htmx save answers with the score panel and per-row out-of-band cells; untouched saves write nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from django.utils.html import escape

from jixiao.web import services
from jixiao.web.engine import evaluate_form
from jixiao.web.models import FormRecord

from .conftest import entry_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def _cells(html: str) -> dict[str, str]:
    """The out-of-band result cells of a panel response by their row key."""
    return dict(re.findall(r'<td class="res" id="res-([^"]+)" hx-swap-oob="true">(.*?)</td>', html, re.S))


def test_partial_response_shows_each_rows_findings_next_to_it(world: Any) -> None:
    record = world.form()
    post = entry_post(world.seed, 1, ind_key=[f"k{i}" for i in range(len(world.seed.indicators))])
    response = world.client("filler_a1").post(f"/forms/{record.pk}/save/", post, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # the panel only, not the page
    cells = _cells(html)
    evaluation = evaluate_form(world.seed)
    assert sorted(cells) == sorted(f"k{i}" for i in range(len(world.seed.indicators)))
    with_findings = [r for r in evaluation.indicators if evaluation.findings_for(r.index)]
    assert with_findings, "the seed has indicator findings to show"
    for result in evaluation.indicators:
        cell = cells[f"k{result.index}"]
        assert f'<strong class="score">{result.score}</strong>' in cell
        shown = re.findall(r'<div class="finding sev-\w+" title="(\w+)">', cell)
        assert shown == [f.code for f in evaluation.findings_for(result.index)]
        for finding in evaluation.findings_for(result.index):
            assert escape(finding.message) in cell


def test_a_changed_row_gets_its_new_result_and_the_others_keep_theirs(world: Any) -> None:
    record = world.form()
    filler = world.client("filler_a1")
    first = _cells(
        filler.post(
            f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="一"), **HTMX
        ).content.decode()
    )
    actuals = [i.actual or "" for i in world.seed.indicators]
    actuals[1] = "≥150份"  # half of the ≥300份 target
    changed = world.seed.model_copy(
        update={
            "conclusion": "二",
            "indicators": [
                i.model_copy(update={"actual": actuals[n]}) for n, i in enumerate(world.seed.indicators)
            ],
        }
    )
    second = _cells(
        filler.post(
            f"/forms/{record.pk}/save/",
            entry_post(world.seed, 2, conclusion="二", ind_actual=actuals),
            **HTMX,
        ).content.decode()
    )
    expected = evaluate_form(changed).indicators[1]
    assert f'<strong class="score">{expected.score}</strong>' in second["1"]
    assert second["1"] != first["1"]
    assert all(second[key] == first[key] for key in first if key != "1")


def test_saving_an_unchanged_page_adds_no_version_and_no_history(world: Any) -> None:
    record = world.form()
    filler = world.client("filler_a1")
    filler.post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1, conclusion="改过"), **HTMX)
    record.refresh_from_db()
    versions, history = record.version, record.history.count()
    again = filler.post(
        f"/forms/{record.pk}/save/", entry_post(world.seed, versions, conclusion="改过"), **HTMX
    )
    text = again.content.decode()
    assert again.status_code == 200 and f"已保存（第 {versions} 版" in text
    assert f'id="version" name="version" value="{versions}" hx-swap-oob="true"' in text
    record.refresh_from_db()
    assert (record.version, record.history.count()) == (versions, history)
    # The next real change is a new version with its history row, as before.
    filler.post(f"/forms/{record.pk}/save/", entry_post(world.seed, versions, conclusion="再改"), **HTMX)
    record.refresh_from_db()
    assert (record.version, record.history.count()) == (versions + 1, history + 1)
    assert FormRecord.objects.get(pk=record.pk).form().conclusion == "再改"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_sqlite_database_file_uses_wal_without_fsync_per_commit(db: Any, tmp_path: Path) -> None:
    # The test database is in memory, so open the configured backend on a real file.
    handler = ConnectionHandler(
        {"default": {**connection.settings_dict, "NAME": str(tmp_path / "x.sqlite3")}}
    )
    fresh = handler["default"]
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
    finally:
        fresh.close()
    assert (journal, synchronous) == ("wal", 1)  # 1 = NORMAL
    assert fresh.settings_dict["CONN_MAX_AGE"] > 0  # kept between requests: the pragmas run once


def _dashboard_line(world: Any, unit: str) -> str:
    page = world.client("reviewer_a").get(f"/bureaus/{world.bureau_a.pk}/", {"year": 2022}).content.decode()
    lines = page.split('<tr class="st-')[1:]
    return next(line.split("</tr>")[0] for line in lines if unit in line)


def test_dashboard_lines_follow_saves_and_transitions(world: Any) -> None:
    project = world.seed.model_copy(update={"kind": "project", "project": "旧名称"})
    record = services.create_form(world.users["filler_a1"], world.a1, project).record
    before = _dashboard_line(world, "甲一单位")
    assert "旧名称" in before and "草稿" in before and f"/forms/{record.pk}/" not in before
    world.client("filler_a1").post(
        f"/forms/{record.pk}/save/", entry_post(project, 1, project="新名称"), **HTMX
    )
    renamed = _dashboard_line(world, "甲一单位")
    assert "新名称" in renamed and "旧名称" not in renamed
    services.submit(world.users["approver_a1"], record.pk)
    record.refresh_from_db()
    submitted = _dashboard_line(world, "甲一单位")
    assert "已提交" in submitted and f'href="/forms/{record.pk}/"' in submitted
    assert f"{record.total_computed:.2f}" in submitted  # the score shows once handed over


def test_result_cells_keep_decimal_places_apart() -> None:
    from jixiao.web.engine import IndicatorResult
    from jixiao.web.views.forms import _result_cell

    def cell(score: str) -> str:
        result = IndicatorResult(0, Decimal(score), None, Decimal(2), "说明")
        return _result_cell({"key": "k", "result": result, "findings": []})

    assert '<strong class="score">1.0</strong>' in cell("1.0")
    assert '<strong class="score">1.00</strong>' in cell("1.00")  # equal decimals, printed as given
