"""The analytics over real batch tables and the self-contained HTML dashboard."""

from __future__ import annotations

import copy
from decimal import Decimal

import dask
import pyarrow.parquet as pq
from typer.testing import CliRunner

from jixiao import analytics as an
from jixiao.audit.history import year_over_year
from jixiao.cli import app
from jixiao.io import jsonio
from jixiao.report.dashboard import render_dashboard

from .conftest import seed_data, write_json

SCRIPT_UNIT = "<script>alert('x')</script>局"


def two_years(folder):
    """The seed (2022) and a worse 2021 of the same unit that achieved more 服务人才人数 than 2022's target."""
    current = seed_data()
    previous = copy.deepcopy(current)
    previous["year"] = 2021
    for ind in previous["indicators"]:
        if ind["name"] == "服务人才人数":
            ind["actual"] = "5000人"
        elif ind["name"] == "全局工作任务完成情况":
            ind["actual"] = "未完成"
    for ind in previous["indicators"][1:6]:
        ind["actual"] = "1" + ind["actual"].lstrip("≥")[-1]  # far below target, e.g. "1次"
    write_json(folder / "2022.json", current)
    write_json(folder / "2021.json", previous)
    hostile = copy.deepcopy(current)
    hostile["unit"] = SCRIPT_UNIT
    hostile["funds"]["rows"][0]["executed"] = Decimal("2000")  # ~50% spent: a red and a yellow warning
    write_json(folder / "hostile.json", hostile)


def test_year_over_year_finds_the_lowered_target_and_the_jump(tmp_path, batch_run):
    two_years(tmp_path / "in")
    _, tables = batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    lowered = an.lowered_targets(tables["indicators"])
    assert [(t.unit, t.year, t.name, t.target, t.last_actual) for t in lowered] == [
        ("中共黔南州委组织部", 2022, "服务人才人数", "≥3000人", "5000人")]
    totals = {f["year"]: f["total"] for f in tables["forms"] if f["unit"] == "中共黔南州委组织部"}
    [jump] = an.score_jumps(tables["forms"])
    assert (jump.year, jump.previous, jump.current) == (2022, totals[2021], totals[2022])
    assert jump.change >= an.SCORE_JUMP


def test_batch_lowered_targets_agree_with_the_core_d06(tmp_path, batch_run):
    two_years(tmp_path / "in")
    _, tables = batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    previous, current = (jsonio.read(tmp_path / "in" / f"{year}.json") for year in (2021, 2022))
    d06 = [current.indicators[int(f.path.split("[")[1].split("]")[0])].name
           for f in year_over_year(previous, current) if f.code == "D06"]
    assert d06 == [t.name for t in an.lowered_targets(tables["indicators"])] == ["服务人才人数"]


def test_execution_warnings_follow_the_national_rules(tmp_path, batch_run):
    two_years(tmp_path / "in")
    _, tables = batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    points = {(p.unit, p.year): p for p in an.execution_points(tables["forms"])}
    hostile = points[(SCRIPT_UNIT, 2022)]
    assert hostile.warning == "red" and hostile.rate is not None and hostile.rate < 80
    seed = points[("中共黔南州委组织部", 2022)]  # 99.45% spent, but 9/10 execution points vs ~99% claimed
    claimed = an.claimed_share(next(f for f in tables["forms"] if f["file"].endswith("2022.json")))
    assert claimed is not None and (claimed - 90) / claimed > an.RED_RELATIVE_LEAD
    assert seed.warning == "red"
    budget_zero = dict(next(f for f in tables["forms"] if f["file"].endswith("2022.json")), budget=Decimal(0),
                       execution_rate=None, execution_score=Decimal(10))
    assert an.execution_warning(budget_zero)[0] == "yellow"
    assert an.warning_counts(points.values())["red"] == 3


