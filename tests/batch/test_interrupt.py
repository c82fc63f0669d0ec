"""Ctrl-C in a batch run (hardening finding 18): one line, exit 130, the finished chunks kept, and a rerun
that takes them and gives the same tables as a run that was never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from jixiao.batch import RESUME_DIR, SUMMARY, Interrupted, deferred_interrupts, run_batch
from jixiao.report.dashboard import load_tables

from ..conftest import REPO
from .conftest import seed_data, write_json


def _forms(folder: Path, n: int) -> Path:
    """``n`` different real forms: the seed, each with its own unit name."""
    data = seed_data()
    for i in range(n):
        data["unit"] = f"黔南州第{i}单位"
        write_json(folder / f"{i:05}.json", data)
    return folder


def _same_tables(a: Path, b: Path) -> None:
    left, right = load_tables(a), load_tables(b)
    for name in left:
        assert sorted(map(repr, left[name])) == sorted(map(repr, right[name])), name


def test_an_interrupted_run_keeps_its_finished_chunks_and_the_rerun_takes_them(tmp_path: Path) -> None:
    forms = _forms(tmp_path / "forms", 40)
    finished = [0]

    def stop_after_three_chunks(done: int, errors: int) -> None:
        finished[0] += done
        if finished[0] >= 24:
            raise KeyboardInterrupt  # as Ctrl-C arrives: between two chunks of the run

    with pytest.raises(Interrupted) as stop:
        run_batch([forms], tmp_path / "out", workers=1, chunk_size=8, progress=stop_after_three_chunks)
    kept = stop.value.kept  # whole chunks of 8: the third counts once written (progress may come first)
    assert kept in (16, 24)
    assert not (tmp_path / "out" / "forms.parquet").exists()  # nothing published by the interrupted run
    assert not list((tmp_path / "out").glob(".staging-*"))

    resumed = run_batch([forms], tmp_path / "out", workers=1, chunk_size=8)
    assert (resumed.resumed, resumed.cached, resumed.processed) == (kept, kept, 40 - kept)
    assert not (tmp_path / "out" / RESUME_DIR).exists()  # every finished part is in the published tables
    run_batch([forms], tmp_path / "whole", workers=1, chunk_size=8)
    _same_tables(tmp_path / "out", tmp_path / "whole")

    with pytest.raises(Interrupted):  # interrupted again after the cache: the next run takes it all again
        run_batch([forms], tmp_path / "out", workers=1, chunk_size=8, force=True, progress=stop_after_three_chunks)
    again = run_batch([forms], tmp_path / "out", workers=1, chunk_size=8)
    assert (again.processed, again.cached) == (0, 40)
    _same_tables(tmp_path / "out", tmp_path / "whole")


def _cli(*args: str, **options: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "jixiao", *args], env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **options)


def test_ctrl_c_in_a_batch_with_worker_processes_is_one_line_and_the_rerun_resumes(tmp_path: Path) -> None:
    total = 1000  # eight chunks of 125 on two workers
    forms = _forms(tmp_path / "forms", total)
    out = tmp_path / "out"
    run = _cli("batch", str(forms), "--out", str(out), "--workers", "2")
    deadline = time.monotonic() + 300
    # once the second chunk's rows reach the staging folder the first is written whole: press Ctrl-C, to
    # the whole process group as a terminal sends it, workers included (the header alone is a few hundred
    # bytes; a chunk's rows are hundreds of kilobytes)
    sizes: set[int] = set()
    while len(sizes) < 2:
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        sizes |= {size for p in out.glob(".staging-*/indicators.csv") if (size := p.stat().st_size) > 8192}
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("已中断（Ctrl+C）：已完成的 ") and last.endswith("再次运行同一命令即从中断处继续。"), stderr
    kept = int(last.removeprefix("已中断（Ctrl+C）：已完成的 ").split(" ")[0])
    assert 0 < kept < total

    rerun = _cli("batch", str(forms), "--out", str(out), "--workers", "2")
    stdout, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"其中 {kept} 张取自上次中断的运行" in stdout
    summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert (summary["resumed"], summary["processed"], summary["errors"]) == (kept, total - kept, 0)
    whole = _cli("batch", str(forms), "--out", str(tmp_path / "whole"), "--workers", "2")
    assert whole.communicate(timeout=600) and whole.returncode == 0
    _same_tables(out, tmp_path / "whole")


def test_ctrl_c_in_any_command_is_one_line_and_exit_130(tmp_path: Path) -> None:
    waiting = _cli("parse", "-", stdin=subprocess.PIPE)  # reads the form from a pipe nobody writes to
    time.sleep(2)  # waiting for the form by then (Ctrl-C while it loads ends the same way, bar a rare race)
    os.killpg(waiting.pid, signal.SIGINT)
    _, stderr = waiting.communicate(timeout=60)
    assert (waiting.returncode, stderr.strip()) == (130, "已中断（Ctrl+C）。")


def test_ctrl_c_while_a_chunk_is_written_waits_until_it_is_written_whole() -> None:
    """A Ctrl-C between a Parquet row group written and its buffer emptied wrote the group twice: the resumed
    tables held some forms' findings twice (seen under load)."""
    written = []
    with pytest.raises(KeyboardInterrupt), deferred_interrupts():
        os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C arrives, in the middle of writing a chunk
        for table in ("forms", "indicators", "findings"):
            time.sleep(0.01)
            written.append(table)
    assert written == ["forms", "indicators", "findings"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl-C works as before after it
