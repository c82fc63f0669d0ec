"""The data directory (数据目录): where SQLite, its WAL files and the generated secret key live.

They hold password hashes and live session keys, so the directory is its owner's alone (0700) and so are
the files (0600). Django is not imported here: the command line picks the directory (the demo's own, see
:func:`demo_dir`) before Django reads its settings.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, os_reason

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
DATABASE_FILE = "jixiao.sqlite3"
#: What SQLite writes beside the database in WAL mode; it creates both with the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm")
#: The demo's data dir, inside the chosen one: its accounts share a published password and never mix
#: with real ones.
DEMO_SUBDIR = "demo"
#: Set by ``jixiao demo`` and ``jixiao serve --demo`` (a path): the data dir is the demo's.
DEMO_ENV = "JIXIAO_DEMO_DIR"


def configured() -> Path:
    """$JIXIAO_DATA_DIR, else ~/.local/share/jixiao, else ./data (not created)."""
    if configured := os.environ.get("JIXIAO_DATA_DIR"):
        return Path(configured)
    home = Path.home()
    return home / ".local" / "share" / "jixiao" if home.is_dir() else Path("data")


def demo_dir() -> Path:
    """The demo's own data dir: ``demo`` inside the configured one, never the production database."""
    return configured() / DEMO_SUBDIR


def data_dir() -> Path:
    """The data dir in use (the demo's when :data:`DEMO_ENV` is set), created private, as an absolute path."""
    chosen = os.environ.get(DEMO_ENV)
    return prepare(Path(chosen) if chosen else configured())


@contextmanager
def _private_umask() -> Iterator[None]:
    """Whatever is created inside the block is its owner's alone, with no window where it is not."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions off an existing ``path``, saying so on stderr (a file from an older
    version was created world-readable)."""
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        path.chmod(current & mode)
        print(f"提示 {path}：权限已由 {current:04o} 收紧为 {current & mode:04o}（仅所有者可访问）", file=sys.stderr)


def prepare(path: Path) -> Path:
    """``path`` created (0700) or tightened; an unusable directory is an :class:`InputError` naming it."""
    try:
        with _private_umask():
            path.mkdir(parents=True, exist_ok=True)
        _tighten(path, PRIVATE_DIR)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise InputError(f"数据目录无法创建或写入（{os_reason(exc)}），请用 JIXIAO_DATA_DIR 指定可写的目录",
                         str(path)) from None
    return path.resolve()


def private_file(path: Path) -> None:
    """``path`` exists and is its owner's alone: created empty (0600) if missing, tightened if not."""
    try:
        with _private_umask():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
        _tighten(path, PRIVATE_FILE)
    except OSError as exc:
        raise InputError(f"无法创建或访问数据文件（{os_reason(exc)}）", str(path)) from None


def private_database(database: Path) -> None:
    """The SQLite file made 0600 before SQLite opens it (an empty file is an empty database), so the ``-wal``
    and ``-shm`` files SQLite creates get 0600 too; existing ones from an older version are tightened."""
    private_file(database)
    for suffix in SQLITE_COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            private_file(companion)
