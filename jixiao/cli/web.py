"""The web application from the command line (Django, waitress): ``serve``, ``demo``, ``createadmin``, ``import-org``."""

from __future__ import annotations

import contextlib
import errno
import gc
import getpass
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from ..errors import InputError
from . import EXIT_OK, EXIT_UNUSABLE, app, err, fail, guarded, input_errors, needs_extra, out, show


def _django() -> None:
    """Configure Django once (the rest of the CLI never imports it); without the web extra, say which to install.

    An unusable data dir (not creatable, not writable) is one line naming it, exit 2.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    with needs_extra("web"), input_errors():
        import django  # type: ignore[import-untyped]

        django.setup()


def _migrate() -> None:
    from django.core.management import call_command  # type: ignore[import-untyped]
    from django.db import DatabaseError  # type: ignore[import-untyped]

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:  # a read-only or full disk, a database that cannot be opened
        fail(InputError(f"无法写入数据库（{exc}）", _database()))


def _use_demo_dir() -> None:
    """Point Django at the demo's own data dir (SQLite there, whatever DATABASE_URL says): the demo accounts
    share a published password and must never reach the production database."""
    from ..web.datadir import DEMO_ENV, demo_dir

    os.environ.setdefault(DEMO_ENV, str(demo_dir()))
    os.environ.pop("DATABASE_URL", None)


def _refuse_demo_accounts() -> None:
    """A production database never serves the demo accounts (an older ``jixiao demo`` loaded them into the
    production data dir): their password is published."""
    from django.contrib.auth import get_user_model  # type: ignore[import-untyped]

    from ..web.demo import BUREAU_NAME, DEMO_PASSWORD, DEMO_STAFF
    from ..web.models import Organisation

    staff = get_user_model().objects.filter(username__in=DEMO_STAFF)
    if Organisation.objects.filter(name=BUREAU_NAME).exists() or any(u.check_password(DEMO_PASSWORD) for u in staff):
        fail(InputError("此数据库含有演示数据（演示账号的密码是公开的），不能作为正式系统启动；演示请用 "
                        "jixiao serve --demo，正式使用请换一个数据目录（JIXIAO_DATA_DIR）或数据库", _database()))


def _database() -> str:
    from django.db import connection

    return str(connection.settings_dict["NAME"])


def _where() -> str:
    from django.conf import settings  # type: ignore[import-untyped]
    from django.db import connection

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


def _check_deploy() -> None:
    """``serve --check``: each production problem on one Chinese line, exit 2 if there is any (else 0)."""
    from ..web.checks import deploy_problems

    problems = deploy_problems()
    for problem in problems:
        err.print(f"[red]问题[/red] {problem}")
    if problems:
        err.print(f"生产环境设置有 {len(problems)} 处问题（设置项见部署指南 docs/deploy.md）", markup=False)
        raise typer.Exit(EXIT_UNUSABLE)
    out.print("生产环境设置检查通过：调试关闭、HTTPS Cookie、HSTS、反向代理、内容安全策略、主机名与密钥。", markup=False)
    raise typer.Exit(EXIT_OK)


def _hint_deploy(host: str) -> None:
    """At the start of a server others reach (or one set up for HTTPS): one line if production settings lack."""
    from django.conf import settings

    from ..web.checks import deploy_problems

    if host in ("127.0.0.1", "localhost") and not settings.SESSION_COOKIE_SECURE:
        return  # a laptop: plain http on loopback is what it should be
    if problems := deploy_problems():
        out.print(f"[yellow]提示[/yellow] 生产环境设置有 {len(problems)} 处问题，运行 jixiao serve --check 查看")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    threads: int = typer.Option(8, help="每个进程的工作线程数"),
    workers: int = typer.Option(1, help="工作进程数（Linux/macOS；多核服务器可设为 CPU 核数）"),
    demo: bool = typer.Option(False, "--demo", help="使用演示数据目录（jixiao demo 载入的演示财政局）"),
    check: bool = typer.Option(False, "--check", help="只检查生产环境设置（HTTPS、HSTS、Cookie、代理、CSP），有问题时退出码 2"),
) -> None:
    """启动网页系统（先执行数据库迁移，再用 waitress 提供服务）。"""
    if demo:
        _use_demo_dir()
    _django()
    if check:
        _check_deploy()
    with needs_extra("web"):
        from waitress import serve as waitress_serve  # type: ignore[import-untyped]
    sock = _listen(host, port)  # before the migrations: a busy port is said at once
    _migrate()
    if not demo:
        _refuse_demo_accounts()

    from ..web.wsgi import application

    out.print(("演示系统（演示账号的密码是公开的，请勿填入真实数据）。" if demo else "") + _where())
    if host not in ("127.0.0.1", "localhost") and not os.environ.get("JIXIAO_ALLOWED_HOSTS"):
        out.print("[yellow]提示[/yellow] 供其他计算机访问时，请把访问用的主机名或 IP 写入环境变量 JIXIAO_ALLOWED_HOSTS")
    _hint_deploy(host)
    # What is loaded now (Django, the app, the rules, the grammar) lives as long as the server. Frozen, the garbage
    # collector's passes during the requests never walk it again (they took a twentieth of a live save's CPU, four
    # tenths less frozen), and forked workers keep sharing its memory pages instead of copying them.
    gc.freeze()
    children = _fork_workers(workers - 1) if workers > 1 and hasattr(os, "fork") else []
    if children:  # a plain `kill` of the parent stops the whole group
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if children or workers <= 1:
        out.print(f"网页系统已启动：[bold]http://{host}:{port}/[/bold]（{max(workers, 1)} 个进程，Ctrl+C 停止）")
    try:
        _until_interrupted(lambda: waitress_serve(application, sockets=[sock], threads=threads, ident="jixiao"),
                           speaks=workers <= 1 or bool(children))
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)


def _until_interrupted(run: Callable[[], None], speaks: bool) -> None:
    """Run the server; Ctrl-C ends it as it ends every command (已中断, exit 130). Waitress takes the
    KeyboardInterrupt as a plain shutdown and returns, so the signal is noted here and raised again after it.
    A forked worker (``speaks`` false) stops silently: the parent says it once for the group."""
    caught: list[int] = []

    def interrupt(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        run()
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and speaks:
        raise KeyboardInterrupt


@app.command()
def demo() -> None:
    """在单独的演示数据目录中载入演示财政局（种子表、真实表和故意出错的表，多种状态与年度），并打印演示账号。"""
    _use_demo_dir()
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
    show(table)
    out.print(f"已载入 {summary.bureau.name}：{summary.forms} 张表。演示数据单独存放，与正式数据分开——{_where()}")
    out.print("启动演示系统：jixiao serve --demo")


@app.command()
def createadmin(
    username: Annotated[str | None, typer.Option("--username", help="用户名（不填则询问）")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（一行），便于脚本调用")] = False,
) -> None:
    """创建系统管理员账号，之后在网页“系统管理”中或用 jixiao import-org 建立财政局、单位和人员。"""
    _django()
    _migrate()
    from ..web.accounts import create_admin

    name = username if username is not None else input("用户名：").strip()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != password:
            fail(InputError("两次输入的密码不一致", "密码"))
    with input_errors():
        create_admin(name, password)
    out.print(f"已创建系统管理员 {name}。{_where()}", markup=False)


@app.command("import-org")
def import_org(
    file: Annotated[Path, typer.Argument(help="CSV 或 xlsx：财政局、主管部门、预算单位、用户名、姓名、角色", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并列出将创建的内容，不写入")] = False,
    passwords: Annotated[Path, typer.Option("--passwords", help="新用户的初始密码写入此文件（仅本人可读，不覆盖已有文件）")] = Path("jixiao-initial-passwords.csv"),
) -> None:
    """批量导入财政局、主管部门、预算单位和人员（含角色）；文件有误时列出每处问题，什么也不写入。"""
    _django()
    _migrate()
    from ..web.orgimport import import_file, reserve, write_passwords

    handle = None if dry_run else guarded(lambda: reserve(passwords))
    hand_out = None if handle is None else (lambda made: write_passwords(made, handle, str(passwords)))
    try:
        with input_errors():
            summary = import_file(file, dry_run, hand_out)
    except BaseException:
        if handle is not None:
            with contextlib.suppress(OSError):  # a full disk fails the close too; the file goes anyway
                handle.close()
            passwords.unlink(missing_ok=True)
        raise
    made = summary.organisations
    verb = "将创建" if dry_run else "已创建"
    out.print(f"{verb}：财政局 {made['bureau']}，主管部门 {made['department']}，预算单位 {made['unit']}，"
              f"用户 {summary.users}，角色 {summary.memberships}（已有的不重复创建）。{_where()}", markup=False)
    if handle is None:
        out.print("试运行：未写入任何内容。", markup=False)
        return
    handle.close()
    if summary.passwords:
        out.print(f"新用户的初始密码已写入 {passwords}（仅本人可读）：分发后请删除该文件。", markup=False)
    else:
        passwords.unlink()
