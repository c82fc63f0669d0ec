"""Data files (rule profiles, layouts): TOML validated into a pydantic model, errors naming file and field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, field_path

M = TypeVar("M", bound=BaseModel)


def load_toml(path: Path, model: type[M], what: str) -> M:
    """Read ``path`` as TOML into ``model``; ``what`` names the kind of file in messages (规则文件, 版式文件)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"无法读取{what}：{exc.strerror}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{what}不是有效的 TOML：{exc}", str(path)) from None
    return validate(data, model, what, str(path))


def validate(data: Any, model: type[M], what: str, place: str) -> M:
    """``data`` (already read) into ``model``; an error names ``place`` and the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"{what}字段错误：{first['msg']}", f"{place}: {field_path(first['loc'])}") from None
