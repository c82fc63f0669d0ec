"""Render the exports to PNG so a reviewer can look at them: PDF pages (pdftoppm), the HTML
report (headless Chromium) and, when LibreOffice is installed, the xlsx as it prints.

    PYTHONPATH=. python scripts/render_check.py                      # the seed and a project form
    PYTHONPATH=. python scripts/render_check.py FORM... --out DIR --profile P

Writes ``<stem>.{pdf,html,md,xlsx}`` and ``<stem>-pdf-N.png``, ``<stem>-html.png``,
``<stem>-xlsx-N.png`` under ``test-artifacts/`` and prints each PNG with its pixel spread
(a blank page has none). Exits 1 when a PNG is missing or blank.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import simplejson

from jixiao.audit import evaluate
from jixiao.io import jsonio, read_form
from jixiao.model import Form
from jixiao.report import html, markdown, pdf, xlsx
from jixiao.report.browser import CHROMIUM_ARGS
from jixiao.rules import DEFAULT_PROFILE, load_profile

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FORMS = [REPO / "examples" / "qiannan-2022.json", REPO / "tests" / "data" / "corpus" / "005.truth.json"]
CHROMIUM_FLAGS = ["--headless", *CHROMIUM_ARGS, "--hide-scrollbars"]


def load(path: Path) -> Form:
    """A form file; a corpus ``*.truth.json`` loses its commentary keys (``notes``) first."""
    if path.name.endswith(".truth.json"):
        data = simplejson.loads(path.read_text(encoding="utf-8"), use_decimal=True)
        return jsonio.form_from_data({k: v for k, v in data.items() if k in Form.model_fields}, str(path))
    return read_form(path)


def pdf_pages(source: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    """Every page of ``source`` as ``<prefix>-N.png``."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(prefix)], check=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def html_screenshot(source: Path, png: Path, size: str = "1200,1800") -> list[Path]:
    """A headless-Chromium screenshot of ``source``."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return []
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={size}",
                source.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return [png]


def xlsx_pages(source: Path, prefix: Path) -> list[Path]:
    """The workbook as LibreOffice prints it (page setup, print titles), as PNG pages."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return []
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return pdf_pages(Path(work) / f"{source.stem}.pdf", prefix)


def spread(png: Path) -> float | None:
    """Standard deviation of the grey levels (0 for a blank image); None without Pillow."""
    try:
        from PIL import Image, ImageStat
    except ImportError:
        return None
    with Image.open(png) as image:
        return float(ImageStat.Stat(image.convert("L")).stddev[0])


def render(form_path: Path, out: Path, profile: str, with_xlsx: bool) -> list[Path]:
    """Export one form in every format under ``out`` and render what can be looked at."""
    form = load(form_path)
    card, findings = evaluate(form, load_profile(profile))
    stem = form_path.name.split(".")[0]
    files = {kind: out / f"{stem}.{kind}" for kind in ("pdf", "html", "md", "xlsx")}
    for kind, writer in (
        ("pdf", pdf.write),
        ("html", html.write),
        ("md", markdown.write),
        ("xlsx", xlsx.write),
    ):
        writer(form, card, findings, files[kind])
    pngs = pdf_pages(files["pdf"], out / f"{stem}-pdf")
    pngs += html_screenshot(files["html"], out / f"{stem}-html.png")
    if with_xlsx:
        pngs += xlsx_pages(files["xlsx"], out / f"{stem}-xlsx")
    return pngs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("forms", nargs="*", type=Path, help="form files (default: the seed and corpus 005)")
    parser.add_argument("--out", type=Path, default=REPO / "test-artifacts")
    parser.add_argument("--profile", default=DEFAULT_PROFILE)
    parser.add_argument("--no-xlsx", action="store_true", help="skip the LibreOffice rendering of the xlsx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    forms = args.forms or [f for f in DEFAULT_FORMS if f.is_file()]
    failed = False
    for form_path in forms:
        for png in render(form_path, args.out, args.profile, not args.no_xlsx):
            value = spread(png)
            blank = value is not None and value < 5
            failed |= blank
            print(
                f"{png}  {'blank!' if blank else 'ok'}  spread={value if value is None else round(value, 1)}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
