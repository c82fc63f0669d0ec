"""Load benchmark of the web application on loopback (httpx async client against `jixiao serve`/waitress).

50 users each edit their own form, saving every 5 s (every save re-scores live, as the entry page does), while a
reviewer keeps loading the dashboard of a 500-unit bureau. The editors' first saves are spread evenly over one
pause, as people who did not all press a key at the same instant (with all of them starting together, p95 measured
the queue of 50 simultaneous saves instead of the pace the goal names). ``--sweep`` finds the saturation point
instead: the same users with ever shorter pauses until save p95 passes 500 ms (with each number of server
processes of ``--workers``). ``--profile N`` profiles the live save instead: one user's N saves in this process
through Django's test client (CSRF checked), the CPU per save without the profiler, then cProfile's hot spots
(``PROFILE_LINES``: rows by cumulative time, default 30; ``PROFILE_SORT``: the order of the second table, default
tottime). Reports p50/p95 latency, the server's
CPU per save (alone, and with all the editors saving at once: server CPU time / saves), errors and
lost updates, on SQLite and, when reachable, on PostgreSQL (a scratch database ``<name>_webload`` next to the
database of ``--postgres``, dropped afterwards), for each number of server processes in ``--workers``. Bounded in
time.

    PYTHONPATH=. .venv/bin/python bench/web_load.py [--seconds 20] [--users 50] [--units 500] [--think 5]
        [--workers 1 2] [--postgres postgres://postgres@127.0.0.1:5432/NAME] [--sweep | --profile N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "qiannan-2022.json"
PASSWORD = "bench-password-1"
VERSION = re.compile(r'id="version" name="version" value="(\d+)"')
console = Console(width=170)


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, seconds: float, ok: bool) -> None:
        self.latencies.append(seconds * 1000)
        self.errors += not ok

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def populate(users: int, units: int) -> dict[str, Any]:
    """A bureau with ``units`` units (their forms in mixed statuses) and ``users`` fillers with a draft each."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from jixiao.io import jsonio
    from jixiao.web import services
    from jixiao.web.models import Membership, Organisation

    call_command("migrate", interactive=False, verbosity=0)
    seed = jsonio.read(SEED)
    make_user = get_user_model().objects.create_user
    forms: dict[str, int] = {}
    with transaction.atomic():
        bureau = Organisation.objects.create(name="压测财政局", kind=Organisation.Kind.BUREAU)
        reviewer = make_user("reviewer", password=PASSWORD)
        Membership.objects.create(user=reviewer, organisation=bureau, role=Membership.Role.REVIEWER)
        approver = make_user("approver", password=PASSWORD)
        for n in range(units):
            unit = Organisation.objects.create(
                name=f"压测单位{n:03d}", kind=Organisation.Kind.UNIT, parent=bureau
            )
            Membership.objects.create(user=approver, organisation=unit, role=Membership.Role.APPROVER)
            if n < users:
                filler = make_user(f"filler{n}", password=PASSWORD)
                Membership.objects.create(user=filler, organisation=unit, role=Membership.Role.FILLER)
                forms[f"filler{n}"] = services.create_form(filler, unit, seed).record.pk
            elif n % 10:  # every tenth unit has not started
                record = services.create_form(approver, unit, seed).record
                services.submit(approver, record.pk)
                if n % 3 == 0:
                    services.approve(reviewer, record.pk)
    connection.close()
    return {"bureau": bureau.pk, "forms": forms}


