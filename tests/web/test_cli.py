"""`jixiao demo` and `jixiao serve` as a user runs them: a fresh data directory, a real waitress server."""

from __future__ import annotations

import os
import re
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


def test_demo_then_serve(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def demo() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "jixiao", "demo"]
        return subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)

    first = demo()
    assert first.returncode == 0, first.stderr
    assert "reviewer" in first.stdout and "jixiao-demo-2024" in first.stdout and str(tmp_path) in first.stdout
    again = demo()
    assert again.returncode == 2 and "演示数据已存在" in again.stderr

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--port", str(port), "--workers", "2"],
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
        assert f"http://127.0.0.1:{port}/" in banner and str(tmp_path) in banner
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
    assert not (tmp_path / "jixiao.sqlite3").exists()  # said before any migration
