"""Benchmark: score + audit N copies of the seed in one process.

Reports forms/second for (a) the baseline — read the files and ``json.loads`` them — and (b) jixiao —
read, validate into the Form model, score and audit — and the ratio b/a. Aim: ≥ 5,000 forms/s on one core.
The steps take turns over slices of the files (``ROUNDS`` rounds), so a load that comes and goes on a shared
machine weighs on every step alike instead of on whichever step ran while it lasted.
Run: ``python bench/core_speed.py [N] [--quick]`` (``--quick``: 500 copies, for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from jixiao.audit import evaluate
from jixiao.io import jsonio
from jixiao.rules import load_profile

SEED = Path(__file__).resolve().parent.parent / "examples" / "qiannan-2022.json"
#: Issue 13's goals: score + audit forms per CPU-second (one core), and read + validate + score + audit as a
#: share of the rate of plain ``json.loads`` of the same bytes (CPU time, one run).
GOAL_RATE = 5000
GOAL_SHARE = 1 / 3


#: How many turns the steps take over the files (each turn runs every step over one slice).
ROUNDS = 10


def _interleaved(steps: list[tuple[str, list[Any], Callable[[Any], object]]]) -> list[tuple[str, float, float]]:
    """(label, forms per wall second, forms per CPU second of this process) of each step, the steps taking turns
    over slices of their items."""
    wall, cpu = [0.0] * len(steps), [0.0] * len(steps)
    for turn in range(ROUNDS):
        for n, (_, items, work) in enumerate(steps):
            part = items[turn * len(items) // ROUNDS:(turn + 1) * len(items) // ROUNDS]
            start, started = time.perf_counter(), time.process_time()
            for item in part:
                work(item)
            wall[n] += time.perf_counter() - start
            cpu[n] += time.process_time() - started
    return [(label, len(items) / wall[n], len(items) / cpu[n]) for n, (label, items, _) in enumerate(steps)]


def main(n: int = 5000) -> None:
    profile = load_profile("seed-qiannan-2022")
    text = SEED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(n):
            path = Path(tmp) / f"form-{i}.json"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        forms = [jsonio.read(p) for p in paths[: min(n, 2000)]]
        rows = _interleaved([
            ("baseline: read + json.loads", paths, lambda p: json.loads(p.read_bytes())),
            ("read + validate (Form)", paths, jsonio.read),
            ("read + validate + score + audit", paths, lambda p: evaluate(jsonio.read(p), profile)),
            ("score + audit only (in memory)", forms, lambda form: evaluate(form, profile)),
        ])
    base, base_cpu = rows[0][1], rows[0][2]
    table = Table(title=f"core speed, {n} copies of the seed ({len(text)} bytes each), one process")
    for col in ("step", "forms/s", "ratio to baseline", "forms per CPU-s", "ratio (CPU)"):
        table.add_column(col, justify="right" if col != "step" else "left")
    for label, rate, cpu_rate in rows:
        table.add_row(label, f"{rate:,.0f}", f"{rate / base:.3f}", f"{cpu_rate:,.0f}", f"{cpu_rate / base_cpu:.3f}")
    console = Console(width=120)
    console.print(table)
    console.print("forms per CPU-s: the rate on one idle core (this process's CPU time; a shared machine's "
                    "wall clock also counts the time other jobs hold the core).")
    console.print(f"机器负载（uptime）：{' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    validated, whole, in_memory = rows[1][2] / base_cpu, rows[2][2] / base_cpu, rows[3][2]
    console.print(f"goal score + audit ≥ {GOAL_RATE:,} forms per CPU-s: {in_memory:,.0f} — "
                  f"{'met' if in_memory >= GOAL_RATE else 'not met'}")
    console.print(f"goal read + validate + score + audit ≥ {GOAL_SHARE:.3f} of json.loads (CPU): {whole:.3f} — "
                  f"{'met' if whole >= GOAL_SHARE else 'not met'}; read + validate alone is {validated:.3f}, "
                  "the most the whole could reach if scoring and auditing cost nothing")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="score + audit of the seed, forms/s and ratio to json.loads")
    parser.add_argument("n", nargs="?", type=int, default=5000, help="copies of the seed")
    parser.add_argument("--quick", action="store_true", help="500 copies, for CI")
    args = parser.parse_args()
    main(500 if args.quick else args.n)