def drop_world() -> None:
    """Empty the database for the next run, which creates the same users and units again."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jixiao",
            "serve",
            "--port",
            str(port),
            "--threads",
            "16",
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # never read: a full pipe would stall the server
        start_new_session=True,  # its own process group: the forked workers stop with it
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login/", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGKILL)
    raise RuntimeError("server did not start")


#: Logins at once: argon2 is slow on purpose, and 50 at a time on a busy machine would time out.
LOGIN_SLOTS = 2
LOGIN_TIMEOUT = 600


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the server stops its workers), then SIGKILL to the whole group if a busy machine is too slow."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=60)


async def login(client: httpx.AsyncClient, username: str, slots: asyncio.Semaphore) -> None:
    async with slots:
        await client.get("/login/", timeout=LOGIN_TIMEOUT)
        response = await client.post(
            "/login/",
            timeout=LOGIN_TIMEOUT,
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
        )
    if response.status_code != 302:
        raise RuntimeError(f"login failed for {username}: {response.status_code}")


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server process and its forked workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    proc = Path("/proc")
    pids = [pid] + [
        int(child) for task in proc.glob(f"{pid}/task/*") for child in (task / "children").read_text().split()
    ]
    total = 0
    for p in pids:
        fields = (proc / str(p) / "stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


@dataclass
class Start:
    """Everyone logs in first (argon2 is slow on purpose); the timed run starts when all are ready."""

    expected: int
    ready: int = 0
    go: asyncio.Event = field(default_factory=asyncio.Event)
    stop: float = 0.0
    seconds: float = 0.0
    probe: Callable[[], float] = lambda: float("nan")
    cpu_at_go: float = float("nan")
    logins: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(LOGIN_SLOTS))

    async def arrive(self) -> None:
        self.ready += 1
        if self.ready == self.expected:
            self.stop = time.monotonic() + self.seconds
            self.cpu_at_go = self.probe()
            self.go.set()
        await self.go.wait()


async def editor(
    base: str, username: str, form_id: int, start: Start, samples: Samples, last: dict[str, str], think: float,
    offset: float = 0.0,
) -> None:
    """One filler saving their form again and again (pausing ``think`` s like a typist), new conclusion each time;
    the first save ``offset`` s after the start."""
    from jixiao.io import jsonio
    from jixiao.web.entry import post_from_form

    fields = post_from_form(jsonio.read(SEED))
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await login(client, username, start.logins)
        page = await client.get(f"/forms/{form_id}/")
        version = int(VERSION.search(page.text).group(1))  # type: ignore[union-attr]
        await start.arrive()
        await asyncio.sleep(offset)
        n = 0
        while time.monotonic() < start.stop:
            n += 1
            conclusion = f"{username} 第{n}次保存"
            started = time.perf_counter()
            response = await client.post(
                f"/forms/{form_id}/save/",
                data={**fields, "version": str(version), "conclusion": conclusion},
                headers={"HX-Request": "true", "X-CSRFToken": client.cookies["csrftoken"]},
            )
            found = VERSION.search(response.text)
            ok = response.status_code == 200 and "已保存" in response.text and found is not None
            samples.add(time.perf_counter() - started, ok)
            if ok:
                version = int(found.group(1))  # type: ignore[union-attr]
                last[username] = conclusion
            await asyncio.sleep(think)


async def reviewer(base: str, bureau: int, start: Start, samples: Samples) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await login(client, "reviewer", start.logins)
        await start.arrive()
        while time.monotonic() < start.stop:
            started = time.perf_counter()
            response = await client.get(f"/bureaus/{bureau}/", params={"year": 2022})
            samples.add(
                time.perf_counter() - started, response.status_code == 200 and "<svg" in response.text
            )


@dataclass
class Run:
    """One load run: the solo baseline, the concurrent samples and the server's CPU milliseconds."""

    solo: Samples
    saves: Samples
    dashboard: Samples
    last: dict[str, str]
    cpu_per_solo_save: float
    cpu_per_dashboard: float
    #: Server CPU / saves while all the editors save at once, without the reviewer (whose dashboards would blur it).
    cpu_per_save_in_run: float


SOLO_SECONDS = 5  # the baselines: one user saving alone without pauses, then the reviewer alone


async def run_load(base: str, world: dict[str, Any], seconds: float, think: float, server_pid: int) -> Run:
    def cpu() -> float:
        return server_cpu_seconds(server_pid)

    last: dict[str, str] = {}
    solo, alone_dashboard = Samples(), Samples()
    first_user, first_form = next(iter(world["forms"].items()))
    alone = Start(1, seconds=SOLO_SECONDS, probe=cpu)
    await editor(base, first_user, first_form, alone, solo, last, 0)
    cpu_per_solo_save = (cpu() - alone.cpu_at_go) * 1000 / max(len(solo.latencies), 1)
    alone = Start(1, seconds=SOLO_SECONDS, probe=cpu)
    await reviewer(base, world["bureau"], alone, alone_dashboard)
    cpu_per_dashboard = (cpu() - alone.cpu_at_go) * 1000 / max(len(alone_dashboard.latencies), 1)
    editors = Start(len(world["forms"]), seconds=max(SOLO_SECONDS, seconds / 2), probe=cpu)
    saved, _ = await concurrent(base, world, editors, think, last, with_reviewer=False)
    cpu_in_run = (cpu() - editors.cpu_at_go) * 1000 / max(len(saved.latencies), 1)
    saves, dashboard = await concurrent(base, world, Start(len(world["forms"]) + 1, seconds=seconds), think, last)
    return Run(solo, saves, dashboard, last, cpu_per_solo_save, cpu_per_dashboard, cpu_in_run)


