"""Waivers (审核豁免): a reviewer's decision that one finding on one form stands explained.

A waiver names the finding (its code and field path), the reason, who and when, a fingerprint
of the field's content when it was waived, the form's file name and the form's identity (:func:`identity_of`:
kind, unit, project and year — not its file name, which two forms in two folders may share).  A form that
names no unit or no year has no identity: its waivers are known by the file name alone.  A waived finding is
never dropped: it stays in every list, marked waived, and no longer counts as an open error.  When the field
changes, the waiver lapses (失效): the finding is open again and says that its waiver no longer applies.  So
does a waiver of the same file whose form now has another identity (its unit, project or year was edited):
it is shown as lapsed, never dropped in silence.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, field_path
from ..model import Form, form_identity
from .base import Finding

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class Waiver(BaseModel):
    """One 审核豁免: finding ``code`` at ``path`` of one form, waived for ``reason`` by ``by`` at ``at``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]\d{2}$")
    path: str | None = None
    reason: str = Field(min_length=2, max_length=2000)
    by: str = Field(min_length=1, max_length=100)
    at: datetime
    fingerprint: str  # of the field as it was when waived; another fingerprint means the waiver lapsed
    #: The form's file name as given to ``jixiao waive``, for the reader; waivers written before ``identity``
    #: existed are matched by it in a batch (its base name).
    form: str | None = Field(default=None, max_length=500)
    #: The form's identity when waived (:func:`identity_of`, a hash): the waiver applies to that form only, in
    #: whatever file it is (None: to every form whose field matches the fingerprint; a batch takes it for the
    #: file named ``form`` only).
    identity: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$")

    def of_file(self, file: str | None) -> bool:
        """Whether the waiver was written for the file named ``file`` (its base name)."""
        return file is not None and self.form is not None and Path(self.form).name == Path(file).name

    def describe(self) -> str:
        return f"已豁免：{self.reason}（{self.by}，{self.at:%Y-%m-%d %H:%M}）"


@dataclass(frozen=True, slots=True)
class WaiverState:
    """What a waiver does to one finding: it applies, or it lapsed because the field changed."""

    waiver: Waiver
    lapsed: bool
    #: the waiver is of this file, but the form's identity (unit, project, year) changed since
    moved: bool = False

    def describe(self) -> str:
        if self.moved:
            return f"豁免已失效：该表的表类、单位、项目或年度在豁免后已修改（原豁免：{self.waiver.reason}，{self.waiver.by}）"
        if self.lapsed:
            return f"豁免已失效：该处内容在豁免后已修改（原豁免：{self.waiver.reason}，{self.waiver.by}）"
        return self.waiver.describe()


def identity_of(form: Form) -> str | None:
    """The form's identity for its waivers: a hash (``sha256:…``, of a fixed length however long the names) of
    its kind, unit (and project) and year (:func:`jixiao.model.form_identity`); None when the form names no unit
    or no year (its waivers are then known by the file name)."""
    identity = form_identity(form)
    return None if identity is None else "sha256:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()


def fingerprint(form: Form, path: str | None) -> str:
    """A short hash of the content at a field path of the form's canonical data (the whole form for no path)."""
    return _fingerprint(form.model_dump(mode="json"), path)


def _fingerprint(data: Any, path: str | None) -> str:
    """:func:`fingerprint` of the form's canonical data ``data`` (dumped once for all the waivers of a form)."""
    value = data
    for name, index in _STEP.findall(path or ""):
        try:
            value = value[int(index)] if index else value[name]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def waiver_for(finding: Finding, form: Form, by: str, reason: str, at: datetime | None = None,
               file: str | None = None, identified: bool = True) -> Waiver:
    """A waiver of ``finding`` as the form stands now, for this form only (its :func:`identity_of`, unless not
    ``identified``: a waiver kept with its form, as the web keeps it, needs none; ``file``: the form's file
    name); a reason too short to explain anything is refused."""
    try:
        return Waiver(code=finding.code, path=finding.path, reason=reason.strip(), by=by.strip(),
                      at=at or datetime.now().astimezone(), fingerprint=fingerprint(form, finding.path), form=file,
                      identity=identity_of(form) if identified else None)
    except ValidationError as exc:
        first = exc.errors()[0]
        what = {"reason": "豁免理由至少 2 个字、至多 2000 字", "by": "请写明豁免人"}.get(str(first["loc"][0]), first["msg"])
        raise InputError(what, f"--{first['loc'][0]}") from None


def apply_waivers(findings: Iterable[Finding], form: Form, waivers: Iterable[Waiver],
                  file: str | None = None) -> list[Finding]:
    """The findings with each one's waiver state: waived (still listed) or its waiver lapsed.

    A waiver of another form (another identity) does not apply, unless it was written for this ``file`` (the
    name of the file the form was read from): then the form's unit, project or year was edited since, and the
    waiver is shown as lapsed."""
    given = list(waivers)
    identity = identity_of(form) if any(w.identity is not None for w in given) else None
    by_key: dict[tuple[str, str | None], tuple[Waiver, bool]] = {}  # the latest waiver of a finding wins
    for waiver in given:
        if waiver.identity is None or waiver.identity == identity:
            by_key[(waiver.code, waiver.path)] = (waiver, False)
        elif waiver.of_file(file):
            by_key[(waiver.code, waiver.path)] = (waiver, True)
    result = []
    data: Any = None  # the form's canonical data, dumped once when a finding has a waiver
    for finding in findings:
        found = by_key.get((finding.code, finding.path))
        if found is None:
            result.append(finding)
            continue
        waiver, moved = found
        if data is None:
            data = form.model_dump(mode="json")
        state = WaiverState(waiver, lapsed=moved or waiver.fingerprint != _fingerprint(data, finding.path), moved=moved)
        result.append(replace(finding, waiver=state, message=f"{finding.message}【{state.describe()}】"))
    return result


def is_open(finding: Finding) -> bool:
    """Not waived, or its waiver lapsed: still to be dealt with."""
    return finding.waiver is None or finding.waiver.lapsed


class _WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    waivers: list[Waiver]


def read_waivers(path: Path) -> list[Waiver]:
    """A waivers file (JSON: ``{"waivers": [...]}``), its errors naming the file and the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"无法读取豁免文件：{exc.strerror}", str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"豁免文件不是有效的 JSON：{exc}", str(path)) from None
    try:
        return _WaiverFile.model_validate(data).waivers
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"豁免文件字段错误：{first['msg']}", f"{path}: {field_path(first['loc'])}") from None


def write_waivers(path: Path, waivers: Iterable[Waiver]) -> None:
    """Write a waivers file: every waiver ever given, oldest first (the file is the history; the latest applies)."""
    data = {"waivers": [w.model_dump(mode="json") for w in waivers]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
