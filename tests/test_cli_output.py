"""The output side of the command line (hardening finding 18): a full disk, a path through a file, an output
that is a device — one Chinese line naming the path, exit 2, no traceback and no half-written file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO

SEED = str(EXAMPLES / "qiannan-2022.json")
DEV_FULL = Path("/dev/full")


@pytest.fixture()
def full(tmp_path: Path) -> Path:
    """A full disk for real: a device every write to fails with ENOSPC — this test's own copy of /dev/full
    (as root), so that a bug replacing it by a file could never break the machine's; else /dev/full."""
    own = tmp_path / "full"
    try:
        os.mknod(own, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return own
    except OSError:
        if DEV_FULL.exists() and stat.S_ISCHR(DEV_FULL.stat().st_mode):
            return DEV_FULL
    pytest.skip("no full device on this system")


def jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "jixiao", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.mark.parametrize("target", ["xlsx", "pdf", "html", "md"])
def test_export_to_a_full_disk_is_one_line_and_the_device_stays(target: str, full: Path) -> None:
    line = one_line(jixiao("export", SEED, "--to", target, "-o", str(full)))
    assert line == f"错误 {full}: 无法写入文件（磁盘空间已满）"
    assert stat.S_ISCHR(full.stat().st_mode)  # written to, never replaced by a file (root could)


def test_parse_and_report_to_a_full_disk(tmp_path: Path, full: Path) -> None:
    assert one_line(jixiao("parse", SEED, "-o", str(full))) == f"错误 {full}: 无法写入文件（磁盘空间已满）"
    assert one_line(jixiao("parse", SEED, "--notes", str(full))) == f"错误 {full}: 无法写入文件（磁盘空间已满）"
    batch = jixiao("batch", SEED, "--out", str(tmp_path / "out"), "--workers", "1", "--formats", "")
    assert batch.returncode == 0, batch.stderr
    report = jixiao("report", str(tmp_path / "out"), "-o", str(full))
    assert one_line(report) == f"错误 {full}: 无法写入文件（磁盘空间已满）"
    assert stat.S_ISCHR(full.stat().st_mode)


def test_an_output_path_through_a_file_is_one_line_and_nothing_is_left(tmp_path: Path) -> None:
    """A folder that cannot be written to — refused to root as well (a read-only folder is not)."""
    (tmp_path / "file").write_text("x")
    blocked = tmp_path / "file" / "out"
    for args in (["export", SEED, "--to", "pdf", "-o", str(blocked / "x.pdf")],
                 ["parse", SEED, "-o", str(blocked / "x.json")]):
        line = one_line(jixiao(*args))
        assert line.startswith(f"错误 {blocked}/x.") and line.endswith("无法写入文件（路径中有一段不是文件夹）"), line
    waive = ["waive", SEED, "--code", "A07", "--reason", "批准", "--by", "审核人", "--waivers", str(blocked / "w.json")]
    assert one_line(jixiao(*waive)) == f"错误 {blocked}/w.json: 无法写入文件（路径中有一段不是文件夹）"
    line = one_line(jixiao("batch", SEED, "--out", str(blocked), "--workers", "1"))
    assert line == f"错误 {blocked}: 无法写入输出文件夹（路径中有一段不是文件夹）"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]

