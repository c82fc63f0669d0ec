"""``jixiao export`` as a user runs it: real files in, files and exit codes out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao.cli import app

from ..conftest import EXAMPLES

SEED = str(EXAMPLES / "qiannan-2022.json")
runner = CliRunner()


@pytest.mark.parametrize("target", ["xlsx", "pdf", "html", "md"])
def test_export_writes_each_format(target: str, tmp_path: Path) -> None:
    out = tmp_path / f"seed.{target}"
    result = runner.invoke(app, ["export", SEED, "--to", target, "-o", str(out), "-p", "seed-qiannan-2022"])
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    assert out.stat().st_size > 1000


def test_export_xlsx_carries_the_computed_column_and_findings(tmp_path: Path) -> None:
    out = tmp_path / "seed.xlsx"
    assert runner.invoke(app, ["export", SEED, "--to", "xlsx", "-o", str(out)]).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["自评表", "复核意见"]
    assert "复核得分" in [c.value for row in wb["自评表"].iter_rows() for c in row]


def test_export_layout_option_overrides_the_form_kind(tmp_path: Path) -> None:
    out = tmp_path / "seed.xlsx"
    result = runner.invoke(app, ["export", SEED, "--to", "xlsx", "-o", str(out), "--layout", "project"])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws is not None and ws["A1"].value == "项目支出绩效自评表"


def test_default_output_never_overwrites_the_input(tmp_path: Path) -> None:
    source = tmp_path / "form.json"
    source.write_text(Path(SEED).read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["export", str(source), "--to", "md"]).exit_code == 0
    assert (tmp_path / "form.md").is_file()


@pytest.mark.parametrize(
    ("args", "place"),
    [
        (["--layout", "nowhere"], "--layout"),
        (["-o", "/nonexistent-dir/x.pdf"], "/nonexistent-dir/x.pdf"),
        (["--profile", "no-such-profile"], ""),
    ],
)
def test_bad_input_exits_2_with_a_named_place(args: list[str], place: str) -> None:
    result = runner.invoke(app, ["export", SEED, "--to", "pdf", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert place in result.stderr


def test_missing_form_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = runner.invoke(app, ["export", str(missing), "--to", "html"])
    assert result.exit_code == 2 and str(missing) in result.stderr


def test_module_entry_point(tmp_path: Path) -> None:
    out = tmp_path / "seed.html"
    repo = EXAMPLES.parent
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "export", SEED, "--to", "html", "-o", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
