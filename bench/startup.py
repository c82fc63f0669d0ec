"""Benchmark: start-up time of the ``jixiao`` command against ``python -c pass`` (issue 13 item 4).

Each command runs as a fresh process, as a user runs it, several times; the table gives the median wall time,
the median CPU time of the process (user + system: what the command costs, whatever the machine's load) and
their ratios to a bare interpreter measured in the same run. Under the table: which heavy libraries each
command imported (``python -X importtime``): ``--help`` and ``score`` of a JSON form need none of pyarrow,
Django, reportlab, openpyxl or pdfplumber; and the import time of ``score`` per package — where it goes.
Run: ``python bench/startup.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

SEED = Path(__file__).resolve().parent.parent / "examples" / "qiannan-2022.json"
#: Libraries a command should import only when it needs them.
HEAVY = ("pyarrow", "django", "reportlab", "openpyxl", "pdfplumber", "pdfminer", "docx", "xlrd", "distributed")
CLI = "from jixiao.cli import main; main()"
COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "jixiao --help": ["-c", CLI, "--help"],
    "jixiao --version": ["-c", CLI, "--version"],
    "jixiao score FORM.json": ["-c", CLI, "score", str(SEED)],
    "jixiao audit FORM.json": ["-c", CLI, "audit", str(SEED)],
}
#: The commands run as an installed jixiao runs: pip compiles the package to bytecode when it installs it, so the
#: warm-up run may write the .pyc files a checkout lacks (PYTHONDONTWRITEBYTECODE would have every run compile
#: every jixiao module from source again, about a tenth of ``jixiao score``'s start-up).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``python ARGS`` over ``runs`` runs (after a warm-up that writes the .pyc files)."""
    walls, cpus = [], []
    for _ in range(runs + 1):
        start, cpu = time.perf_counter(), _children_cpu()
        subprocess.run([sys.executable, *args], capture_output=True, check=False, env=ENV)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def imports(args: list[str]) -> list[tuple[int, str]]:
    """(self µs, module) of every import made by ``python -X importtime ARGS``."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=False,
                          env=ENV)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        if own.strip().isdigit():
            rows.append((int(own), name.strip()))
    return rows


def by_package(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Import time summed per top-level package (``pydantic._internal…`` → pydantic), largest first."""
    totals: dict[str, int] = {}
    for own, name in rows:
        package = name.partition(".")[0]
        totals[package] = totals.get(package, 0) + own
    return sorted(((us, name) for name, us in totals.items()), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="3 runs per command (CI)")
    options = parser.parse_args()
    runs = 3 if options.quick else options.runs

    times = {label: timed(args, runs) for label, args in COMMANDS.items()}
    wall_base, cpu_base = times["python -c pass"]
    table = Table(title=f"start-up, median of {runs} runs, one fresh process each; load {os.getloadavg()[0]:.1f}")
    for col in ("command", "wall ms", "ratio", "CPU ms", "CPU ratio"):
        table.add_column(col, justify="left" if col == "command" else "right")
    for label, (wall, cpu) in times.items():
        table.add_row(label, f"{wall * 1000:.0f}", f"{wall / wall_base:.1f}", f"{cpu * 1000:.0f}",
                      f"{cpu / cpu_base:.1f}")
    console = Console()
    console.print(table)
    for label, args in COMMANDS.items():
        if label == "python -c pass":
            continue
        loaded = {name.partition(".")[0] for _, name in imports(args)}
        heavy = sorted(h for h in HEAVY if h in loaded)
        console.print(f"{label}: heavy imports {', '.join(heavy) if heavy else 'none'}", markup=False)
    top = by_package(imports(COMMANDS["jixiao score FORM.json"]))[:8]
    console.print("import time of jixiao score by package (ms): " +
                  ", ".join(f"{name} {us / 1000:.0f}" for us, name in top), markup=False)


if __name__ == "__main__":
    main()