async def concurrent(
    base: str, world: dict[str, Any], start: Start, think: float, last: dict[str, str], with_reviewer: bool = True
) -> tuple[Samples, Samples]:
    """Every editor saving (pausing ``think`` s, first saves spread over one pause) while the reviewer reloads the
    dashboard: their samples."""
    saves, dashboard = Samples(), Samples()
    users = len(world["forms"])
    await asyncio.gather(
        *(
            editor(base, u, f, start, saves, last, think, offset=think * i / users)
            for i, (u, f) in enumerate(world["forms"].items())
        ),
        *([reviewer(base, world["bureau"], start, dashboard)] if with_reviewer else []),
    )
    return saves, dashboard


#: Pauses between a user's saves for the saturation sweep, from the goal's pace down to no pause at all.
SWEEP_THINK = (5.0, 2.0, 1.0, 0.5, 0.25, 0.1, 0.0)
SATURATED_MS = 500  # save p95 above this: the server is saturated


async def sweep(
    base: str, world: dict[str, Any], seconds: float
) -> list[tuple[float, float, Samples, Samples]]:
    """The same load at ever shorter pauses until save p95 passes :data:`SATURATED_MS`: (think, saves/s, …)."""
    points = []
    for think in SWEEP_THINK:
        saves, dashboard = await concurrent(base, world, Start(len(world["forms"]) + 1, seconds=seconds), think, {})
        points.append((think, len(saves.latencies) / seconds, saves, dashboard))
        if saves.percentile(95) > SATURATED_MS:
            break
    return points


def sweep_database(label: str, env: dict[str, str], args: argparse.Namespace, workers: int) -> None:
    """Saturation point on one database: saves/s and p95 as the editors' pause shrinks."""
    os.environ.update(env)
    world = populate(args.users, args.units)
    port = free_port()
    server = start_server({**os.environ, **env}, port, workers)
    try:
        points = asyncio.run(sweep(f"http://127.0.0.1:{port}", world, args.seconds))
    finally:
        stop_server(server)
    from django.db import connection

    connection.close()
    table = Table(
        title=f"{label}：饱和点（{args.users} 个填报用户 + 1 个审核人，服务进程 {workers} 个，"
        f"每档 {args.seconds:.0f} 秒）"
    )
    for column in ("保存间隔 秒", "保存 次/秒", "保存 p50", "保存 p95", "看板 p95", "错误"):
        table.add_column(column, justify="right")
    for think, rate, saves, dashboard in points:
        table.add_row(
            f"{think:g}",
            f"{rate:.1f}",
            f"{saves.percentile(50):.0f}",
            f"{saves.percentile(95):.0f}",
            f"{dashboard.percentile(95):.0f}",
            str(saves.errors + dashboard.errors),
        )
    console.print(table)
    over = [rate for _, rate, saves, _ in points if saves.percentile(95) > SATURATED_MS]
    below = [rate for _, rate, saves, _ in points if saves.percentile(95) <= SATURATED_MS]
    if over:
        console.print(
            f"{label}，服务进程 {workers} 个：饱和点：保存 p95 超过 {SATURATED_MS} ms 时约 {over[0]:.1f} 次/秒"
            f"（此前最高 {max(below, default=0):.1f} 次/秒时 p95 未超过）。"
        )
    else:
        console.print(
            f"{label}，服务进程 {workers} 个：未饱和：不停顿保存时 {points[-1][1]:.1f} 次/秒，"
            f"保存 p95 仍未超过 {SATURATED_MS} ms。"
        )


