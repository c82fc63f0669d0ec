"""Waivers (审核豁免): a reviewer's decision that one finding on one form stands explained.

A waiver names the finding (its code and field path), the reason, who and when, a fingerprint
of the field's content when it was waived, and the form's identity (:func:`identity_of`: kind, unit,
project and year — not its file name, which two forms in two folders may share). A waived finding is never dropped: it stays in every list, marked
waived, and no longer counts as an open error. When the field changes, the waiver lapses (失效):
the finding is open again and says that its waiver no longer applies.
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
    #: The form's identity when waived (:func:`identity_of`): the waiver applies to that form only, in whatever
    #: file it is (None: to every form whose field matches the fingerprint).
    identity: str | None = Field(default=None, max_length=1200)

    def applies_to(self, identity: str) -> bool:
        """Whether the waiver is of the form whose :func:`identity_of` is ``identity``."""
        return self.identity is None or self.identity == identity

    def describe(self) -> str:
        return f"已豁免：{self.reason}（{self.by}，{self.at:%Y-%m-%d %H:%M}）"


@dataclass(frozen=True, slots=True)
class WaiverState:
    """What a waiver does to one finding: it applies, or it lapsed because the field changed."""

    waiver: Waiver
    lapsed: bool

    def describe(self) -> str:
        if self.lapsed:
            return f"豁免已失效：该处内容在豁免后已修改（原豁免：{self.waiver.reason}，{self.waiver.by}）"
        return self.waiver.describe()


def identity_of(form: Form) -> str:
    """The form's identity for its waivers: kind, unit (and project) and year (:func:`jixiao.model.form_identity`);
    a form naming no unit or no year is known by its content (its waivers then hold until it is changed)."""
    return form_identity(form) or f"sha256:{fingerprint(form, None)}"


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
               file: str | None = None) -> Waiver:
    """A waiver of ``finding`` as the form stands now, for this form only (its :func:`identity_of`; ``file``: the
    form's file name, for the reader); a reason too short to explain anything is refused."""
    try:
        return Waiver(code=finding.code, path=finding.path, reason=reason.strip(), by=by.strip(),
                      at=at or datetime.now().astimezone(), fingerprint=fingerprint(form, finding.path), form=file,
                      identity=identity_of(form))
    except ValidationError as exc:
        first = exc.errors()[0]
        what = {"reason": "豁免理由至少 2 个字、至多 2000 字", "by": "请写明豁免人"}.get(str(first["loc"][0]), first["msg"])
        raise InputError(what, f"--{first['loc'][0]}") from None


def apply_waivers(findings: Iterable[Finding], form: Form, waivers: Iterable[Waiver]) -> list[Finding]:
    """The findings with each one's waiver state: waived (still listed) or its waiver lapsed; waivers of another
    form (another identity) do not apply."""
    given = list(waivers)
    identity = identity_of(form) if any(w.identity is not None for w in given) else ""
    by_key = {(w.code, w.path): w for w in given if w.applies_to(identity)}  # the latest waiver of a finding wins
    result = []
    data: Any = None  # the form's canonical data, dumped once when a finding has a waiver
    for finding in findings:
        waiver = by_key.get((finding.code, finding.path))
        if waiver is None:
            result.append(finding)
            continue
        if data is None:
            data = form.model_dump(mode="json")
        state = WaiverState(waiver, lapsed=waiver.fingerprint != _fingerprint(data, finding.path))
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
