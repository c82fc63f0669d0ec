"""Production settings (issue 11, item 20): ``jixiao serve --check``, HSTS and HTTPS only through trusted proxies,
a content security policy the pages keep to, a busy SQLite answered 503 in Chinese, every setting documented."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from django.test import Client

from .conftest import PASSWORD, REPO

HTMX = {"HTTP_HX_REQUEST": "true"}


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_")) and k != "DATABASE_URL"}
    return {**env, "JIXIAO_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO), **settings}


def _check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jixiao", "serve", "--check"]
    return subprocess.run(command, env=_env(tmp_path, **settings), cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)


def test_serve_check_names_each_missing_production_setting(tmp_path: Path) -> None:
    laptop = _check(tmp_path)
    assert laptop.returncode == 2 and "Traceback" not in laptop.stderr
    lines = laptop.stderr.strip().splitlines()
    assert [line.split("（jixiao.")[-1] for line in lines[:-1]] == ["W002）", "W003）", "W004）"]
    for setting in ("JIXIAO_SECURE_COOKIES", "JIXIAO_HSTS_SECONDS", "JIXIAO_TRUSTED_PROXIES"):
        assert setting in laptop.stderr
    assert lines[-1].startswith("生产环境设置有 3 处问题")
    production = {"JIXIAO_SECURE_COOKIES": "1", "JIXIAO_TRUSTED_PROXIES": "127.0.0.1"}
    good = _check(tmp_path, **production)
    assert good.returncode == 0 and "检查通过" in good.stdout and not good.stderr
    loose = _check(tmp_path, **production, JIXIAO_DEBUG="1", JIXIAO_CSP="default-src * 'unsafe-inline'",
                   JIXIAO_ALLOWED_HOSTS="*")
    assert loose.returncode == 2
    for words in ("调试模式已打开（JIXIAO_DEBUG）", "JIXIAO_CSP 允许 'unsafe-inline'、*", "JIXIAO_ALLOWED_HOSTS 含有 *"):
        assert words in loose.stderr


def test_https_is_believed_only_from_a_trusted_proxy(world: Any, settings: Any) -> None:
    """HSTS and secure requests come from ``X-Forwarded-Proto`` only when a trusted proxy sent it."""
    settings.JIXIAO_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    proxied = Client(REMOTE_ADDR="127.0.0.1").get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"
    forged = Client(REMOTE_ADDR="203.0.113.9").get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in forged
    assert "Strict-Transport-Security" not in Client(REMOTE_ADDR="127.0.0.1").get("/login/")  # plain http


def test_pages_carry_the_csp_and_need_nothing_it_refuses(world: Any, settings: Any) -> None:
    """No inline script, style or event handler in any page the app renders: ``'self'`` is all they need."""
    record = world.form()
    filler, reviewer = world.client("filler_a1"), world.client("reviewer_a")
    pages = [
        Client().get("/login/"),
        filler.get("/"),
        filler.get(f"/units/{world.a1.pk}/"),
        filler.get(f"/units/{world.a1.pk}/years/"),
        filler.get(f"/forms/{record.pk}/"),
        filler.get(f"/forms/{record.pk}/history/"),
        filler.get("/tokens/"),
        filler.get(f"/forms/{record.pk}/row/"),
        filler.post(f"/forms/{record.pk}/save/", {"version": "1", "conclusion": "x"}, **HTMX),
        reviewer.get(f"/bureaus/{world.bureau_a.pk}/"),
    ]
    for page in pages:
        assert page.status_code == 200, page
        assert page["Content-Security-Policy"] == settings.JIXIAO_CSP
        html = page.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), "inline style or event handler"
    assert "'unsafe-inline'" not in settings.JIXIAO_CSP and "script-src 'self'" in settings.JIXIAO_CSP
    # htmx's own indicator <style> is switched off, or the policy would refuse it on every page.
    assert '"includeIndicatorStyles": false, "attributesToSettle": ["class", "width", "height"]' in pages[1].content.decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _banner(server: subprocess.Popen[str]) -> str:
    """What ``serve`` prints up to its start line."""
    banner, deadline = "", time.monotonic() + 120
    while "网页系统已启动" not in banner and time.monotonic() < deadline and server.poll() is None:
        banner += server.stdout.readline()  # type: ignore[union-attr]
    return banner


def test_a_server_set_up_for_https_says_at_start_what_production_lacks(tmp_path: Path) -> None:
    env = _env(tmp_path, JIXIAO_SECURE_COOKIES="1")  # HTTPS meant, but no JIXIAO_TRUSTED_PROXIES
    server = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--port", str(_free_port())], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = _banner(server)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "网页系统已启动" in banner and "提示 生产环境设置有 1 处问题，运行 jixiao serve --check 查看" in banner


def test_a_write_blocked_by_the_sqlite_lock_answers_503_in_chinese(tmp_path: Path) -> None:
    """A real server on a file database: while another process holds the write lock, a save says the database
    is busy (after the short busy timeout) instead of a 500; once the lock is gone the same write succeeds."""
    env = _env(tmp_path, JIXIAO_SQLITE_BUSY_SECONDS="0.5")
    made = subprocess.run([sys.executable, "-m", "jixiao", "createadmin", "--username", "chief", "--password-stdin"],
                          input=f"{PASSWORD}\n", env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--port", str(port)], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = _banner(server)
        assert "网页系统已启动" in banner and "生产环境设置" not in banner, banner  # a laptop: no hint
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            client.get("/login/")
            login = client.post("/login/", data={"username": "chief", "password": PASSWORD,
                                                 "csrfmiddlewaretoken": client.cookies["csrftoken"]})
            assert login.status_code == 302
            token = {"csrfmiddlewaretoken": client.cookies["csrftoken"], "name": "批量接口"}
            holder = sqlite3.connect(tmp_path / "jixiao.sqlite3", isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
            try:
                busy = client.post("/tokens/", data=token)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert busy.status_code == 503 and busy.text.startswith("数据库正忙，请稍后重试")
            assert busy.headers["Retry-After"] == "1"
            done = client.post("/tokens/", data=token)
            assert done.status_code == 200 and "jx_" in done.text
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_every_setting_is_in_the_settings_table() -> None:
    """Datasette style: each environment variable jixiao reads (named as a whole string anywhere in the package)
    has its row (default, meaning) in docs/deploy.md, and the table names none that does not exist."""
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "jixiao").rglob("*.py"))
    read = set(re.findall(r"""["'](JIXIAO_[A-Z_]+)["']""", sources)) | {"DATABASE_URL"}  # dj-database-url reads it
    deploy = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    table = re.split(r"^## .*配置项.*$", deploy, flags=re.MULTILINE)[1].split("\n## ")[0]
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))
    assert read <= rows, f"not documented: {sorted(read - rows)}"
    assert rows <= read, f"documented but not read: {sorted(rows - read)}"
