"""The CLI as a user runs it: real files in, exit codes and output out (typer's CliRunner, no mocks)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app

from .conftest import EXAMPLES, REPO

SEED = str(EXAMPLES / "qiannan-2022.json")
runner = CliRunner()


def test_score_json_contract() -> None:
    result = runner.invoke(app, ["score", SEED, "--profile", "seed-qiannan-2022", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_float=Decimal)
    assert set(data) >= {"total", "grade", "execution", "blocks", "indicators", "total_declared"}
    assert data["total"] == Decimal("98.60") and data["total_declared"] == Decimal("97.5")
    assert data["execution"] == {**data["execution"], "rate": Decimal("99.45"), "score": 9}
    item = next(i for i in data["indicators"] if i["name"] == "开展项目个数")
    assert item["score"] == Decimal("0.92") and item["declared"] == Decimal("0.5")
    assert item["method"] == "positive" and "12/13 × 1 = 0.92" in item["explanation"]
    assert {"name", "weight", "score", "declared", "method", "explanation"} <= set(item)


def test_score_table_for_people() -> None:
    result = runner.invoke(app, ["score", SEED, "-p", "seed-qiannan-2022"])
    assert result.exit_code == 0
    assert "开展项目个数" in result.stdout and "98.60（优）" in result.stdout


def test_audit_exit_code_and_json() -> None:
    result = runner.invoke(app, ["audit", SEED, "--json"])
    assert result.exit_code == 1  # the seed has error findings
    data = json.loads(result.stdout)
    assert data["counts"]["error"] == sum(1 for f in data["findings"] if f["severity"] == "error") > 0
    assert {"code", "severity", "location", "message"} <= set(data["findings"][0])


def test_audit_exit_zero_without_errors(tmp_path: Path) -> None:
    form = json.loads(Path(SEED).read_text(encoding="utf-8"), parse_float=Decimal)
    form["indicators"] = [i for i in form["indicators"] if i["level2"] != "成本"]
    for i in form["indicators"]:
        i["actual"] = i["actual"].lstrip("≥")
        if i["name"] == "开展项目个数":
            i["actual"], i["score_declared"], i["reason"] = "13个", 1, None
    form["indicators"].append({"level1": "产出指标", "level2": "成本", "name": "项目支出", "target": "≤3989.07万元",
                               "actual": "3967.29万元", "weight": 10, "score_declared": 10, "reason": None})
    form["funds"]["rows"] = form["funds"]["rows"][:1]
    form["funds"]["rows"][0]["initial"] = form["funds"]["rows"][0]["budget"]
    form["goals"]["actual"] = "完成档案数字化300份、轮训覆盖全部县处级干部，综合考核位列全省前列。"
    form["conclusion"] = "自评总分99分，等级为优。"
    form["total_declared"] = Decimal("99")
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(form, ensure_ascii=False, default=str), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path), "-p", "seed-qiannan-2022", "--json"])
    data = json.loads(result.stdout)
    assert data["counts"]["error"] == 0, data["findings"]
    assert result.exit_code == 0


@pytest.mark.parametrize(("content", "fragment"), [
    ("{\"kind\": ", "不是有效的 JSON 第1行第10列：此处应为一个值"),
    ("{\"kind\": \"department\" \"x\": 1}", "缺少逗号"),
    ("{\"kind\": \"department\", \"indicators\": [], \"funds\": []}", "funds: 应为 JSON 对象"),
    ("{\"kind\": \"department\", \"indicators\": {}}", "indicators: 应为 JSON 列表"),
    ("[1, 2]", "顶层应为 JSON 对象"),
    ("{\"indicators\": []}", "kind"),
    ("{\"kind\": \"department\", \"indicators\": [{\"name\": \"x\", \"weight\": -1}]}", "indicators[0].weight"),
    ("{\"kind\": \"department\", \"indicators\": [{\"name\": \"x\", \"weight\": \"两分\"}]}", "应为数字"),
    ("{\"kind\": \"department\", \"indicators\": [{\"name\": \"x\", \"weight\": 0}]}", "分值之和为 0"),
    ("{\"kind\": \"department\", \"indicators\": [], \"funds\": {\"rows\": [{\"label\": \"a\", \"budget\": \"x\"}]}}",
     "funds.rows[0].budget"),
])
def test_bad_input_names_the_field_and_exits_2(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    for command in ("score", "audit"):
        result = runner.invoke(app, [command, str(path)])
        assert result.exit_code == 2
        assert fragment in result.stderr and "bad.json" in result.stderr
        assert "Traceback" not in result.output + result.stderr
        assert not re.search(r"Input should|Expecting|[Vv]alue error", result.stderr), result.stderr


def test_unknown_profile_and_missing_file() -> None:
    result = runner.invoke(app, ["score", SEED, "--profile", "nope"])
    assert result.exit_code == 2 and "national" in result.stderr
    result = runner.invoke(app, ["audit", "/nonexistent/form.json"])
    assert result.exit_code == 2 and "无法读取" in result.stderr


def test_profiles_lists_the_shipped_rules() -> None:
    result = runner.invoke(app, ["profiles", "--json"])
    assert result.exit_code == 0
    ids = {p["id"] for p in json.loads(result.stdout)}
    assert {"national", "seed-qiannan-2022"} <= ids


def test_schema_matches_docs() -> None:
    result = runner.invoke(app, ["schema"])
    docs = (EXAMPLES.parent / "docs" / "form.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(docs), "run: jixiao schema > docs/form.schema.json"


def test_audit_reports_what_the_importer_could_not_read(data_dir: Path) -> None:
    """Corpus 001 is cut inside 满意度指标: the audit says where, next to the rule findings."""
    result = runner.invoke(app, ["audit", str(data_dir / "corpus" / "001.txt"), "--json"])
    findings = json.loads(result.stdout)["findings"]
    truncated = [f for f in findings if f["code"] == "I01"]
    assert truncated and "公众满" in truncated[0]["message"] and "001.txt" in truncated[0]["location"]
    assert any(f["code"] == "A07" for f in findings)  # 年度资金总额 0 against 本年财政拨款 90


def test_parse_writes_the_import_notes_as_json(tmp_path: Path) -> None:
    source = tmp_path / "006.txt"
    source.write_bytes((REPO / "tests" / "data" / "corpus" / "006.txt").read_bytes())
    result = runner.invoke(app, ["parse", str(source), "-o", str(tmp_path / "form.json"),
                                 "--notes", str(tmp_path / "notes.json")])
    assert result.exit_code == 0, result.output
    notes = json.loads((tmp_path / "notes.json").read_text(encoding="utf-8"))
    truncated = next(n for n in notes if n["code"] == "I01")  # the corpus text stops mid-table
    assert set(truncated) == {"code", "severity", "message", "path", "place", "location"}
    assert truncated["severity"] == "warning" and "中断" in truncated["message"]
    assert truncated["location"]["file"] == str(source) and truncated["place"].endswith("行")
    assert json.loads((tmp_path / "form.json").read_text(encoding="utf-8"))["indicators"]


def test_parse_notes_of_a_clean_form_are_an_empty_list(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", SEED, "--notes", str(tmp_path / "notes.json")])
    assert result.exit_code == 0 and json.loads(result.stdout)["indicators"]
    assert json.loads((tmp_path / "notes.json").read_text(encoding="utf-8")) == []


def test_parse_notes_into_a_missing_folder_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", SEED, "--notes", str(tmp_path / "no" / "notes.json"),
                                 "-o", str(tmp_path / "form.json")])
    assert result.exit_code == 2 and "无法写入" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("block", ["contact", "funds", "goals"])
def test_null_blocks_mean_absent(tmp_path: Path, block: str) -> None:
    data = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    data[block] = None
    path = tmp_path / "null.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path), "--json"])
    assert result.exit_code == 1, result.stderr  # errors found, form read
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"contact": "C05", "funds": "C07", "goals": "C04"}[block] in codes


@pytest.mark.parametrize("command", [["score", "--json"], ["audit", "--json"], ["parse"]])
def test_commands_read_standard_input(command: list[str]) -> None:
    seed = (EXAMPLES / "qiannan-2022.json").read_bytes()
    piped = runner.invoke(app, [command[0], "-", *command[1:]], input=seed)
    from_file = runner.invoke(app, [command[0], SEED, *command[1:]])
    assert piped.exit_code == from_file.exit_code and piped.exit_code in (0, 1), piped.stderr
    assert piped.stdout.replace("<stdin>", "") == from_file.stdout.replace(SEED, "").replace("qiannan-2022.json", "")


def test_export_from_standard_input_needs_an_output(tmp_path: Path) -> None:
    seed = (EXAMPLES / "qiannan-2022.json").read_bytes()
    refused = runner.invoke(app, ["export", "-", "--to", "md"], input=seed)
    assert refused.exit_code == 2 and "--output" in refused.stderr
    done = runner.invoke(app, ["export", "-", "--to", "md", "-o", str(tmp_path / "out.md")], input=seed)
    assert done.exit_code == 0, done.stderr
    assert "开展项目个数" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_the_command_line_starts_without_the_core() -> None:
    """``jixiao --help`` and ``--version`` load neither pydantic nor the rules (start-up time, bench/startup.py);
    the constants the command line names itself are the core's."""
    import subprocess
    import sys

    from jixiao import io, rules
    from jixiao.cli import AUTO
    from jixiao.cli.io import FORMATS

    assert AUTO == rules.AUTO and FORMATS == io.FORMATS
    probe = "import sys, jixiao.cli; print(sorted({m.partition('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    for heavy in ("pydantic", "simplejson", "pyarrow", "django", "reportlab", "openpyxl"):
        assert f"'{heavy}'" not in loaded, heavy


