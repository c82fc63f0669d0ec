"""Import notes: what an importer could not read, said precisely and in Chinese.

Codes start with ``I`` so they never collide with the auditor's ``A`` findings:

* ``I01`` 文本不完整 — the text stops mid-table (or starts mid-table); says where;
* ``I02`` 无法识别的值 — a value that could not be read, kept verbatim;
* ``I03`` 编码猜测 — the file was not UTF-8, the encoding was guessed;
* ``I04`` 多份表格 — a second form on the same page was ignored;
* ``I05`` 未读入的列 — a value the form model has no field for (Chongqing's 调整指标值);
* ``I06`` 文本已修复 — extraction damage undone before reading (wrapped lines joined, page markers
  dropped, OCR confusions corrected, a column-flattened table put back into rows), said where;
* ``I07`` 金额单位 — the funds block prints its amounts in 元 (not the usual 万元): they are kept so;
* ``I08`` 按表样读取 — the indicator table has no header the reader knows: its columns were taken from the
  template library's plan that the form's own rules agree with best (an info note naming the template);
* ``I20`` 导入存疑 — the importer is not sure of a field: its reading won narrowly over another, or the
  form's own arithmetic still disagrees with it.  The note names the field ``path`` and the runner-up;
* ``I21`` 未读出 — a field every form has (单位, 年度, 项目名称, 资金情况, a printed 得分 column …) for
  which no value was found: a missing value is said, never silently missing;
* ``I25`` 可能漏读指标 — the indicator table holds values no row read, or its 得分 fall short of the 总分:
  rows were probably lost (on :data:`MISSING_ROWS`, the rows not read, or on the whole list);
* ``I26`` 按组填写 — a column filled once per group of rows: a layout, said once (no ``I21`` per blank cell).

A note with a ``path`` marks that field, and every field under it (``indicators[3]`` covers
``indicators[3].weight``), as doubted: the auditor then says 导入存疑 instead of blaming the unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..audit import Finding, Severity, covers
from ..model import Location

#: The path of a note that says rows may be missing from the list (``I25``): it covers the indicators the
#: reader did not find, not the fields of the rows it read (``indicators`` covers both).
MISSING_ROWS = "indicators[+]"

#: Every import-note code with its one-line title (listed in docs/findings.md after the audit's codes).
IMPORT_CODES: tuple[tuple[str, str], ...] = (
    ("I01", "文本不完整：表格中途中断或从中间开始（写明位置）"),
    ("I02", "无法识别的值，原文保留或找不到所属指标"),
    ("I03", "文件不是 UTF-8，编码为推测"),
    ("I04", "同一页面上还有第二张表，未读取"),
    ("I05", "表单模型没有对应字段的值（如重庆的调整指标值）"),
    ("I06", "文本已修复：折行接回、分页标记删除、OCR 误识更正或按列展开的表格重新拼行"),
    ("I07", "金额单位为元：资金按表中所印的单位读入，未换算为万元"),
    ("I08", "指标表没有可识别的表头：各列按表样库中与表内算术最相符的表样读取"),
    ("I10", "超出行数或页数上限，只读取了一部分"),
    ("I11", "工作簿其他工作表中还有表单"),
    ("I12", "应为数字的单元格不是数字，该字段留空"),
    ("I13", "同一工作表或文档中还有一张表单，未读取"),
    ("I20", "导入存疑：该字段的读法不唯一或与表内算术不符，请核对"),
    ("I21", "未读出：表中应有该字段，但未能读出其值，请补填或核对"),
    ("I25", "可能漏读指标：指标表中有数值未归入任何指标行，或各行得分合计少于总分，请核对原表"),
    ("I26", "按组填写：该列一组只填一个值（如一组一个得分），其余行的空白属表格版式"),
)


@dataclass(frozen=True)
class ImportNote:
    """One problem met while importing a file (导入提示)."""

    code: str
    message: str
    location: Location | None = None
    path: str | None = None  # canonical field path it concerns ("indicators[3].weight"); covers children
    severity: Severity = "warning"

    def covers(self, path: str) -> bool:
        """Whether this note concerns ``path`` (itself or a parent of it)."""
        return self.path is not None and covers(self.path, path)

    def describe(self) -> str:
        """``seed.txt 第12行: I02 …`` for terminals and logs."""
        where = self.location.describe() if self.location else ""
        return f"{where}: {self.code} {self.message}" if where else f"{self.code} {self.message}"

    def as_finding(self) -> Finding:
        """The note as an audit finding (severity warning): what was not read is a thing to review."""
        place = self.location.describe() if self.location else "导入"
        return Finding(self.code, self.severity, place, self.message, self.path)


def doubted(notes: Iterable[ImportNote], path: str) -> bool:
    """Whether any note puts the field at ``path`` in doubt."""
    return any(note.covers(path) for note in notes)


def doubted_paths(notes: Iterable[ImportNote]) -> frozenset[str]:
    """The field paths the notes put in doubt (a plain collection the auditor can take without importing io)."""
    return frozenset(note.path for note in notes if note.path is not None)


def note_data(note: ImportNote) -> dict[str, Any]:
    """One note as JSON data (``jixiao parse --notes``): code, severity, message, field path, place in the file."""
    location = note.location.model_dump(mode="json", exclude_none=True) if note.location else None
    return {"code": note.code, "severity": note.severity, "message": note.message, "path": note.path,
            "place": note.location.describe() if note.location else None, "location": location}
