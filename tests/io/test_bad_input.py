"""Hostile and unusable files: a clear Chinese message naming the file, exit 2, no traceback."""

from __future__ import annotations

import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.io import read
from jixiao.io.sniff import Limits

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def empty(path: Path) -> None:
    path.touch()


def garbage(path: Path) -> None:
    path.write_bytes(random.Random(3).randbytes(50_000))


def huge_sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB on paper, no disk used


def zip_bomb(path: Path) -> None:
    """An .xlsx-looking zip whose sheet inflates 1000:1 (20 MB of zeros in ~20 KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(20):
                sheet.write(chunk)


def billion_laughs(path: Path) -> None:
    """A workbook whose XML expands entities exponentially (expat's amplification limit stops it)."""
    levels = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "lol">{levels}]><workbook>&e9;</workbook>'
    with zipfile.ZipFile(FIXTURES / "seed.xlsx") as source, zipfile.ZipFile(path, "w") as archive:
        for item in source.infolist():
            data = bomb.encode() if item.filename == "xl/workbook.xml" else source.read(item)
            archive.writestr(item, data)


def encrypted(path: Path) -> None:
    shutil.copy(FIXTURES / "encrypted.xlsx", path)  # made by msoffcrypto-tool (scripts/make_fixtures.py)


def no_form(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["张三", "123"])
    book.save(path)


def truncated_xlsx(path: Path) -> None:
    path.write_bytes((FIXTURES / "seed.xlsx").read_bytes()[:3000])


def other_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")


def broken_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + random.Random(5).randbytes(4000))


def scanned(path: Path) -> None:
    shutil.copy(FIXTURES / "scanned.pdf", path)


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (empty, "为空"),
    "garbage": (garbage, "无法识别"),
    "huge": (huge_sparse, "过大"),
    "zip-bomb": (zip_bomb, "压缩炸弹"),
    "encrypted": (encrypted, "密码"),
    "billion-laughs": (billion_laughs, "无法读取 Excel"),
    "no-form": (no_form, "没有找到自评表"),
    "truncated": (truncated_xlsx, "损坏"),
    "other-zip": (other_zip, "不是 Excel"),
    "broken-pdf": (broken_pdf, "PDF"),
    "scanned": (scanned, "扫描件"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_an_input_error_naming_the_file(case: str, tmp_path: Path) -> None:
    make, words = CASES[case]
    path = tmp_path / f"{case}.xlsx"
    make(path)
    with pytest.raises(InputError) as caught:
        read(path)
    assert caught.value.place == str(path)
    assert words in caught.value.message


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_exits_2_without_traceback(case: str, tmp_path: Path) -> None:
    make, words = CASES[case]
    path = tmp_path / f"{case}.xlsx"
    make(path)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(path) in result.stderr and words in result.stderr
    assert result.stdout == ""


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "seed.xlsx"
    shutil.copy(FIXTURES / "seed.xlsx", path)
    with pytest.raises(InputError, match="过大"):
        read(path, limits=Limits(max_file_bytes=1024))


def test_oversized_part(tmp_path: Path) -> None:
    path = tmp_path / "big-sheet.xlsx"
    shutil.copy(FIXTURES / "seed.xlsx", path)
    with pytest.raises(InputError, match="单个部件"):
        read(path, limits=Limits(max_member_bytes=10_000))


def test_too_many_zip_members(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(30):
            archive.writestr(f"xl/{index}.xml", "")
    with pytest.raises(InputError, match="过多"):
        read(path, limits=Limits(max_members=20))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不存在"):
        read(tmp_path / "nothing.xlsx")
