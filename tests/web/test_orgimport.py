"""`jixiao import-org`: a real bureau's organisations and people from CSV or xlsx, all or nothing."""

from __future__ import annotations

import contextlib
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import InputError

HEADER = "财政局,主管部门,预算单位,用户名,姓名,角色\n"
GOOD = HEADER + (
    "某县财政局,县教育局,县第一中学,zhang3,张三,填报人\n"
    "某县财政局,县教育局,县第一中学,wang5,王五,审核人\n"
    "某县财政局,县教育局,县实验小学,zhao6,赵六,填报人\n"
    "某县财政局,,县档案馆,qian7,钱七,填报人\n"
    "某县财政局,,,li4,李四,财政审核人\n"
    "某县财政局,县卫健局,,,,\n"
)


def _counts() -> tuple[int, int, int]:
    from django.contrib.auth import get_user_model

    from jixiao.web.models import Membership, Organisation

    return Organisation.objects.count(), get_user_model().objects.count(), Membership.objects.count()


def test_import_builds_the_tree_with_roles_and_passwords_and_is_idempotent(db: Any, tmp_path: Path) -> None:
    from django.contrib.auth import authenticate

    from jixiao.web.models import Membership, Organisation
    from jixiao.web.orgimport import import_file

    source = tmp_path / "org.csv"
    source.write_text(GOOD, encoding="utf-8-sig")
    summary = import_file(source)
    assert summary.organisations == {"bureau": 1, "department": 2, "unit": 3}
    assert summary.users == 5 and summary.memberships == 5
    school = Organisation.objects.get(name="县第一中学")
    assert school.kind == "unit" and school.parent.name == "县教育局" and school.parent.parent.name == "某县财政局"
    archive = Organisation.objects.get(name="县档案馆")
    assert archive.parent.name == "某县财政局"  # a unit directly under the bureau
    assert Membership.objects.get(user__username="li4").organisation.kind == "bureau"
    assert set(Membership.objects.filter(organisation=school).values_list("user__username", "role")) == {
        ("zhang3", "filler"), ("wang5", "approver")}
    username, password = summary.passwords[0]
    assert authenticate(username=username, password=password) is not None
    before = _counts()
    again = import_file(source)
    assert _counts() == before and again.users == 0 and again.memberships == 0 and again.passwords == []


def test_dry_run_writes_nothing(db: Any, tmp_path: Path) -> None:
    from jixiao.web.orgimport import import_file

    source = tmp_path / "org.csv"
    source.write_text(GOOD, encoding="utf-8")
    before = _counts()
    summary = import_file(source, dry_run=True)
    assert summary.users == 5 and summary.organisations["unit"] == 3
    assert _counts() == before and summary.passwords == []


def test_xlsx_and_gbk_csv(db: Any, tmp_path: Path) -> None:
    from jixiao.web.orgimport import import_file

    book = Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "org.xlsx")
    assert import_file(tmp_path / "org.xlsx").organisations["unit"] == 3
    (tmp_path / "gbk.csv").write_bytes((HEADER + "某市财政局,,市图书馆,sun8,孙八,填报人\n").encode("gbk"))
    assert import_file(tmp_path / "gbk.csv").users == 1


@pytest.mark.parametrize(("content", "fragments"), [
    ("", ["文件为空"]),
    ("单位名称,用户名\nx,y\n", ["无法识别的列名“单位名称”", "第1行 第1列"]),
    ("主管部门,用户名\nx,y\n", ["缺少列“财政局”"]),
    (HEADER + "某县财政局,,县一中,zhang3,张三,局长\n", ["第8行 列“角色”", "未知角色“局长”"]),
    (HEADER + "某县财政局,,,zhang3,张三,填报人\n", ["第8行 列“预算单位”", "属于预算单位"]),
    (HEADER + ",,县一中,zhang3,张三,填报人\n某县财政局,,县一中,li4,,\n",
     ["第8行 列“财政局”：不能为空", "第9行 列“角色”"]),
])
def test_bad_files_name_row_and_column_and_write_nothing(db: Any, tmp_path: Path, content: str,
                                                        fragments: list[str]) -> None:
    from jixiao.web.orgimport import import_file

    source = tmp_path / "bad.csv"
    # After the header, good rows first: a later bad row must not leave them half-written.
    source.write_text(GOOD + content.removeprefix(HEADER) if content.startswith(HEADER) else content,
                      encoding="utf-8")
    before = _counts()
    with pytest.raises(InputError) as raised:
        import_file(source)
    message = str(raised.value)
    assert str(source) in message and all(f in message for f in fragments), message
    assert _counts() == before


