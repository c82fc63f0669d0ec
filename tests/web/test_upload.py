"""Uploads: size limit, type sniffing, hostile files rejected with a message; a good file becomes a draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.importing import sniff
from jixiao.web.models import FormRecord

from .conftest import SEED


def _upload(world: Any, name: str, content: bytes) -> str:
    client = world.client("filler_a1")
    response = client.post(
        f"/units/{world.a1.pk}/upload/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    return response.content.decode()


def test_good_json_becomes_a_draft(world: Any) -> None:
    page = _upload(world, "qiannan.json", SEED.read_bytes())
    record = FormRecord.objects.get(unit=world.a1)
    assert record.status == "draft" and record.form().unit == "中共黔南州委组织部"
    assert "已从 qiannan.json 建立草稿" in page
    assert record.history.first().history_change_reason == "上传 qiannan.json"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.json", b"MZ\x90\x00" + b"\x00" * 100, "文件类型不被接受"),
        ("evil.exe", b"\x7fELF" + b"\x00" * 100, "文件类型不被接受"),
        ("bomb.json", b"\x1f\x8b\x08" + b"\x00" * 50, "文件类型不被接受"),
        ("form.pdf", b'{"kind": "project"}', "与内容（text）不符"),
        ("empty.json", b"   ", "文件为空"),
        ("broken.json", b'{"kind": "project", ', "不是有效的 JSON"),
        ("deep.json", b"[" * 100000 + b"]" * 100000, "JSON"),
        ("form.txt", "单位：某局\n".encode(), "上传失败：form.txt"),
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


def test_sniff_families() -> None:
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff("预算绩效".encode("gb18030")) == "text"
    assert sniff("预算绩效".encode()[:-1]) == "text"  # cut mid-character by the sample
    assert sniff(b"\x00\x01\x02binary") == "binary"
