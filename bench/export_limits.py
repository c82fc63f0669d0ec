"""Benchmark: export of a form filled to the input limits (``jixiao.model.fullest``) in every format.

The form has 300 indicators whose every cell holds 200 characters, 500-character reasons, 50 fund rows and
10,000-character free texts: the largest the settings allow. Each format is timed on it and on the seed
(a real form) in the same run; the table gives CPU seconds and the ratio fullest/seed. Aim: seconds, not minutes.
Run: ``python bench/export_limits.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jixiao.audit import evaluate
from jixiao.cli.export import Target, writer
from jixiao.io import read
from jixiao.model import Form, fullest
from jixiao.rules import AUTO, resolve_profile

SEED = Path(__file__).resolve().parent.parent / "examples" / "qiannan-2022.json"


def seconds(form: Form, target: Target, folder: Path, runs: int) -> float:
    """Median CPU seconds of writing ``form`` as ``target`` (score and audit done once beforehand): the CPU
    time of this process, whatever else the shared machine runs."""
    card, findings = evaluate(form, resolve_profile(AUTO, form))
    write = writer(target)
    times = []
    for _ in range(runs):
        start = time.process_time()
        write(form, card, findings, folder / f"out.{target.value}", None)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per format (median)")
    parser.add_argument("--quick", action="store_true", help="one run per format (CI)")
    options = parser.parse_args()
    runs = 1 if options.quick else options.runs
    seed, _ = read(SEED)
    big = fullest(seed)
    table = Table(title=f"export at the form limits, median of {runs}; load {os.getloadavg()[0]:.1f}")
    for col in ("format", "seed CPU s", "fullest CPU s", "ratio"):
        table.add_column(col, justify="left" if col == "format" else "right")
    with tempfile.TemporaryDirectory() as tmp:
        for target in Target:
            writer(target)  # import the library before timing
            base, at_limits = seconds(seed, target, Path(tmp), runs), seconds(big, target, Path(tmp), runs)
            table.add_row(target.value, f"{base:.3f}", f"{at_limits:.2f}", f"{at_limits / base:.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()