def test_not_a_table_is_refused(db: Any, tmp_path: Path) -> None:
    from jixiao.web.orgimport import import_file

    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="无法打开 xlsx"):
        import_file(tmp_path / "broken.xlsx")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x81\x30\x81\x30\xff")
    with pytest.raises(InputError):
        import_file(tmp_path / "binary.csv")


def test_cli_import_org_writes_passwords_owner_only(db: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.csv").write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(app, ["import-org", "org.csv", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "将创建" in dry.output and "试运行" in dry.output and not (tmp_path / "pw.csv").exists()
    done = runner.invoke(app, ["import-org", "org.csv", "--passwords", "pw.csv"])
    assert done.exit_code == 0, done.output
    assert "预算单位 3" in done.output and "pw.csv" in done.output
    assert stat.S_IMODE((tmp_path / "pw.csv").stat().st_mode) == 0o600
    lines = (tmp_path / "pw.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "用户名,初始密码" and len(lines) == 6
    refused = runner.invoke(app, ["import-org", "org.csv", "--passwords", "pw.csv"])
    assert refused.exit_code == 2 and "文件已存在" in refused.output
    (tmp_path / "bad.csv").write_text(HEADER + "某县财政局,,,x,,局长\n", encoding="utf-8")
    bad = runner.invoke(app, ["import-org", "bad.csv", "--passwords", "pw2.csv"])
    assert bad.exit_code == 2 and "第2行" in bad.output and not (tmp_path / "pw2.csv").exists()


def test_createadmin_is_scriptable(db: Any, monkeypatch: Any) -> None:
    from django.contrib.auth import authenticate

    runner = CliRunner()
    made = runner.invoke(app, ["createadmin", "--username", "root1", "--password-stdin"],
                         input="a-long-Passphrase-7\n")
    assert made.exit_code == 0, made.output
    user = authenticate(username="root1", password="a-long-Passphrase-7")
    assert user is not None and user.is_superuser and user.is_staff
    again = runner.invoke(app, ["createadmin", "--username", "root1", "--password-stdin"], input="x\n")
    assert again.exit_code == 2 and "已存在" in again.output
    weak = runner.invoke(app, ["createadmin", "--username", "root2", "--password-stdin"], input="123\n")
    assert weak.exit_code == 2 and "密码" in weak.output and "Traceback" not in weak.output


def test_admin_names_every_model_in_chinese(db: Any, client: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    get_user_model().objects.create_superuser("root", password="a-long-Passphrase-7")
    client.login(username="root", password="a-long-Passphrase-7")
    page = client.get("/admin/").content.decode()
    for name in ("组织", "人员角色", "年度评分规则", "自评表", "接口令牌", "绩效自评"):
        assert f">{name}<" in page, name
    assert not re.search(r">[A-Z][a-z]+ [a-z]+s<|组织s|自评表s", page)
    for model in ("organisation", "membership", "formrecord", "apitoken"):
        listing = client.get(f"/admin/jixiao_web/{model}/").content.decode()
        assert not re.search(r'<th[^>]*>\s*<div class="text"><a[^>]*>[A-Za-z ]+</a>', listing), model
    call_command("makemigrations", "jixiao_web", "--check", "--dry-run", verbosity=0)  # names are migrated


@pytest.fixture()
def full_disk(tmp_path: Path) -> Any:
    """A real full file system: a tiny tmpfs filled to the last byte (needs root; skipped elsewhere)."""
    mount = tmp_path / "full"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with contextlib.suppress(OSError), open(mount / "filler", "wb") as filler:  # the close fails too
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_for_the_passwords_refuses_the_whole_import(db: Any, tmp_path: Path, full_disk: Path,
                                                                 monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.csv").write_text(GOOD, encoding="utf-8")
    done = CliRunner().invoke(app, ["import-org", "org.csv", "--passwords", str(full_disk / "pw.csv")])
    assert done.exit_code == 2 and "导入已撤销" in done.output and "Traceback" not in done.output, done.output
    assert _counts() == (0, 0, 0) and not (full_disk / "pw.csv").exists()
