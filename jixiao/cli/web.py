"""``jixiao serve`` and ``jixiao demo``: the web application from the command line (Django, waitress)."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys

import typer

from ..errors import InputError
from . import app, fail, input_errors, needs_extra, out


def _django() -> None:
    """Configure Django once (the rest of the CLI never imports it); without the web extra, say which to install."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    with needs_extra("web"):
        import django  # type: ignore[import-untyped]

        django.setup()


def _migrate() -> None:
    from django.core.management import call_command  # type: ignore[import-untyped]

    call_command("migrate", interactive=False, verbosity=0)


def _where() -> str:
    from django.conf import settings  # type: ignore[import-untyped]
    from django.db import connection  # type: ignore[import-untyped]

    if connection.vendor == "sqlite":
        return f"SQLite 数据目录：{settings.DATA_DIR}（数据库 {connection.settings_dict['NAME']}）"
    return f"数据库：{connection.vendor} {connection.settings_dict.get('HOST') or ''}/{connection.settings_dict['NAME']}"


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound once so that forked workers share it; a busy port or bad address exits 2."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "端口已被占用（另一个程序正在使用它，请用 --port 换一个端口）" if exc.errno == errno.EADDRINUSE \
            else f"无法监听：{exc.strerror or exc}"
        fail(InputError(reason, f"{host}:{port}"))
    sock.listen(1024)
    return sock


def _fork_workers(count: int) -> list[int]:
    """Child processes (POSIX) that serve the same socket: one Python process is bound to one core."""
    from django.db import connections

    connections.close_all()  # never share a database connection across fork
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            return []
        children.append(pid)
    return children


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    threads: int = typer.Option(8, help="每个进程的工作线程数"),
    workers: int = typer.Option(1, help="工作进程数（Linux/macOS；多核服务器可设为 CPU 核数）"),
) -> None:
    """启动网页系统（先执行数据库迁移，再用 waitress 提供服务）。"""
    _django()
    with needs_extra("web"):
        from waitress import serve as waitress_serve  # type: ignore[import-untyped]
    sock = _listen(host, port)  # before the migrations: a busy port is said at once
    _migrate()

    from ..web.wsgi import application

    out.print(_where())
    if host not in ("127.0.0.1", "localhost") and not os.environ.get("JIXIAO_ALLOWED_HOSTS"):
        out.print("[yellow]提示[/yellow] 供其他计算机访问时，请把访问用的主机名或 IP 写入环境变量 JIXIAO_ALLOWED_HOSTS")
    children = _fork_workers(workers - 1) if workers > 1 and hasattr(os, "fork") else []
    if children:  # a plain `kill` of the parent stops the whole group
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if children or workers <= 1:
        out.print(f"网页系统已启动：[bold]http://{host}:{port}/[/bold]（{max(workers, 1)} 个进程，Ctrl+C 停止）")
    try:
        waitress_serve(application, sockets=[sock], threads=threads, ident="jixiao")
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)


@app.command()
def demo() -> None:
    """载入演示财政局（种子表与语料表作为预算单位，多种状态与年度），并打印演示账号。"""
    _django()
    _migrate()
    from rich.table import Table

    from ..web.demo import DEMO_PASSWORD, load_demo

    with input_errors():
        summary = load_demo()
    table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
    for column in ("用户名", "角色", "单位"):
        table.add_column(column)
    for row in summary.logins:
        table.add_row(*row)
    out.print(table)
    out.print(f"已载入 {summary.bureau.name}：{summary.forms} 张表。{_where()}")
    for reason in summary.skipped:
        out.print(f"[yellow]跳过[/yellow] {reason}")
    out.print("启动：jixiao serve")


@app.command()
def createadmin() -> None:
    """创建系统管理员账号（交互式），之后在网页“系统管理”中建立财政局、单位和人员。"""
    _django()
    _migrate()
    from django.core.management import call_command

    call_command("createsuperuser")
