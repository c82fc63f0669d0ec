"""Batch mode end to end on real forms: bad input accounted for, cache, exact tables in three formats."""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import simplejson
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao import analytics
from jixiao.audit import counts, evaluate
from jixiao.audit.waivers import read_waivers
from jixiao.batch import (
    COLUMNS,
    DECIMAL_TYPE,
    FORM_AT,
    MANIFEST,
    SCHEMAS,
    XLSX_NAME,
    Chunk,
    PoolRunner,
    Rules,
    discover,
    ordered_results,
    plain_decimal_text,
    process_chunk,
    rescore_files,
    rescored,
)
from jixiao.cli import app
from jixiao.io import jsonio, read
from jixiao.io.sniff import DEFAULT_LIMITS
from jixiao.rules import load_profile

from ..conftest import corpus_truth
from ..test_hebei import TEXT_FORM as HEBEI_TEXT_FORM
from .conftest import READ, REFUSED, SEED_JSON, seed_data, write_json


def build_hostile_folder(root: Path, shared: Path) -> dict[str, str]:
    """A folder with every kind of trouble; returns the expected status per path."""
    good = root / "good"
    good.mkdir(parents=True)
    shutil.copy(SEED_JSON, good / "a-seed.json")
    shutil.copy(SEED_JSON, good / "b-seed-copy.json")
    write_json(good / "c-001.json", corpus_truth(shared / "corpus" / "001.truth.json"))
    (root / "notes.md").write_text("购物清单：苹果、香蕉\n", encoding="utf-8")
    (root / "empty.json").write_bytes(b"")
    (root / "garbage.bin").write_bytes(bytes(range(256)) * 40)
    with open(root / "huge.json", "wb") as handle:  # sparse: over the limit without using the disk
        handle.truncate(DEFAULT_LIMITS.max_file_bytes + 1)
    deep = root.joinpath("deep", *[f"d{i}" for i in range(30)])
    write_json(deep / "deep.json", corpus_truth(shared / "corpus" / "002.truth.json"))
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")
    (root / "broken").symlink_to(root / "nowhere.json")
    os.mkfifo(root / "fifo")
    return {
        str(good / "a-seed.json"): "ok", str(good / "b-seed-copy.json"): "duplicate",
        str(good / "c-001.json"): "ok", str(deep / "deep.json"): "ok",
        str(root / "notes.md"): "error", str(root / "empty.json"): "error", str(root / "garbage.bin"): "error",
        str(root / "huge.json"): "error", str(root / "loop"): "error", str(root / "self"): "error",
        str(root / "broken"): "error", str(root / "fifo"): "error",
    }


def test_every_file_is_processed_or_listed_with_its_reason(tmp_path, data_dir, batch_run):
    expected = build_hostile_folder(tmp_path / "in", data_dir)
    summary, tables = batch_run(tmp_path / "in")
    forms = tables["forms"]
    assert sorted(f["file"] for f in forms) == sorted(expected)  # each exactly once
    assert {f["file"]: f["status"] for f in forms} == expected
    assert summary.found == len(expected) == summary.processed + summary.cached + summary.errors + summary.duplicates
    assert (summary.processed, summary.errors, summary.duplicates) == (3, 8, 1)
    reasons = {Path(f["file"]).name: f["message"] for f in forms if f["status"] != "ok"}
    assert "a-seed.json" in reasons["b-seed-copy.json"]
    assert "为空" in reasons["empty.json"]
    assert "文件过大" in reasons["huge.json"]
    assert "循环" in reasons["loop"] and "循环" in reasons["self"]
    assert "符号链接无效" in reasons["broken"]
    assert "FIFO" in reasons["fifo"]
    assert "无法识别" in reasons["garbage.bin"]
    assert all(reasons.values())
    assert all(name in reason for name, reason in reasons.items() if name.endswith((".md", ".bin")))


