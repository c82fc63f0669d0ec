"""Official layouts (版式) as data: labels, column headers, widths and footnotes.

Each layout is a TOML file in ``jixiao/report/layouts/`` (``department.toml`` is the seed's
部门整体支出绩效目标自评表, ``project.toml`` the national 项目支出绩效自评表). A province variant is
a new file there — no code. :func:`layout_for` picks the layout by name or by the form's kind.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..datafile import load_toml
from ..errors import InputError
from ..model import Form, FormKind
from . import layout_dir
from . import list_layouts as list_layouts  # where callers have always found it

#: A shipped layout's name (file stem in ``layouts/``).
LAYOUT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: The official table has nine columns (A..I); the review column 复核得分 is a tenth.
OFFICIAL_COLUMNS = 9


class _LayoutPart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FundsLayout(_LayoutPart):
    """资金 block: side label, column headers, the rows of an empty form."""

    label: str
    headers: list[str] = Field(min_length=7, max_length=7)
    default_rows: list[str]
    not_applicable: str = "—"


class GoalsLayout(_LayoutPart):
    """年度总体目标 block."""

    label: str
    expected: str
    actual: str


class IndicatorsLayout(_LayoutPart):
    """The three-level indicator table."""

    label: str
    headers: list[str] = Field(min_length=8, max_length=8)
    level1_with_weight: str  # e.g. "{name}({weight}分)"


class FooterLayout(_LayoutPart):
    """总分, 绩效结论, contact line and the footnotes (注)."""

    total: str
    conclusion: str
    contact: str
    phone: str
    footnotes: list[str]


class Layout(_LayoutPart):
    """One official layout."""

    name: str
    kind: FormKind
    description: str
    title: str
    #: "附件1" printed above the title, where the official document attaches the form; "" when none
    attachment: str = ""
    year_line: str
    stamp_line: str  # "单位（盖章）：{unit}", or "" when the layout has none
    date_line: str
    font: str
    font_size: Decimal
    title_size: Decimal
    widths: list[Decimal] = Field(min_length=OFFICIAL_COLUMNS, max_length=OFFICIAL_COLUMNS)
    review_header: str
    review_width: Decimal
    header_rows: list[list[tuple[str, str]]]  # rows of (label, form field) pairs, 1 or 2 per row
    funds: FundsLayout
    goals: GoalsLayout
    indicators: IndicatorsLayout
    footer: FooterLayout


def load_layout(name: str) -> Layout:
    """Load a layout by name (``department``, ``project`` …) or from a path to a ``.toml`` file.

    Only the CLI should pass paths; a name from a web form is checked against :data:`LAYOUT_NAME`
    so that it can only ever pick a shipped file.
    """
    if name.endswith(".toml"):
        path = Path(name)
    elif LAYOUT_NAME.fullmatch(name):
        path = layout_dir() / f"{name}.toml"
    else:
        raise InputError(f"版式名称无效：{name!r}（只能包含小写字母、数字、- 和 _）", "--layout")
    if not path.is_file():
        raise InputError(f"没有名为 {name} 的版式，可用：{'、'.join(list_layouts())}", "--layout")
    return load_toml(path, Layout, "版式文件")


def layout_for(form: Form, name: str | None = None) -> Layout:
    """The layout named ``name``, else the shipped layout of the form's kind."""
    return load_layout(name or form.kind)
