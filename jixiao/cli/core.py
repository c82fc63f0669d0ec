"""Core commands: schema (more: score, audit, profiles)."""

from __future__ import annotations

import json

from ..model import Form
from . import app, out


@app.command()
def schema() -> None:
    """打印表单的 JSON Schema（docs/form.schema.json 由此生成）。"""
    out.print(json.dumps(Form.model_json_schema(), ensure_ascii=False, indent=2), markup=False)
