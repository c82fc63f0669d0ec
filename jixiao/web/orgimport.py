"""Bulk set-up of a real bureau (组织与人员批量导入): bureaus → departments → units → users with roles.

The input is a CSV (UTF-8, or GB18030 as Excel writes it in China) or an xlsx workbook (first sheet), one row
per person or per organisation, with the columns of :data:`COLUMNS` (Chinese headers, in any order)::

    财政局,主管部门,预算单位,用户名,姓名,角色
    某县财政局,县教育局,县第一中学,zhang3,张三,填报人
    某县财政局,,,li4,李四,财政审核人

Stages, one function each: :func:`read_table` (file → header + rows of text), :func:`parse_rows` (rows →
:class:`OrgRow`, every problem named by file, row and column), :func:`apply` (one transaction: organisations
found or created along their path, new users with a generated password, roles added; nothing is half-written,
and a dry run rolls the same transaction back). Existing organisations, users and roles are reused, so running
the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.db import transaction

from ..errors import InputError
from .models import Membership, Organisation

#: Column → accepted headers (the first is the one written in docs and templates).
COLUMNS: dict[str, tuple[str, ...]] = {
    "bureau": ("财政局", "财政部门"),
    "department": ("主管部门", "部门"),
    "unit": ("预算单位", "单位"),
    "username": ("用户名", "账号", "登录名"),
    "full_name": ("姓名",),
    "role": ("角色",),
}
REQUIRED_COLUMNS = ("bureau",)
#: Role names accepted in the 角色 column (Chinese labels of Membership.Role and the stored values).
ROLES: dict[str, str] = {
    **{label: value for value, label in Membership.Role.choices},
    **{value: value for value, _ in Membership.Role.choices},
}
UNIT_ROLES = (Membership.Role.FILLER, Membership.Role.APPROVER)
#: Refused beyond these: an organisation file is a few thousand rows, not a data dump.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_NAME = 200  # Organisation.name's max_length
MAX_USERNAME = 150  # Django's username max_length
PASSWORD_BYTES = 12


@dataclass(frozen=True)
class OrgRow:
    """One row of the file, validated: the organisation path and, if any, a person and their role."""

    row: int
    bureau: str
    department: str = ""
    unit: str = ""
    username: str = ""
    full_name: str = ""
    role: str = ""


@dataclass
class ImportSummary:
    """What :func:`apply` created (or would create, in a dry run)."""

    organisations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Organisation.Kind.values, 0))
    users: int = 0
    memberships: int = 0
    passwords: list[tuple[str, str]] = field(default_factory=list)  # (username, initial password) of new users
    dry_run: bool = False


def _decode(raw: bytes, where: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码（请保存为 UTF-8 或 GBK 编码的 CSV）", where)


def read_table(path: Path) -> list[list[str]]:
    """The file's rows as text cells (header first): CSV or the first sheet of an xlsx workbook."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）", where)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取：{exc.strerror or exc}", where) from None
    if raw[:4] == b"PK\x03\x04":
        return _xlsx_rows(raw, where)
    text = _decode(raw, where)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise InputError(f"CSV 格式错误：{exc}", where) from None