def lost_updates(last: dict[str, str], forms: dict[str, int]) -> int:
    """Saves the server acknowledged but the database does not hold."""
    from jixiao.web.models import FormRecord

    stored = {r.pk: r.form().conclusion for r in FormRecord.objects.filter(pk__in=forms.values())}
    return sum(1 for user, conclusion in last.items() if stored[forms[user]] != conclusion)


#: The goals of issue #13 for the live save: (figure, limit in ms).
GOALS = (("单次保存服务器 CPU", 5), ("保存 p95", 200), ("看板 p95", 300))


def bench_database(label: str, env: dict[str, str], args: argparse.Namespace, workers: int) -> list[str]:
    os.environ.update(env)
    world = populate(args.users, args.units)
    port = free_port()
    server = start_server({**os.environ, **env}, port, workers)
    try:
        run = asyncio.run(run_load(f"http://127.0.0.1:{port}", world, args.seconds, args.think, server.pid))
    finally:
        stop_server(server)
    lost = lost_updates(run.last, world["forms"])
    from django.db import connection

    connection.close()
    saves, dashboard, solo = run.saves, run.dashboard, run.solo
    ratio = saves.percentile(50) / solo.percentile(50) if solo.latencies else float("nan")
    figures = {"单次保存服务器 CPU": run.cpu_per_solo_save, "保存 p95": saves.percentile(95),
               "看板 p95": dashboard.percentile(95)}
    met = [f"{name} {'达标' if figures[name] <= limit else '未达标'}（≤ {limit}）" for name, limit in GOALS]
    console.print(f"{label}，服务进程 {workers} 个：" + "；".join(met))
    return [
        label,
        str(workers),
        str(len(saves.latencies)),
        f"{solo.percentile(50):.0f}",
        f"{run.cpu_per_solo_save:.1f}",
        f"{run.cpu_per_save_in_run:.1f}",
        f"{saves.percentile(50):.0f}",
        f"{saves.percentile(95):.0f}",
        f"{ratio:.1f}×",
        str(len(dashboard.latencies)),
        f"{run.cpu_per_dashboard:.0f}",
        f"{dashboard.percentile(50):.0f}",
        f"{dashboard.percentile(95):.0f}",
        str(saves.errors + dashboard.errors + solo.errors),
        str(lost),
    ]


def profile_database(label: str, env: dict[str, str], args: argparse.Namespace, workers: int) -> None:
    """The live save in this process (Django's test client, CSRF checked): CPU per save, then cProfile's table."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from jixiao.io import jsonio
    from jixiao.web.entry import post_from_form

    os.environ.update(env)
    world = populate(1, 1)
    username, form_id = next(iter(world["forms"].items()))
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get(f"/forms/{form_id}/").content.decode()
    version = int(VERSION.search(page).group(1))  # type: ignore[union-attr]
    fields = {k: v for k, v in post_from_form(jsonio.read(SEED)).items() if k not in ("version", "conclusion")}
    body = urlencode(fields, doseq=True)  # encoded once: the client's own work stays out of the figures
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}

    def save(n: int) -> None:
        nonlocal version
        extra = urlencode({"version": version, "conclusion": f"第{n}次保存"})
        response = client.post(f"/forms/{form_id}/save/", f"{body}&{extra}",
                               content_type="application/x-www-form-urlencoded", **headers)
        found = VERSION.search(response.content.decode())
        if response.status_code != 200 or found is None:
            raise RuntimeError(f"save failed: {response.status_code}")
        version = int(found.group(1))

    for n in range(20):  # warm-up: compiled queries, templates, fragments
        save(n)
    gc.freeze()  # what was loaded stays out of the collector's passes, as `jixiao serve` does before serving
    started = time.process_time()
    for n in range(args.profile):
        save(1000 + n)
    cpu = (time.process_time() - started) * 1000 / args.profile
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(args.profile):
        save(5000 + n)
    profiler.disable()
    console.print(f"{label}：进程内单次保存 CPU {cpu:.2f} ms（{args.profile} 次，含测试客户端；不计剖析）")
    stats = pstats.Stats(profiler)
    console.print(f"每次保存 Python 函数调用 {stats.total_calls / args.profile:.0f} 次")  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "30")))
    stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(25)  # where the time is spent


def scratch_database(admin: str) -> str:
    """The URL of the scratch database next to ``admin``'s (``<name>_webload``)."""
    base, _, name = admin.rpartition("/")
    return f"{base}/{re.sub(r'[^a-z0-9_]', '_', name.lower()) or 'postgres'}_webload"


