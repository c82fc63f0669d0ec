"""`jixiao demo` and `jixiao serve` as a user runs them: a fresh data directory, a real waitress server."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import REPO


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user with ``data_dir`` as JIXIAO_DATA_DIR (and ``extra``), SQLite."""
    unset = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "JIXIAO_DEMO_DIR")
    return {**{k: v for k, v in os.environ.items() if k not in unset}, "JIXIAO_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(REPO), **extra}


def _jixiao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jixiao", *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_demo_then_serve(tmp_path: Path, data_dir: Path) -> None:
    env = {**_env(tmp_path), "DATABASE_URL": "postgres://production.invalid/jixiao"}  # never touched by the demo
    first = _jixiao(env, "demo")
    assert first.returncode == 0, first.stderr
    assert "reviewer" in first.stdout and "jixiao-demo-2024" in first.stdout
    assert f"SQLite 数据目录：{tmp_path / 'demo'}" in first.stdout and "与正式数据分开" in first.stdout
    assert "jixiao serve --demo" in first.stdout
    assert not (tmp_path / "jixiao.sqlite3").exists()  # the production data dir is not the demo's
    again = _jixiao(env, "demo")
    assert again.returncode == 2 and "演示数据已存在" in again.stderr

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--demo", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = ""
        deadline = time.monotonic() + 60
        while "网页系统已启动" not in banner and time.monotonic() < deadline:
            banner += server.stdout.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/" in banner and str(tmp_path / "demo") in banner and "演示系统" in banner
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            assert client.get("/").status_code == 302
            client.get("/login/")
            login = client.post(
                "/login/",
                data={
                    "username": "reviewer",
                    "password": "jixiao-demo-2024",
                    "csrfmiddlewaretoken": client.cookies["csrftoken"],
                },
            )
            assert login.status_code == 302
            home = client.get("/").text
            bureau = re.search(r'href="/bureaus/(\d+)/"', home)
            assert bureau is not None
            dashboard = client.get(f"/bureaus/{bureau.group(1)}/")
            assert dashboard.status_code == 200 and "中共黔南州委组织部" in dashboard.text
            assert client.get("/api/openapi.json").json()["openapi"].startswith("3.")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode is not None


def test_serve_never_runs_a_production_database_holding_the_demo_accounts(tmp_path: Path) -> None:
    """An older ``jixiao demo`` loaded the demo (published password) into the production data dir."""
    loaded = _jixiao(_env(tmp_path, JIXIAO_DEMO_DIR=str(tmp_path)), "demo")  # as the older version did
    assert loaded.returncode == 0, loaded.stderr
    port = _free_port()
    refused = _jixiao(_env(tmp_path), "serve", "--port", str(port))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert refused.stderr.strip().splitlines() == [
        f"错误 {tmp_path / 'jixiao.sqlite3'}: 此数据库含有演示数据（演示账号的密码是公开的），不能作为正式系统启动；"
        "演示请用 jixiao serve --demo，正式使用请换一个数据目录（JIXIAO_DATA_DIR）或数据库"]


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, "-m", "jixiao", "serve", "--port", str(port)]
        done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [f"错误 127.0.0.1:{port}: 端口已被占用（另一个程序正在使用它，请用 --port 换一个端口）"]
    assert (tmp_path / "jixiao.sqlite3").stat().st_size == 0  # said before any migration (created empty, 0600)


def test_ctrl_c_stops_serve_with_the_usual_line_and_exit_130(tmp_path: Path) -> None:
    """Ctrl-C at the terminal reaches the whole process group (the server and its forked workers): one line."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--port", str(port), "--workers", "2"],
                              env=_env(tmp_path), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        banner, deadline = "", time.monotonic() + 120
        while "网页系统已启动" not in banner and time.monotonic() < deadline:
            banner += server.stdout.readline()  # type: ignore[union-attr]
        assert httpx.get(f"http://127.0.0.1:{port}/login/").status_code == 200
        os.killpg(server.pid, signal.SIGINT)
        _, errors = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 130, errors
    assert errors.strip().splitlines() == ["已中断（Ctrl+C）。"]