def test_the_same_file_twice_is_one_form(tmp_path, batch_run):
    shutil.copy(SEED_JSON, tmp_path / "seed.json")
    (tmp_path / "link.json").symlink_to(tmp_path / "seed.json")
    summary, tables = batch_run(tmp_path / "seed.json", tmp_path)
    assert (summary.found, summary.processed, summary.duplicates) == (3, 1, 2)
    messages = [f["message"] for f in tables["forms"] if f["status"] == "duplicate"]
    assert messages and all("同一个文件" in m for m in messages)


def test_discover_walks_deep_folders_and_stops_at_loops(tmp_path):
    nested = tmp_path.joinpath(*[f"n{i}" for i in range(60)])
    nested.mkdir(parents=True)
    (nested / "x.json").write_text("{}", encoding="utf-8")
    (nested / "back").symlink_to(tmp_path, target_is_directory=True)
    entries = list(discover([tmp_path]))
    assert [(Path(e.path).name, e.problem is None) for e in entries] == [("back", False), ("x.json", True)]


def test_seed_tables_match_evaluate(tmp_path, batch_run):
    _summary, tables = batch_run(SEED_JSON, profile_id="seed-qiannan-2022")
    form = jsonio.read(SEED_JSON)
    card, findings = evaluate(form, load_profile("seed-qiannan-2022"))
    [row] = tables["forms"]
    assert row["total"] == card.total == Decimal("98.60")
    assert row["total_declared"] == Decimal("97.5") and row["gap"] == Decimal("97.5") - card.total
    assert row["grade"] == card.grade and row["execution_rate"] == card.execution.rate_display
    assert row["execution_score"] == card.execution.score and row["unit"] == "中共黔南州委组织部"
    n = counts(findings)
    assert (row["errors"], row["warnings"], row["infos"]) == (n["error"], n["warning"], n["info"])
    assert [(i["index"], i["name"], i["weight"], i["declared"], i["score"], i["method"], i["target_op"],
             i["target_number"], i["target_unit"], i["actual_number"]) for i in tables["indicators"]] == [
        (i.index, i.name, i.weight, i.declared, i.score, i.method, i.target.op, i.target.number, i.target.unit,
         i.actual.number) for i in card.indicators]
    assert [(f["code"], f["severity"], f["location"], f["path"], f["message"], f["doubt"])
            for f in tables["findings"]] == [(f.code, f.severity, f.location, f.path, f.message, False) for f in findings]


def test_rerun_skips_done_files_and_force_redoes_them(tmp_path, corpus_folder, batch_run):
    first, before = batch_run(corpus_folder, profile_id="seed-qiannan-2022")
    assert first.processed == READ and first.errors == REFUSED  # the JSON forms and the corpus texts
    again, after = batch_run(corpus_folder, profile_id="seed-qiannan-2022")
    assert (again.processed, again.cached, again.errors) == (0, READ, REFUSED)
    for name in before:
        assert sorted(map(repr, after[name])) == sorted(map(repr, before[name]))
    changed = seed_data()
    changed["unit"] = "黔南州某局"
    write_json(corpus_folder / "seed.json", changed)
    third, tables = batch_run(corpus_folder, profile_id="seed-qiannan-2022")
    assert (third.processed, third.cached) == (1, READ - 1)
    assert "黔南州某局" in {f["unit"] for f in tables["forms"]}
    assert "中共黔南州委组织部" not in {f["unit"] for f in tables["forms"]}
    forced, _ = batch_run(corpus_folder, profile_id="seed-qiannan-2022", force=True)
    assert (forced.processed, forced.cached) == (READ, 0)
    other_profile, _ = batch_run(corpus_folder, profile_id="national")
    assert (other_profile.processed, other_profile.cached) == (READ, 0)
    assert json.loads((tmp_path / "out" / MANIFEST).read_text())["profile"] == "national"
    assert not list((tmp_path / "out").glob(".staging-*"))


def test_a_manifest_never_caches_a_file_whose_rows_are_missing(tmp_path, corpus_folder, batch_run):
    batch_run(corpus_folder)
    pq.write_table(SCHEMAS["forms"].empty_table(), tmp_path / "out" / "forms.parquet")  # tables lost, manifest kept
    summary, tables = batch_run(corpus_folder)
    assert (summary.processed, summary.cached) == (READ, 0)
    assert len(tables["forms"]) == summary.found


