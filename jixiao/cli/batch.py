"""Batch commands: ``jixiao batch`` (many forms → three tables) and ``jixiao report`` (their dashboard)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from . import (
    AUTO,
    EXIT_INTERRUPTED,
    EXIT_UNUSABLE,
    app,
    err,
    fail,
    guarded,
    input_errors,
    needs_extra,
    out,
    say_interrupted,
    show,
    written,
)
from .core import WaiversOpt, given_waivers

#: What ``--formats`` adds to Parquet by default (jixiao.batch.DEFAULT_FORMATS, named here so that the
#: CLI loads without the batch extra; a test keeps the two equal).
DEFAULT_EXTRA_FORMATS = "csv,xlsx"


class FilesPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} 个/秒" if speed else "— 个/秒", style="cyan")


@app.command()
def batch(
    paths: Annotated[list[Path], typer.Argument(help="表单文件或文件夹（递归读取）", show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹")] = Path("jixiao-batch"),
    profile: Annotated[str, typer.Option("--profile", "-p", help="评分规则：auto 按每张表的模板和年度选择，或规则代码（见 jixiao profiles）")] = AUTO,
    workers: Annotated[int, typer.Option("--workers", "-w", help="进程数（默认：全部 CPU 核）")] = 0,
    force: Annotated[bool, typer.Option("--force", help="忽略缓存，全部重新处理")] = False,
    dask: Annotated[str | None, typer.Option("--dask", help="在已有的 Dask 集群上运行（调度器地址）")] = None,
    formats: Annotated[str, typer.Option("--formats", help="除 Parquet 外还写出：csv,xlsx（逗号分隔，可为空）")] = DEFAULT_EXTRA_FORMATS,
    waivers: WaiversOpt = None,
) -> None:
    """批量读取、评分、复核文件夹中的全部表单，输出 forms / indicators / findings 三张表。

    给出 --waivers 时，已豁免的问题在 findings 表中仍然列出（waived 列为真，waiver 列写明理由），不计入错误数。
    """
    with needs_extra("batch"):
        from ..batch import FORMATS, Interrupted, prepare_output, run_batch

        if dask is not None:
            import distributed  # noqa: F401  # --dask: a missing extra is said before any work starts
    if missing := [str(p) for p in paths if not os.path.lexists(p)]:
        fail(InputError("路径不存在", "、".join(missing)))
    chosen = {"parquet", *(f.strip() for f in formats.split(",") if f.strip())}
    if unknown := chosen - set(FORMATS):
        fail(InputError(f"未知的输出格式：{'、'.join(sorted(unknown))}（可选 csv、xlsx）", "--formats"))
    if profile != AUTO:
        from ..rules import load_profile

        guarded(lambda: load_profile(profile))
    guarded(lambda: prepare_output(out_dir))  # before the progress bar: a refusal is then the only line
    given = given_waivers(waivers)
    columns = (TextColumn("[bold]复核"), BarColumn(), MofNCompleteColumn(), FilesPerSecond(),
               TimeRemainingColumn(), TextColumn("错误 [red]{task.fields[errors]}"))
    try:
        with input_errors(), Progress(*columns, console=err, transient=False) as bar:
            task = bar.add_task("batch", total=None, errors=0)
            summary = run_batch(paths, out_dir, profile, workers or None, force, dask, chosen,
                                progress=lambda n, errors: bar.update(task, advance=n, errors=errors),
                                total=lambda n: bar.update(task, total=n), waivers=given)
    except Interrupted as stop:
        say_interrupted(f"已中断（Ctrl+C）：已完成的 {stop.kept} 张表已保存，再次运行同一命令即从中断处继续。")
        _exit_interrupted()
    table = Table(title=f"批量复核（规则：{profile}）")
    for name in ("找到", "已复核", "缓存（未变）", "错误（原因见 forms 表）", "重复"):
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in (summary.found, summary.processed, summary.cached, summary.errors,
                                     summary.duplicates)))
    show(table)
    if summary.resumed:
        out.print(f"其中 {summary.resumed} 张取自上次中断的运行（已完成的部分，未重新处理）。", markup=False)
    out.print(f"输出：{out_dir}（{'、'.join(summary.outputs)}）", markup=False)


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="jixiao batch 的输出文件夹", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML 文件（默认 OUT_DIR/report.html）")] = None,
) -> None:
    """由批量结果生成独立的 HTML 报告（图表内嵌，无需联网）。"""
    with needs_extra("batch"):
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401  # the dashboard reads Parquet tables
    from ..report.dashboard import DASHBOARD_COLUMNS, load_tables, render_dashboard

    target = output or out_dir / "report.html"
    try:
        tables = load_tables(out_dir, DASHBOARD_COLUMNS)
    except OSError as exc:
        err.print(f"[red]错误[/red] {out_dir}: 找不到批量结果（{exc.strerror or exc}），请先运行 jixiao batch")
        raise typer.Exit(EXIT_UNUSABLE) from None
    page = render_dashboard(tables["forms"], tables["indicators"], tables["findings"])
    guarded(lambda: written(target, lambda path: path.write_text(page, encoding="utf-8")))
    out.print(f"报告：{target}", markup=False)


def _exit_interrupted() -> None:
    """Exit 130 after Ctrl-C, even when a worker pool's thread cannot end.

    A worker stopped while it was writing a result leaves half a message in the pool's result pipe; the
    interpreter's exit then joins the pool's manager thread, which waits for the rest of that message for
    ever (seen under load). The finished chunks are on disk by now, so the process leaves without those
    exit hooks when such a thread is still alive.
    """
    if any(t.is_alive() for t in threading.enumerate() if t is not threading.main_thread()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    raise typer.Exit(EXIT_INTERRUPTED) from None
