"""Screenshot-level check: scripts/render_check.py renders the PDF (pdftoppm) and the HTML report
(headless Chromium) to PNGs that are not blank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import EXAMPLES, REPO

SEED = EXAMPLES / "qiannan-2022.json"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_render_check_produces_non_blank_pngs(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    stat = pytest.importorskip("PIL.ImageStat")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "render_check.py"),
            str(SEED),
            "--out",
            str(tmp_path),
            "--no-xlsx",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    pages = sorted(tmp_path.glob("qiannan-2022-pdf-*.png"))
    assert len(pages) >= 2
    expected = pages + ([tmp_path / "qiannan-2022-html.png"] if shutil.which("chromium") else [])
    for png in expected:
        with image.open(png) as picture:
            assert picture.width > 500
            assert stat.Stat(picture.convert("L")).stddev[0] > 20, png
        assert f"{png}  ok" in done.stdout
