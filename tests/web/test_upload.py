"""Uploads: size limit, type sniffing, hostile files rejected with a message; a good file becomes a draft."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.models import FormRecord

from .conftest import REPO, SEED

FIXTURES = REPO / "tests" / "fixtures"


def _upload(world: Any, name: str, content: bytes, decision: str | None = "confirm") -> str:
    """Upload into unit a1 (甲一单位) as its filler; answer the other-unit question with ``decision``."""
    client = world.client("filler_a1")
    response = client.post(
        f"/units/{world.a1.pk}/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    page: str = response.content.decode()
    asked = re.search(r'name="token" value="(\w+)"', page)
    if asked and decision:
        answer = {"token": asked.group(1), "decision": decision}
        page = client.post(f"/units/{world.a1.pk}/upload/confirm/", answer, follow=True).content.decode()
    return page


def _seed_of(unit: str) -> bytes:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    return json.dumps({**data, "unit": unit}, ensure_ascii=False).encode()


def test_good_json_becomes_a_draft(world: Any) -> None:
    page = _upload(world, "qiannan.json", _seed_of("甲一单位"))
    record = FormRecord.objects.get(unit=world.a1)
    assert record.status == "draft" and record.form().unit == "甲一单位"
    assert record.import_notes == ""
    assert "已从 qiannan.json 建立草稿" in page
    assert record.history.first().history_change_reason == "上传 qiannan.json"
    again = _upload(world, "qiannan.json", _seed_of("甲一单位"))
    assert "上传失败：2022 年度已有“甲一单位”（草稿），不能重复建立" in again
    assert FormRecord.objects.filter(unit=world.a1).count() == 1


@pytest.mark.parametrize("fixture", ["seed.pdf", "seed.docx", "project-008.xlsx"])
def test_office_files_become_drafts(world: Any, fixture: str) -> None:
    page = _upload(world, fixture, (FIXTURES / fixture).read_bytes())
    record = FormRecord.objects.get(unit=world.a1)
    assert f"已从 {fixture} 建立草稿" in page
    assert record.status == "draft" and len(record.form().indicators) > 0


def test_what_could_not_be_read_stays_on_the_draft(world: Any) -> None:
    _upload(world, "two-forms.xlsx", (FIXTURES / "two-forms.xlsx").read_bytes())
    record = FormRecord.objects.get(unit=world.a1)
    assert "I11" in record.import_notes and "two-forms.xlsx" in record.import_notes
    page = world.client("filler_a1").get(f"/forms/{record.pk}/").content.decode()
    assert "导入提示" in page and "工作簿中还有 1 张表单未读取" in page


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.exe", b"MZ\x90\x00" + b"\x00" * 100, "文件类型不被接受"),
        ("evil.json", b"MZ\x90\x00" + b"\x00" * 100, "无法识别的二进制文件"),
        ("bomb.xlsx", _zip({"xl/workbook.xml": b"\x00" * 5_000_000}), "压缩炸弹"),
        ("script.xlsx", _zip({"run.sh": b"rm -rf /"}), "不是 Excel"),
        ("encrypted.xlsx", (FIXTURES / "encrypted.xlsx").read_bytes(), "密码保护"),
        ("empty.json", b"   ", "文件为空"),
        ("broken.json", b'{"kind": "project", ', "不是有效的 JSON"),
        ("deep.json", b"[" * 100000 + b"]" * 100000, "JSON"),
        (
            "wrong.json",
            b'{"kind": "project", "indicators": [{"name": "x", "weight": "abc"}]}',
            "indicators[0].weight",
        ),
    ],
)
def test_hostile_or_broken_files_are_refused(world: Any, name: str, content: bytes, message: str) -> None:
    page = _upload(world, name, content)
    assert "上传失败" in page and message in page
    assert not FormRecord.objects.filter(unit=world.a1).exists()


def test_size_limit(world: Any, settings: Any) -> None:
    settings.JIXIAO_MAX_UPLOAD_BYTES = 1000
    page = _upload(world, "big.json", SEED.read_bytes())
    assert "文件过大" in page and not FormRecord.objects.exists()


def test_a_file_of_another_unit_asks_before_it_becomes_a_draft(world: Any) -> None:
    page = _upload(world, "qiannan.json", SEED.read_bytes(), decision=None)
    assert "中的单位是" in page and "“中共黔南州委组织部”" in page and "确认上传到“甲一单位”" in page
    assert not FormRecord.objects.filter(unit=world.a1).exists()  # nothing is created before the answer
    page = _upload(world, "qiannan.json", SEED.read_bytes(), decision="confirm")
    record = FormRecord.objects.get(unit=world.a1)
    assert "已从 qiannan.json 建立草稿" in page
    assert record.form().unit == "甲一单位" and record.form().indicators == json_seed_indicators()
    assert "文件中的单位为“中共黔南州委组织部”，上传时确认改为“甲一单位”" in record.import_notes


def json_seed_indicators() -> list[Any]:
    from jixiao.io import jsonio

    return jsonio.read(SEED).indicators


def test_declining_another_units_file_creates_nothing(world: Any) -> None:
    page = _upload(world, "qiannan.json", SEED.read_bytes(), decision="cancel")
    assert "已取消上传 qiannan.json" in page
    assert not FormRecord.objects.filter(unit=world.a1).exists()


def test_the_same_unit_written_differently_is_not_asked_about(world: Any) -> None:
    page = _upload(world, "qiannan.json", _seed_of(" 甲一单位（盖章）"), decision=None)
    assert "已从 qiannan.json 建立草稿" in page and "确认上传到" not in page


def test_a_stale_or_foreign_confirmation_is_refused(world: Any) -> None:
    _upload(world, "qiannan.json", SEED.read_bytes(), decision=None)
    client = world.client("filler_a1")
    answer = {"token": "0" * 32, "decision": "confirm"}
    page = client.post(f"/units/{world.a1.pk}/upload/confirm/", answer, follow=True).content.decode()
    assert "上传确认已失效" in page and not FormRecord.objects.filter(unit=world.a1).exists()
    outsider = world.client("filler_b1")
    assert outsider.post(f"/units/{world.a1.pk}/upload/confirm/", answer).status_code == 404