def test_scoring_a_json_form_loads_no_reader_of_other_formats() -> None:
    """``jixiao score FORM.json`` imports neither the heavy libraries nor the readers of Office files (olefile):
    start-up time of the command a user runs most (bench/startup.py)."""
    import subprocess
    import sys

    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(sorted({m.partition('.')[0] for m in sys.modules}), file=sys.stderr))\n"
             "from jixiao.cli import main\nmain()")
    done = subprocess.run([sys.executable, "-c", probe, "score", SEED], capture_output=True, text=True, check=False)
    assert "总分" in done.stdout, done.stderr
    for heavy in ("olefile", "pyarrow", "django", "reportlab", "openpyxl", "pdfplumber", "docx", "xlrd"):
        assert f"'{heavy}'" not in done.stderr, heavy


def _this_year(tmp_path: Path) -> Path:
    """The seed form as its unit's next year: one target written relative to last year (比上年增长5%)."""
    data = json.loads(Path(SEED).read_text(encoding="utf-8"))
    data["year"] = 2023
    data["indicators"][6].update(target="比上年增长5%", actual="3200人")  # 服务人才人数: ≥3000人 in 2022
    path = tmp_path / "2023.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_score_with_last_year_scores_a_relative_target(tmp_path: Path) -> None:
    this_year = _this_year(tmp_path)
    alone = json.loads(runner.invoke(app, ["score", str(this_year), "--json"]).stdout)["indicators"][6]
    assert alone["method"] == "declared" and "缺少上年同一指标的实际完成值" in alone["explanation"]
    result = runner.invoke(app, ["score", str(this_year), "--last-year", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)["indicators"][6]
    assert item["method"] == "positive" and item["score"] == 2
    assert "按上年实际完成值 ≥3000人 计算：3000 × (1 + 5%) = 3150" in item["explanation"]
    audited = runner.invoke(app, ["audit", str(this_year), "--last-year", str(SEED), "--json"])
    assert audited.exit_code == 1  # the seed's own errors remain
    assert all(f["path"] != "indicators[6].score_declared" for f in json.loads(audited.stdout)["findings"])


def test_audit_with_last_year_lists_the_cross_year_findings_in_order_and_says_what_they_compare_with(
        tmp_path: Path) -> None:
    from jixiao.audit import SEVERITY_ORDER

    data = json.loads(_this_year(tmp_path).read_text(encoding="utf-8"))
    data["indicators"][1]["target"] = "≥200份"  # 2022 delivered ≥300份: D06
    this_year = tmp_path / "lowered.json"
    this_year.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    audited = runner.invoke(app, ["audit", str(this_year), "--last-year", str(SEED), "--json"])
    findings = json.loads(audited.stdout)["findings"]
    [d06] = [f for f in findings if f["code"] == "D06"]
    assert d06["path"] == "indicators[1].target" and d06["source"] == f"上年的表 {SEED}"
    assert all(f["source"] is None for f in findings if f["code"] != "D06")
    checks = [(SEVERITY_ORDER[f["severity"]], f["code"]) for f in findings if not f["code"].startswith("I")]
    assert checks == sorted(checks)
    text = runner.invoke(app, ["audit", str(this_year), "--last-year", str(SEED)], terminal_width=400).stdout
    assert "依据：上年的表" in text


def test_last_year_must_be_an_earlier_year(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(SEED), "--last-year", str(_this_year(tmp_path))])
    assert result.exit_code == 2 and "不早于本表" in result.output
