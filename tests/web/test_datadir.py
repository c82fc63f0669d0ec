"""The data directory (hardening finding 17): SQLite, its -wal/-shm and the secret key hold password hashes and
live session keys, so they are their owner's alone — created so, and tightened when an older version left them
world-readable; an unusable data dir is one line naming it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

#: Start Django on the data dir as `jixiao serve` does, write to the database, and print the modes of what is
#: there while the connection is open (the -wal and -shm files exist only then).
OPEN_AND_LIST = """
import os, stat, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from django.contrib.sessions.models import Session
Session.objects.count()
folder = os.environ["JIXIAO_DATA_DIR"]
for name in sorted(os.listdir(folder)) + ["."]:
    print(name, oct(stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode)))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO),
           "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"}
    env.pop("DATABASE_URL", None)
    return env


def _start(data_dir: Path) -> tuple[dict[str, str], str]:
    """(name → mode) of the data dir's entries after a start with the usual umask 022, and stderr."""
    done = subprocess.run([sys.executable, "-c", f"import os; os.umask(0o022)\n{OPEN_AND_LIST}"],
                          env=_env(data_dir), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return dict(line.split() for line in done.stdout.splitlines()), done.stderr


def test_a_new_data_dir_and_its_database_are_the_owners_alone(tmp_path: Path) -> None:
    modes, stderr = _start(tmp_path / "new" / "data")
    assert modes["."] == "0o700"
    for name in ("jixiao.sqlite3", "jixiao.sqlite3-wal", "jixiao.sqlite3-shm", "secret_key"):
        assert modes[name] == "0o600", (name, modes)
    assert "权限" not in stderr  # nothing to tighten


def test_world_readable_files_of_an_older_version_are_tightened_and_said(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _start(data)
    data.chmod(0o755)
    for name in ("jixiao.sqlite3", "secret_key"):
        (data / name).chmod(0o644)
    modes, stderr = _start(data)
    assert modes["."] == "0o700" and modes["jixiao.sqlite3"] == "0o600" and modes["secret_key"] == "0o600"
    assert f"提示 {data.resolve()}：权限已由 0755 收紧为 0700（仅所有者可访问）" in stderr or \
        f"提示 {data}：权限已由 0755 收紧为 0700（仅所有者可访问）" in stderr, stderr
    assert f"{data / 'jixiao.sqlite3'}：权限已由 0644 收紧为 0600" in stderr, stderr
    assert stat.S_IMODE((data / "jixiao.sqlite3").stat().st_mode) == 0o600


def test_an_unusable_data_dir_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    where = tmp_path / "file" / "data"  # refused to root as well: a folder inside a regular file
    done = subprocess.run([sys.executable, "-m", "jixiao", "createadmin", "--username", "a", "--password-stdin"],
                          env=_env(where), input="", capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"错误 {where}: 数据目录无法创建或写入（路径中有一段不是文件夹），请用 JIXIAO_DATA_DIR 指定可写的目录"]
