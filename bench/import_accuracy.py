"""Import accuracy and speed of the text reader on the published-forms corpus.

    PYTHONPATH=. python bench/import_accuracy.py [CORPUS_DIR] [--details]

For every ``NNN.txt`` with its ``NNN.truth.json``: parse, compare field by field
(:func:`jixiao.io.accuracy.compare`), check that a ``complete: partial`` text is reported
truncated (note ``I01``) and that nothing crashes.  Speed is the parse time per form as a
ratio to the baseline of reading and decoding the same file, measured in the same run.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from jixiao.errors import InputError
from jixiao.io.accuracy import FieldResult, accuracy, compare
from jixiao.io.text import decode, read_text

REPEAT = 10


def default_corpus() -> Path:
    """``<repo>/../shared/corpus`` (a worktree sits one level deeper: ``<repo>/../../shared``)."""
    repo = Path(__file__).resolve().parents[1]
    return next(
        (
            p
            for p in (repo.parent / "shared" / "corpus", repo.parent.parent / "shared" / "corpus")
            if p.is_dir()
        ),
        repo.parent / "shared" / "corpus",
    )


def corpus_forms(corpus: Path) -> list[Path]:
    """The corpus texts that have a ground truth next to them."""
    return sorted(p for p in corpus.glob("*.txt") if p.with_suffix(".truth.json").exists())


def is_partial(path: Path) -> bool:
    """The corpus metadata says the page holds only the first part of the form."""
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    return "# complete: partial" in head


def _timed(action: object) -> float:
    start = time.perf_counter()
    for _ in range(REPEAT):
        action()  # type: ignore[operator]
    return (time.perf_counter() - start) / REPEAT


def main(argv: list[str]) -> int:
    corpus = Path(next((a for a in argv if not a.startswith("--")), default_corpus()))
    details = "--details" in argv
    console = Console()
    table = Table(title=f"文本导入准确率 — {corpus}")
    for column in ("表", "字段", "正确", "准确率", "截断?", "I01", "解析 ms", "解析/读取"):
        table.add_column(column, justify="right")
    everything: list[FieldResult] = []
    missed_truncations, crashes, ratios = [], [], []
    for path in track(corpus_forms(corpus), description="解析语料", console=console):
        truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        try:
            form, notes = read_text(path)
        except InputError as exc:
            crashes.append(f"{path.name}: {exc}")
            continue
        results = compare(form, truth)
        everything += results
        partial = is_partial(path)
        reported = any(n.code == "I01" for n in notes)
        if partial and not reported:
            missed_truncations.append(path.name)
        baseline = _timed(lambda p=path: decode(p.read_bytes(), str(p)))
        elapsed = _timed(lambda p=path: read_text(p))
        ratio = elapsed / baseline
        ratios.append(ratio)
        table.add_row(
            path.stem,
            str(len(results)),
            str(sum(r.ok for r in results)),
            f"{accuracy(results):.0%}",
            "是" if partial else "",
            "✓" if reported else "",
            f"{elapsed * 1000:.1f}",
            f"{ratio:.0f}×",
        )
        if details:
            for r in results:
                if not r.ok:
                    console.print(f"  [red]{path.stem} {r.path}[/]: 应为 {r.expected!r}，读到 {r.got!r}")
    console.print(table)
    console.print(
        f"总体：{sum(r.ok for r in everything)}/{len(everything)} 字段正确 = "
        f"[bold]{accuracy(everything):.1%}[/]（目标 ≥ 95%）"
    )
    console.print(
        f"截断报告：{'全部报告' if not missed_truncations else '漏报 ' + ', '.join(missed_truncations)}"
    )
    console.print(f"崩溃/拒绝：{len(crashes)}" + "".join(f"\n  {c}" for c in crashes))
    if ratios:
        ratios.sort()
        console.print(
            f"速度：解析时间 / 读取+解码时间 中位数 {ratios[len(ratios) // 2]:.0f}×，最大 {ratios[-1]:.0f}×"
        )
    return 0 if not crashes else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