def postgres_reachable(admin: str) -> bool:
    try:
        import psycopg

        scratch = scratch_database(admin).rpartition("/")[2]
        with psycopg.connect(
            admin.replace("postgres://", "postgresql://"), connect_timeout=3, autocommit=True
        ) as c:
            c.execute(f"DROP DATABASE IF EXISTS {scratch}")
            c.execute(f"CREATE DATABASE {scratch}")
        return True
    except Exception as exc:  # any failure means: skip PostgreSQL
        console.print(f"[yellow]PostgreSQL 不可用，跳过：{exc}[/yellow]")
        return False


def drop_postgres(admin: str) -> None:
    import psycopg

    scratch = scratch_database(admin).rpartition("/")[2]
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument(
        "--think", type=float, default=5.0, help="pause between a user's saves (s); 0 = hammer"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="server processes (jixiao serve --workers), each in turn"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("JIXIAO_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to create the scratch database from (default $JIXIAO_TEST_PG)",
    )
    parser.add_argument("--quick", action="store_true", help="for CI: 3 s, 10 users, 50 units, 1 server process")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile N live saves in this process instead of the load run")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="find the saturation point: shorter and shorter pauses until save p95 passes 500 ms",
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.users, args.units, args.workers = 3, 10, 50, [1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    if args.database == "both":  # each database in its own process: Django configures its DB once
        for db in ("sqlite", "postgres"):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--database",
                    db,
                    "--seconds",
                    str(args.seconds),
                    "--users",
                    str(args.users),
                    "--units",
                    str(args.units),
                    "--think",
                    str(args.think),
                    "--workers",
                    *map(str, args.workers),
                    "--postgres",
                    args.postgres,
                    *(["--sweep"] if args.sweep else []),
                    *(["--profile", str(args.profile)] if args.profile else []),
                ],
                check=False,
            )
        return
    table = Table(
        title=f"{args.users} 个并发填报用户（每次保存间隔 {args.think} 秒）+ 1 个审核人（{args.units} 个单位的看板），"
        f"{args.seconds:.0f} 秒"
    )
    for column in (
        "数据库",
        "服务进程",
        "保存次数",
        "单人保存 p50",
        "单次保存服务器 CPU",
        "负载下 CPU/保存",
        "保存 p50",
        "保存 p95",
        "负载/单人",
        "看板次数",
        "单次看板 CPU",
        "看板 p50",
        "看板 p95",
        "错误",
        "丢失更新",
    ):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as data_dir:
        env = {"JIXIAO_DATA_DIR": data_dir, "JIXIAO_SECRET_KEY": "bench-only-secret"}
        one = (profile_database if args.profile else sweep_database if args.sweep
               else lambda *a: table.add_row(*bench_database(*a)))

        def run(label: str, env: dict[str, str]) -> None:
            for workers in args.workers[:1] if args.profile else args.workers:  # in this process: no servers
                one(label, env, args, workers)
                drop_world()

        if args.database == "sqlite":
            os.environ.pop("DATABASE_URL", None)
            run("SQLite (WAL)", env)
        elif postgres_reachable(args.postgres):
            try:
                run("PostgreSQL", {**env, "DATABASE_URL": scratch_database(args.postgres)})
            finally:
                drop_postgres(args.postgres)
    if not (args.sweep or args.profile):
        console.print(table)
    console.print(
        "延迟与 CPU 单位：毫秒。保存 = 整表提交 + 实时重新评分与复核（与填报页相同的请求）。"
        "单次保存服务器 CPU：一人单独连续保存时服务器进程的 CPU 时间 / 保存次数；负载下 CPU/保存：全部填报用户"
        "同时按同样的间隔保存（没有审核人）时服务器的 CPU 时间 / 保存次数。"
        f"机器负载（uptime）：{os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} / {os.getloadavg()[2]:.1f}"
    )


if __name__ == "__main__":
    main()