def test_csv_xlsx_parquet_are_readable_exact_and_formula_safe(tmp_path, batch_run):
    hostile = copy.deepcopy(seed_data())
    hostile["unit"] = "=HYPERLINK(\"http://x\",\"点我\")"
    hostile["indicators"][0]["name"] = "@SUM(A1:A9)"
    hostile["indicators"][1]["name"] = "铃\u0007声"  # XML cannot hold it: the xlsx shows U+FFFD
    write_json(tmp_path / "in" / "hostile.json", hostile)
    shutil.copy(SEED_JSON, tmp_path / "in" / "seed.json")
    batch_run(tmp_path / "in", profile_id="seed-qiannan-2022")
    out = tmp_path / "out"
    parquet = pq.read_table(out / "forms.parquet")
    assert parquet.schema.field("total").type == DECIMAL_TYPE
    assert parquet.schema.field("unit").type == pa.string()
    by_file = {Path(r["file"]).name: r for r in parquet.to_pylist()}
    assert by_file["seed.json"]["total"] == Decimal("98.60")
    assert by_file["hostile.json"]["unit"].startswith("=HYPERLINK")  # Parquet keeps data as it is

    raw = (out / "forms.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out / "forms.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {Path(r["file"]).name: r for r in csv.DictReader(handle)}
    assert list(next(iter(rows.values()))) == [c for c, _ in COLUMNS["forms"]]
    assert Decimal(rows["seed.json"]["total"]) == Decimal("98.60") and rows["seed.json"]["total"] == "98.6"
    assert rows["seed.json"]["unit"] == "中共黔南州委组织部"
    assert rows["hostile.json"]["unit"].startswith("'=HYPERLINK")
    with open(out / "indicators.csv", encoding="utf-8-sig", newline="") as handle:
        names = [r["name"] for r in csv.DictReader(handle)]
    assert "'@SUM(A1:A9)" in names

    book = load_workbook(out / XLSX_NAME, read_only=False)
    assert book.sheetnames == ["forms", "indicators", "findings"]
    sheet = book["forms"]
    header = [c.value for c in sheet[1]]
    cells = {Path(r[0].value).name: {h: c for h, c in zip(header, r, strict=True)} for r in sheet.iter_rows(min_row=2)}
    assert Decimal(repr(cells["seed.json"]["total"].value)) == Decimal("98.60")
    unit = cells["hostile.json"]["unit"]
    assert unit.data_type == "s" and unit.value.startswith("=HYPERLINK")
    assert book["indicators"].max_row == 1 + 2 * 28 and book["findings"].max_row > 1
    assert "铃\ufffd声" in [r[8].value for r in book["indicators"].iter_rows(min_row=2)]


def test_a_value_that_cannot_be_stored_exactly_is_an_error_not_rounded(tmp_path, batch_run):
    data = seed_data()
    data["indicators"][0]["score_declared"] = Decimal("1.12345678901234")
    write_json(tmp_path / "in" / "precise.json", data)
    summary, tables = batch_run(tmp_path / "in")
    [row] = tables["forms"]
    assert row["status"] == "error" and summary.errors == 1
    assert "小数位数过多" in row["message"] and "indicators[0].score_declared" in row["message"]
    assert tables["indicators"] == [] and tables["findings"] == []


def test_a_row_that_cannot_be_stored_only_fails_its_own_file(tmp_path, batch_run):
    data = seed_data()
    data["indicators"][0]["name"] = "孤立代理\ud800"  # valid JSON escape, but not encodable as UTF-8
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-surrogate.json").write_text(simplejson.dumps(data, use_decimal=True), encoding="ascii")
    shutil.copy(SEED_JSON, tmp_path / "in" / "b-seed.json")
    summary, tables = batch_run(tmp_path / "in")
    status = {Path(f["file"]).name: f["status"] for f in tables["forms"]}
    assert status == {"a-surrogate.json": "error", "b-seed.json": "ok"}
    assert (summary.processed, summary.errors) == (1, 1)
    assert {Path(i["file"]).name for i in tables["indicators"]} == {"b-seed.json"}


def test_process_pool_gives_the_same_tables(tmp_path, corpus_folder, batch_run):
    _, inline = batch_run(corpus_folder, out=tmp_path / "one", workers=1, chunk_size=4)
    _, pooled = batch_run(corpus_folder, out=tmp_path / "two", workers=2, chunk_size=4)
    assert pooled == inline  # same rows, same order: results are written in submission order
    assert Counter(f["status"] for f in pooled["forms"]) == +Counter({"ok": READ, "error": REFUSED})


def test_every_format_the_importers_read(tmp_path, batch_run):
    """The office/PDF fixtures of the importers: the seed in five formats scores like its JSON."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    summary, tables = batch_run(fixtures, profile_id="seed-qiannan-2022", workers=2)
    forms = {Path(f["file"]).name: f for f in tables["forms"]}
    assert summary.found == len(forms) == len([p for p in fixtures.rglob("*") if p.is_file()])
    for name in ("seed.xlsx", "seed.xls", "seed.docx", "seed.pdf"):
        assert forms[name]["status"] == "ok" and forms[name]["total"] == Decimal("98.60"), name
    assert forms["encrypted.xlsx"]["status"] == "error" and "密码" in forms["encrypted.xlsx"]["message"]
    assert forms["scanned.pdf"]["status"] == "error" and "扫描件" in forms["scanned.pdf"]["message"]
    _, notes = read(fixtures / "two-forms.xlsx")
    assert forms["two-forms.xlsx"]["import_notes"] == len(notes) >= 1
    listed = [(f["code"], f["message"]) for f in tables["findings"] if f["file"].endswith("two-forms.xlsx")]
    assert listed[: len(notes)] == [(n.code, n.message) for n in notes]


def die_on_crash_files(items: list[tuple[str, str]], rules: Rules, outputs: frozenset[str]) -> Chunk:
    """A worker task that kills its process on a file named crash* (a native library crashing)."""
    if any(Path(path).name.startswith("crash") for path, _ in items):
        os._exit(1)
    return process_chunk(items, rules, outputs)


class CrashingPool(PoolRunner):
    task = staticmethod(die_on_crash_files)


def test_a_dying_worker_fails_only_its_own_file():
    seed = str(SEED_JSON)
    runner = CrashingPool(Rules("national"), 2, frozenset({"csv", "xlsx"}))
    try:
        chunks = list(ordered_results(runner, [[(seed, "a"), ("crash.json", "b")], [(seed, "c")]], window=4))
    finally:
        runner.close()
    rows = [(r["sha256"], r["status"]) for c in chunks for r in c.batches["forms"].to_pylist()]
    assert rows == [("a", "ok"), ("b", "error"), ("c", "ok")]
    assert "异常退出" in chunks[0].batches["forms"].to_pylist()[1]["message"]


def die_on_crash_rescore(items: list[tuple[str, str, str | None]], rules: Rules, outputs: frozenset[str]) -> list:
    """:func:`rescore_files` that kills its process on a file named crash*."""
    if any(Path(path).name.startswith("crash") for path, _, _ in items):
        os._exit(1)
    return rescore_files(items, rules, outputs)


class CrashingRescorePool(PoolRunner):
    def call(self, task, *args):
        return super().call(die_on_crash_rescore if task is rescore_files else task, *args)


def test_a_worker_dying_while_scoring_held_forms_again_fails_only_its_own_file():
    """Pieces of two held-back files in flight on two workers; the piece with the crashing file breaks the pool
    (and the pieces in flight with it): each file of a failed piece is scored again alone, on a pool replaced only
    by the first task that found it broken, and only the culprit becomes an error row."""
    seed = str(SEED_JSON)
    names = ["a", "b", "crash", "d", "e", "f", "g", "h"]
    items = [("crash.json" if n == "crash" else seed, n, None) for n in names]
    runner = CrashingRescorePool(Rules("national"), 2, frozenset({"csv"}))
    try:
        results = rescored(runner, items)
    finally:
        runner.close()
    statuses = [(forms[0][FORM_AT["sha256"]], forms[0][FORM_AT["status"]]) for forms, _, _ in results]
    assert statuses == [(n, "error" if n == "crash" else "ok") for n in names]
    crashed = results[2][0][0][FORM_AT["message"]]
    assert "异常退出" in crashed


def test_a_broken_pool_is_replaced_once_however_many_of_its_tasks_find_it():
    runner = CrashingPool(Rules("national"), 1, frozenset({"csv"}))
    try:
        broken = [runner.submit([("crash.json", "x")]), runner.submit([(str(SEED_JSON), "y")])]
        for task in broken:
            with pytest.raises(BrokenProcessPool):
                task.result()
        runner.recover(broken[0])
        replaced = runner.pool
        working = runner.submit([(str(SEED_JSON), "z")])
        runner.recover(broken[1])  # a task of the pool already replaced: the new pool and its task stay
        assert runner.pool is replaced
        assert working.result().batches["forms"].to_pylist()[0]["status"] == "ok"
    finally:
        runner.close()


def test_csv_decimals_are_plain_exact_text():
    values = [Decimal("98.60"), Decimal("100"), Decimal("0"), Decimal("-0.5"), Decimal("3331.80"),
              Decimal("1E-10"), Decimal("10.05"), Decimal("-12"), Decimal("1234567890123456789.0123456789"), None]
    text = plain_decimal_text(pa.array(values, DECIMAL_TYPE)).to_pylist()
    assert text == ["98.6", "100", "0", "-0.5", "3331.8", "0.0000000001", "10.05", "-12",
                    "1234567890123456789.0123456789", None]
    assert [Decimal(t) for t in text if t is not None] == [v for v in values if v is not None]




def test_the_cli_default_formats_are_the_batch_defaults() -> None:
    from jixiao.batch import DEFAULT_FORMATS
    from jixiao.cli.batch import DEFAULT_EXTRA_FORMATS

    assert {"parquet", *DEFAULT_EXTRA_FORMATS.split(",")} == set(DEFAULT_FORMATS)


def test_waived_findings_are_listed_as_waived_in_every_batch_table(tmp_path, batch_run):
    """``jixiao waive`` on one file, then ``jixiao batch --waivers``: the waived finding stays, marked waived,
    only on the form it was given for, and no longer counts as an error; csv and xlsx say the same."""
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(SEED_JSON, folder / "seed.json")
    other = seed_data()
    other["unit"] = "黔南州另一单位"  # the same findings on another unit's form: not waived
    write_json(folder / "other.json", other)
    waivers = tmp_path / "waivers.json"
    result = CliRunner().invoke(app, ["waive", str(folder / "seed.json"), "--code", "A07", "--reason",
                                      "资金来源另有明细表，已核对", "--by", "李审核", "--waivers", str(waivers)])
    assert result.exit_code == 0, result.output
    _, plain = batch_run(folder, out=tmp_path / "plain")
    _, tables = batch_run(folder, out=tmp_path / "waived", waivers=read_waivers(waivers))
    rows = {(Path(f["file"]).name, f["code"], f["path"]): f for f in tables["findings"]}
    assert len(tables["findings"]) == len(plain["findings"])  # nothing dropped
    waived = rows[("seed.json", "A07", "funds.rows[0].executed")]
    assert waived["waived"] and "资金来源另有明细表" in waived["waiver"] and "已豁免" in waived["message"]
    assert not rows[("other.json", "A07", "funds.rows[0].executed")]["waived"]
    assert [r for r in tables["findings"] if r["waived"]] == [waived]
    errors = {Path(f["file"]).name: f["errors"] for f in tables["forms"]}
    assert errors["seed.json"] == errors["other.json"] - 1
    with open(tmp_path / "waived" / "findings.csv", encoding="utf-8-sig") as handle:
        assert sum("资金来源另有明细表" in line for line in handle) == 1
    sheet = load_workbook(tmp_path / "waived" / XLSX_NAME, read_only=True)["findings"]
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row[-1] and "资金来源另有明细表" in str(row[-1])) == 1


def test_a_waiver_follows_the_form_not_its_file_name(tmp_path, batch_run):
    """Two folders each with a ``seed.json``, of two units: a waiver given on one applies to that unit's form
    only; the same form copied under another name (a resubmission) keeps it."""
    folder = tmp_path / "forms"
    write_json(folder / "a" / "seed.json", seed_data())
    other = seed_data()
    other["unit"] = "黔南州另一单位"
    write_json(folder / "b" / "seed.json", other)
    # the same form in other bytes (not a duplicate file): the same unit's form of the same year
    (folder / "resubmitted.json").write_text(SEED_JSON.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    waivers = tmp_path / "waivers.json"
    result = CliRunner().invoke(app, ["waive", str(folder / "a" / "seed.json"), "--code", "A07", "--reason",
                                      "资金来源另有明细表，已核对", "--by", "李审核", "--waivers", str(waivers)])
    assert result.exit_code == 0, result.output
    _, tables = batch_run(folder, out=tmp_path / "out", waivers=read_waivers(waivers))
    waived = {str(Path(f["file"]).relative_to(folder)) for f in tables["findings"] if f["waived"]}
    assert waived == {"a/seed.json", "resubmitted.json"}


def test_a_missing_waivers_file_is_named(tmp_path):
    result = CliRunner().invoke(app, ["batch", str(SEED_JSON), "--out", str(tmp_path / "out"),
                                      "--waivers", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "none.json" in result.output


def test_a_relative_target_is_scored_with_last_years_form_of_the_same_run(tmp_path, batch_run):
    """The seed (2022) and the same unit's 2023 form whose 服务人才人数 target is 比上年增长5%: in one run the
    2023 target is 3000 × 1.05 = 3150 from the seed's actual; alone, it stays unscorable with the note."""
    folder = tmp_path / "forms"
    data = seed_data()
    data["year"] = 2023
    data["indicators"][6].update(target="比上年增长5%", actual="3200人")
    write_json(folder / "a-2023.json", data)  # before last year's file in the run's order
    _, alone = batch_run(folder, out=tmp_path / "alone")
    row = next(i for i in alone["indicators"] if i["index"] == 6)
    assert row["method"] == "declared" and row["target_kind"] == "relative"
    shutil.copy(SEED_JSON, folder / "b-2022.json")
    for workers in (1, 2):
        summary, tables = batch_run(folder, out=tmp_path / f"both{workers}", workers=workers)
        assert summary.processed == 2 and [Path(f["file"]).name for f in tables["forms"]] == ["b-2022.json",
                                                                                             "a-2023.json"]
        row = next(i for i in tables["indicators"] if i["file"].endswith("a-2023.json") and i["index"] == 6)
        assert (row["method"], row["score"]) == ("positive", Decimal(2))
        assert sum(i["file"].endswith("a-2023.json") for i in tables["indicators"]) == len(data["indicators"])


def test_last_years_form_and_the_dashboard_key_a_unit_alike(tmp_path, batch_run):
    """The 2023 form names its unit with a space and （盖章）: the run still finds the seed as its last year's
    form, and the dashboard puts both years under one unit (one key, :func:`jixiao.analytics.unit_key`)."""
    folder = tmp_path / "forms"
    data = seed_data()
    data["year"], data["unit"] = 2023, "中共黔南州 委组织部（盖章）"
    data["indicators"][6].update(target="比上年增长5%", actual="3200人")
    write_json(folder / "a-2023.json", data)
    shutil.copy(SEED_JSON, folder / "b-2022.json")
    _, tables = batch_run(folder, out=tmp_path / "out")
    row = next(i for i in tables["indicators"] if i["file"].endswith("a-2023.json") and i["index"] == 6)
    assert (row["method"], row["score"]) == ("positive", Decimal(2))
    assert {analytics.unit_key(f) for f in tables["forms"]} == {"中共黔南州委组织部"}


def test_every_table_format_carries_the_national_total(tmp_path, batch_run):
    """The Hebei double-weight form: its total adds the 折算得分 (98.50), the national rule adds the single
    scores (99.19, as the web's explanation says); the forms table holds both in Parquet, CSV and xlsx."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hebei.txt").write_text(HEBEI_TEXT_FORM, encoding="utf-8")
    shutil.copy(SEED_JSON, tmp_path / "in" / "seed.json")
    _, tables = batch_run(tmp_path / "in", profile_id="auto")
    totals = {Path(r["file"]).name: (r["profile"], r["total"], r["national_total"]) for r in tables["forms"]}
    assert totals == {"hebei.txt": ("hebei@2021.1", Decimal("98.50"), Decimal("99.19")),
                      "seed.json": ("seed-qiannan-2022@2022.1", Decimal("98.60"), None)}
    out = tmp_path / "out"
    with open(out / "forms.csv", encoding="utf-8-sig", newline="") as handle:
        csv_totals = {Path(r["file"]).name: (r["total"], r["national_total"]) for r in csv.DictReader(handle)}
    assert csv_totals == {"hebei.txt": ("98.5", "99.19"), "seed.json": ("98.6", "")}
    sheet = load_workbook(out / XLSX_NAME, read_only=True)["forms"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    column = header.index("national_total")
    assert {Path(r[0]).name: r[column] for r in rows} == {"hebei.txt": 99.19, "seed.json": None}


def test_a_cached_form_is_scored_again_when_its_last_years_form_arrives_or_changes(tmp_path, batch_run):
    """The 2023 form (比上年增长5%) is cached unscorable; last year's form arriving in a later run scores it,
    a change of last year's actual re-scores it, and an unchanged pair is taken from the cache."""
    folder, out = tmp_path / "forms", tmp_path / "out"
    data = seed_data()
    data["year"] = 2023
    data["indicators"][6].update(target="比上年增长5%", actual="3200人")
    write_json(folder / "a-2023.json", data)

    def relative_row(tables):
        return next(i for i in tables["indicators"] if i["file"].endswith("a-2023.json") and i["index"] == 6)

    _, alone = batch_run(folder, out=out)
    assert relative_row(alone)["method"] == "declared"
    shutil.copy(SEED_JSON, folder / "b-2022.json")
    summary, both = batch_run(folder, out=out)
    assert (summary.processed, summary.cached) == (2, 0)
    assert (relative_row(both)["method"], relative_row(both)["score"]) == ("positive", Decimal(2))
    summary, again = batch_run(folder, out=out)
    assert (summary.processed, summary.cached) == (0, 2) and again == both
    last_year = seed_data()
    last_year["indicators"][6]["actual"] = "3100人"  # target 3255: 3200 falls short
    write_json(folder / "b-2022.json", last_year)
    summary, changed = batch_run(folder, out=out)
    assert (summary.processed, summary.cached) == (2, 0)
    assert relative_row(changed)["score"] < Decimal(2)
    (folder / "b-2022.json").unlink()
    summary, gone = batch_run(folder, out=out)
    assert (summary.processed, summary.cached) == (1, 0)
    assert relative_row(gone)["method"] == "declared"


def test_forms_naming_no_unit_are_no_last_year_of_each_other(tmp_path, batch_run):
    """Two forms whose 单位 is only （盖章） name no unit: one is not the other's last year's form."""
    folder = tmp_path / "forms"
    data = seed_data()
    data["year"], data["unit"] = 2023, "（盖章）"
    data["indicators"][6].update(target="比上年增长5%", actual="3200人")
    write_json(folder / "a-2023.json", data)
    last = seed_data()
    last["unit"] = " （盖章）"
    write_json(folder / "b-2022.json", last)
    _, tables = batch_run(folder, out=tmp_path / "out")
    row = next(i for i in tables["indicators"] if i["file"].endswith("a-2023.json") and i["index"] == 6)
    assert row["method"] == "declared" and row["target_kind"] == "relative"