def _xlsx_rows(raw: bytes, where: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or non-xlsx zip
        raise InputError("无法打开 xlsx 工作簿（文件损坏或不是 xlsx）", where) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise InputError(f"行数超过上限 {MAX_ROWS}", f"{where} 工作表 {sheet.title}")
            rows.append(["" if v is None else str(v).strip() for v in values])
        return rows
    finally:
        book.close()


def _header_map(header: list[str], where: str) -> dict[str, int]:
    """Column key → index, from the header row; unknown headers are an error (a typo would lose a column)."""
    aliases = {alias: key for key, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        key = aliases.get(title)
        if key is None:
            known = "、".join(names[0] for names in COLUMNS.values())
            raise InputError(f"无法识别的列名“{title}”（可用：{known}）", f"{where} 第1行 第{index + 1}列")
        if key in found:
            raise InputError(f"列“{title}”重复", f"{where} 第1行 第{index + 1}列")
        found[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in found:
            raise InputError(f"缺少列“{COLUMNS[key][0]}”", f"{where} 第1行")
    return found


def parse_rows(table: list[list[str]], where: str) -> list[OrgRow]:
    """Validated rows; every problem of the file at once, each naming its row and column."""
    if not table:
        raise InputError("文件为空（第一行应为列名：财政局、主管部门、预算单位、用户名、姓名、角色）", where)
    if len(table) > MAX_ROWS + 1:
        raise InputError(f"行数超过上限 {MAX_ROWS}", where)
    columns = _header_map(table[0], where)
    rows: list[OrgRow] = []
    problems: list[str] = []
    for number, cells in enumerate(table[1:], start=2):
        values = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        if not any(values.values()):
            continue  # blank line
        place = f"第{number}行"  # the file is named once, in front of the list

        def problem(key: str, message: str, place: str = place) -> None:
            problems.append(f"{place} 列“{COLUMNS[key][0]}”：{message}")

        for key in ("bureau", "department", "unit"):
            if len(values.get(key, "")) > MAX_NAME:
                problem(key, f"名称过长（上限 {MAX_NAME} 字）")
        if not values.get("bureau"):
            problem("bureau", "不能为空")
        username, role_text = values.get("username", ""), values.get("role", "")
        role = ROLES.get(role_text, "")
        if username and len(username) > MAX_USERNAME:
            problem("username", f"过长（上限 {MAX_USERNAME} 个字符）")
        if username and not role_text:
            problem("role", "有用户名时必须填写角色（填报人、审核人、财政审核人、管理员）")
        if role_text and not role:
            problem("role", f"未知角色“{role_text}”（可用：填报人、审核人、财政审核人、管理员）")
        if role_text and not username:
            problem("username", "填写了角色，但没有用户名")
        if role in UNIT_ROLES and not values.get("unit"):
            problem("unit", f"角色“{role_text}”属于预算单位，请填写预算单位")
        rows.append(OrgRow(number, values.get("bureau", ""), values.get("department", ""), values.get("unit", ""),
                           username, values.get("full_name", ""), role))
    if problems:
        shown = problems[:30]
        more = f"\n……另有 {len(problems) - len(shown)} 处" if len(problems) > len(shown) else ""
        raise InputError("文件有误，未导入任何内容：\n" + "\n".join(shown) + more, where)
    return rows


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that everything it did is rolled back."""


def _organisation(name: str, kind: str, parent: Organisation | None, summary: ImportSummary) -> Organisation:
    found = Organisation.objects.filter(name=name, kind=kind, parent=parent).first()
    if found is not None:
        return found
    summary.organisations[kind] += 1
    return Organisation.objects.create(name=name, kind=kind, parent=parent)


def apply(rows: list[OrgRow], dry_run: bool = False,
          hand_out: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Create what the rows describe, in one transaction (rolled back in a dry run).

    ``hand_out`` (writing the new passwords) runs inside the transaction: when it fails, nothing is
    created, so no account exists whose password nobody has."""
    summary = ImportSummary(dry_run=dry_run)
    users = get_user_model()
    try:
        with transaction.atomic():
            for row in rows:
                bureau = _organisation(row.bureau, Organisation.Kind.BUREAU, None, summary)
                department = (_organisation(row.department, Organisation.Kind.DEPARTMENT, bureau, summary)
                              if row.department else None)
                unit = (_organisation(row.unit, Organisation.Kind.UNIT, department or bureau, summary)
                        if row.unit else None)
                if not row.username:
                    continue
                user = users.objects.filter(username=row.username).first()
                if user is None:
                    password = secrets.token_urlsafe(PASSWORD_BYTES)
                    user = users.objects.create_user(row.username, password=password, first_name=row.full_name)
                    summary.users += 1
                    summary.passwords.append((row.username, password))
                where = bureau if row.role not in UNIT_ROLES else unit
                _, created = Membership.objects.get_or_create(user=user, organisation=where, role=row.role)
                summary.memberships += created
            if dry_run:
                raise _DryRun
            if hand_out is not None:
                hand_out(summary)
    except _DryRun:
        summary.passwords = []  # nothing was created: no password to hand out
    return summary


def import_file(path: Path, dry_run: bool = False,
                hand_out: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Read, validate and apply an organisation file (:func:`read_table` → :func:`parse_rows` → :func:`apply`)."""
    return apply(parse_rows(read_table(path), str(path)), dry_run, hand_out)


def reserve(path: Path) -> IO[str]:
    """The passwords file, created before anything is imported (owner-only, never over an existing file)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError("文件已存在，不覆盖（请换一个文件名或先删除它）", str(path)) from None
    except OSError as exc:
        raise InputError(f"无法写入：{exc.strerror or exc}", str(path)) from None
    return os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="")


def write_passwords(summary: ImportSummary, handle: IO[str], place: str) -> None:
    """The new users' initial passwords as CSV (用户名, 初始密码), on disk before the import commits: a full
    disk refuses the whole import (InputError) instead of leaving accounts without a known password."""
    try:
        writer = csv.writer(handle)
        writer.writerow(["用户名", "初始密码"])
        writer.writerows(summary.passwords)
        handle.flush()
        os.fsync(handle.fileno())
    except OSError as exc:
        raise InputError(f"初始密码无法写入（{exc.strerror or exc}），导入已撤销，什么也没有创建", place) from None
