"""The package as a user installs it: built wheel and sdist, installed in fresh venvs outside the repository.

Marked ``install`` (a few minutes: two venvs, pip from its warm cache); ``scripts/test.sh`` runs it as its own
step, the default pytest run leaves it out. Nothing here imports jixiao: every check runs the installed console
script in a temporary folder, so a file that only exists in the clone cannot make it pass.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO

pytestmark = pytest.mark.install

CONSTRAINTS = REPO / "constraints.txt"
#: Commands of a wheel installed without extras that must work.
CORE_COMMANDS = (
    ["--version"],
    ["--help"],
    ["parse", "form.json"],
    ["score", "form.json"],
    ["score", "form.json", "--json"],
    ["export", "form.json", "--to", "xlsx"],
    ["export", "form.json", "--to", "pdf"],
    ["export", "form.json", "--to", "html"],
    ["export", "form.json", "--to", "md"],
    ["profiles"],
    ["checks"],
    ["schema"],
)
#: Commands that need an extra, and the extra they must name.
EXTRA_COMMANDS = (
    (["batch", "form.json"], "batch"),
    (["batch", "form.json", "--dask", "127.0.0.1:1"], "batch"),
    (["report", "out"], "batch"),
    (["demo"], "web"),
    (["serve"], "web"),
    (["createadmin"], "web"),
)


def _env(home: Path) -> dict[str, str]:
    """A user's environment: no venv of the repository, its own home and data dir, no colour codes."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    env.update(HOME=str(home), JIXIAO_DATA_DIR=str(home / "data"), NO_COLOR="1", PIP_NO_INPUT="1", COLUMNS="100")
    env.pop("DATABASE_URL", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _pip_install(python: Path, requirement: str, cwd: Path, env: dict[str, str]) -> None:
    done = _run([str(python), "-m", "pip", "install", "-q", "--no-compile", "-c", str(CONSTRAINTS),
                  requirement], cwd, env)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheel and sdist built by ``python -m build`` (the sdist first, the wheel from the unpacked sdist)."""
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], out, dict(os.environ))
    assert built.returncode == 0, built.stdout + built.stderr
    warnings = [line for line in (built.stdout + built.stderr).splitlines() if "Warning" in line]
    assert not warnings, "\n".join(warnings)  # e.g. setuptools' deprecations of the pyproject table
    return out


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """A fresh venv outside the repository with the wheel installed without extras: (bin dir, cwd, env)."""
    home = tmp_path_factory.mktemp("user")
    venv.create(home / "venv", with_pip=True)
    env = _env(home)
    work = home / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "qiannan-2022.json", work / "form.json")
    bin_dir = home / "venv" / "bin"
    _pip_install(bin_dir / "python", str(next(dist.glob("*.whl"))), work, env)
    yield bin_dir, work, env


def test_twine_check(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert sorted(Path(f).suffix for f in files) == [".gz", ".whl"]
    checked = _run([sys.executable, "-m", "twine", "check", "--strict", *files], dist, dict(os.environ))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_sdist_carries_tests_data_docs_and_its_tests_run(dist: Path, tmp_path: Path) -> None:
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    root = next(tmp_path.iterdir())
    for needed in ("LICENSE", "CHANGELOG.md", "constraints.txt", "examples/qiannan-2022.json", "docs/guide.md",
                   "tests/conftest.py", "tests/data/split.toml", "tests/data/corpus/README.md", "jixiao/py.typed"):
        assert (root / needed).is_file(), needed
    # The unpacked sdist's own tests run against the unpacked sources (this venv has the dependencies).
    env = {**os.environ, "PYTHONPATH": str(root)}
    ran = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", "tests/test_cli.py",
                "tests/test_golden.py", "tests/test_model.py"], root, env)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    collected = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only"], root, env)
    assert collected.returncode == 0, collected.stdout[-3000:]
    assert str(root) in _run([sys.executable, "-c", "import jixiao; print(jixiao.__file__)"], root, env).stdout


def test_core_commands_without_extras(user: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, work, env = user
    for args in CORE_COMMANDS:
        done = _run([str(bin_dir / "jixiao"), *args], work, env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, args
    audit = _run([str(bin_dir / "jixiao"), "audit", "form.json"], work, env)
    assert audit.returncode in (0, 1) and "复核结果" in audit.stdout, audit.stderr
    assert {p.name for p in work.iterdir()} >= {"form.xlsx", "form.pdf", "form.html", "form.md"}


def test_commands_that_need_an_extra_name_it(user: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, work, env = user
    for args, extra in EXTRA_COMMANDS:
        done = _run([str(bin_dir / "jixiao"), *args], work, env)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f'pip install "jixiao[{extra}]"' in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _fetch(url: str, server: subprocess.Popen[str]) -> str:
    """The page at ``url`` once the server answers (it migrates first)."""
    for _ in range(600):
        assert server.poll() is None, server.communicate()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body: str = response.read().decode()
                return body
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


def test_demo_and_serve_with_all_extras(user: tuple[Path, Path, dict[str, str]], dist: Path) -> None:
    bin_dir, work, env = user
    _pip_install(bin_dir / "python", f"jixiao[all] @ {next(dist.glob('*.whl')).as_uri()}", work, env)
    demo = _run([str(bin_dir / "jixiao"), "demo"], work, env)
    assert demo.returncode == 0 and "Traceback" not in demo.stderr, demo.stdout + demo.stderr
    assert "演示账号" in demo.stdout
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "jixiao"), "serve", "--port", str(port)], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = _fetch(f"http://127.0.0.1:{port}/login/", server)
        assert "登录" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