def test_rankings_gaps_and_findings(tmp_path, batch_run):
    two_years(tmp_path / "in")
    _, tables = batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    ranked = an.rankings(tables["forms"])
    assert [r.mean_total for r in ranked] == sorted((r.mean_total for r in ranked), reverse=True)
    assert sum(r.forms for r in ranked) == 3
    gaps = an.largest_gaps(tables["forms"])
    assert all(g.gap == g.declared - g.computed > 0 for g in gaps)
    top = an.top_findings(tables["findings"])
    assert top[0].count == max(t.count for t in top)
    assert sum(t.count for t in an.top_findings(tables["findings"], limit=100)) == len(tables["findings"])
    assert an.grade_counts(tables["forms"])["优"] >= 1
    assert sorted(an.totals(tables["forms"])) == sorted(f["total"] for f in tables["forms"])
    assert sorted(an.gaps(tables["forms"])) == sorted(f["total_declared"] - f["total"] for f in tables["forms"])


def test_report_is_self_contained_with_charts_and_escapes_names(tmp_path, batch_run):
    two_years(tmp_path / "in")
    _, tables = batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    html = render_dashboard(tables["forms"], tables["indicators"], tables["findings"])
    assert html.count("<svg") >= 5
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "服务人才人数" in html and "红色预警" in html


def test_cli_batch_then_report(tmp_path):
    two_years(tmp_path / "in")
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-p",
                                 "seed-qiannan-2022", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "3" in result.output
    result = runner.invoke(app, ["report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["batch", str(tmp_path / "in"), "-p", "nope"]).exit_code == 2
    assert runner.invoke(app, ["report", str(tmp_path / "missing")]).exit_code == 2
    missing = runner.invoke(app, ["batch", str(tmp_path / "in"), str(tmp_path / "nosuchdir"), "--out",
                                  str(tmp_path / "o3")])
    assert missing.exit_code == 2 and "路径不存在" in missing.output and "nosuchdir" in missing.output
    assert not (tmp_path / "o3").exists()
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        refused = runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "o2"),
                                      "--dask", "tcp://127.0.0.1:9"])  # nothing listens on the discard port
    assert refused.exit_code == 2 and "Dask" in refused.output


def test_analytics_take_pyarrow_tables_as_well_as_rows(tmp_path, batch_run):
    two_years(tmp_path / "in")
    batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    arrow = {n: pq.read_table(tmp_path / "out" / f"{n}.parquet") for n in ("forms", "indicators", "findings")}
    rows = {n: t.to_pylist() for n, t in arrow.items()}
    assert an.rankings(arrow["forms"]) == an.rankings(rows["forms"])
    assert an.execution_points(arrow["forms"]) == an.execution_points(rows["forms"])
    assert an.top_findings(arrow["findings"]) == an.top_findings(rows["findings"])
    assert an.lowered_targets(arrow["indicators"]) == an.lowered_targets(rows["indicators"])
    assert an.status_counts(arrow["forms"]) == {"ok": 3, "error": 0, "duplicate": 0}


def test_the_dashboard_groups_a_unit_by_its_key_and_shows_a_name_it_wrote(tmp_path, batch_run):
    """2022 signs 中共黔南州委组织部（盖章）, 2021 writes 中共黔南州 委组织部: one unit for the trends, shown by a name
    one of its forms wrote (the first seen), never by the folded key."""
    folder = tmp_path / "in"
    two_years(folder)
    written = {2022: "中共黔南州委组织部（盖章）", 2021: "中共黔南州 委组织部"}
    for year, unit in written.items():
        data = jsonio.read(folder / f"{year}.json").model_dump(mode="json")
        data["unit"] = unit
        write_json(folder / f"{year}.json", data)
    _, tables = batch_run(folder, profile_id="seed-qiannan-2022")
    [jump] = an.score_jumps(tables["forms"])
    [lowered] = an.lowered_targets(tables["indicators"])
    ranked = [r.unit for r in an.rankings(tables["forms"]) if r.forms == 2]
    assert jump.unit in written.values() and ranked == [jump.unit] and lowered.unit in written.values()
