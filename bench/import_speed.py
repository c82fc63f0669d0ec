"""Import speed per format, as a ratio to the bare library read of the same file.

    PYTHONPATH=. .venv/bin/python bench/import_speed.py [--repeat 5] [--quick]

The baseline is what any program must pay to open the file with the library we use
(openpyxl.load_workbook, xlrd.open_workbook, pdfplumber text extraction, python-docx Document());
the ratio shows what sniffing, safety checks and the layout logic add on top. Times are the best
of ``--repeat`` runs, measured in this run on this machine (never compared with fixed numbers).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import xlrd
from rich.console import Console
from rich.table import Table

from jixiao.io import read

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def pdf_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


BASELINES: dict[str, tuple[str, Callable[[Path], object]]] = {
    "xlsx": ("openpyxl.load_workbook", lambda p: openpyxl.load_workbook(p, data_only=True)),
    "xls": ("xlrd.open_workbook", lambda p: xlrd.open_workbook(str(p), formatting_info=True)),
    "pdf": ("pdfplumber extract_text", pdf_text),
    "docx": ("docx.Document", lambda p: docx.Document(str(p))),
}
FILES = [
    "seed.xlsx",
    "seed-shifted.xlsx",
    "project-012.xlsx",
    "seed.xls",
    "seed.pdf",
    "project-012.pdf",
    "seed.docx",
]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run per file, for CI")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    table = Table(title="导入速度（每张表单，相对于库本身的读取）")
    for column in ("文件", "基线", "基线 ms", "jixiao ms", "倍数"):
        table.add_column(column, justify="right" if "ms" in column or column == "倍数" else "left")
    for name in FILES:
        path = FIXTURES / name
        label, baseline = BASELINES[path.suffix.lstrip(".")]
        base = best_of(args.repeat, partial(baseline, path))
        ours = best_of(args.repeat, partial(read, path))
        table.add_row(name, label, f"{base * 1000:.1f}", f"{ours * 1000:.1f}", f"{ours / base:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
