"""The form model: one filled 绩效自评表 (performance self-evaluation form).

Two kinds share one model:

* ``department`` — 部门整体支出绩效目标自评表 (a department's overall expenditure);
* ``project`` — 项目支出绩效自评表 (one funded project).

Everything is kept *as written*: targets and actuals stay text (the grammar in
:mod:`jixiao.targets` reads them), money, weights and scores are ``Decimal``.
The canonical JSON of this model (:mod:`jixiao.io.jsonio`) is a published
contract; ``docs/form.schema.json`` is generated from these classes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticKnownError

FormKind = Literal["department", "project"]


@dataclass(frozen=True)
class FormLimits:
    """What one form may hold (表单上限): everything a real form needs, bounded so it can be stored and computed.

    ``docs/limits.md`` lists these with the importer's and the web's limits. The numbers fit the stored
    columns (``DecimalField``) and keep every computed ratio within the 28 digits of the decimal context.
    """

    # every number (全年预算数/执行数 in 元 or 万元, 分值, 得分, 总分): ten trillion, far beyond any real form,
    # small enough that the stored columns keep it and every ratio stays within the decimal context
    max_number: int = 10**13
    max_decimals: int = 10  # decimal places: an importer keeps 10 significant digits of a spreadsheet float
    max_name_chars: int = 200  # 单位/主管部门/项目名称 (an organisation's name is at most 200 characters)
    max_cell_chars: int = 200  # one cell of the table: 指标名称, 指标值, 资金行名称 …
    max_reason_chars: int = 500  # 偏差原因 of one indicator
    max_text_chars: int = 10_000  # free text: 年度总体目标, 绩效结论
    # (a form with every field full still posts within the request limit: 300 × 1,500 characters)
    max_indicators: int = 300  # an official form has fewer than 100 rows
    max_fund_rows: int = 50


FORM_LIMITS = FormLimits()


#: Text no database or file format can keep is refused (不可见字符): a NUL, by this pattern, checked inside
#: pydantic's core (no Python call per text); a lone UTF-16 surrogate is refused by pydantic's own str check
#: (``string_unicode``). :func:`jixiao.io.jsonio.explain` words both in Chinese.
KEEPABLE = r"^[^\x00]*$"

#: Text of the head (names), of one table cell and of a free-text block.
Name = Annotated[str, Field(max_length=FORM_LIMITS.max_name_chars, pattern=KEEPABLE)]
CellText = Annotated[str, Field(max_length=FORM_LIMITS.max_cell_chars, pattern=KEEPABLE)]
Reason = Annotated[str, Field(max_length=FORM_LIMITS.max_reason_chars, pattern=KEEPABLE)]
LongText = Annotated[str, Field(max_length=FORM_LIMITS.max_text_chars, pattern=KEEPABLE)]

#: A multiple of this has at most ``max_decimals`` decimal places.
_PLACE = Decimal(1).scaleb(-FORM_LIMITS.max_decimals)


def _within_places(value: Decimal) -> Decimal:
    """At most ``max_decimals`` decimal places (小数位数上限), counted as pydantic's ``decimal_places`` counts them
    (trailing zeros do not count, nothing is rounded), under its error type, so :func:`jixiao.io.jsonio.explain`
    words it.

    pydantic's own check takes every number apart (``normalize``, ``as_tuple``: about 1 µs each, half of a form's
    validation); a multiple of 10⁻¹⁰ needs neither. It runs after the range check, so the remainder is exact.
    """
    try:
        if not value % _PLACE:
            return value
    except ArithmeticError:  # the quotient is wider than the decimal context: count the digits instead
        pass
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # the core refused NaN and infinities before
    written = "".join(map(str, digits))
    if -(exponent + len(written) - len(written.rstrip("0"))) <= FORM_LIMITS.max_decimals:
        return value
    raise PydanticKnownError("decimal_max_places", {"decimal_places": FORM_LIMITS.max_decimals})


#: Money (万元 or 元, as printed on the form), weights and scores.
Amount = Annotated[
    Decimal, Field(ge=-FORM_LIMITS.max_number, le=FORM_LIMITS.max_number), AfterValidator(_within_places)
]
NonNegative = Annotated[Decimal, Field(ge=0, le=FORM_LIMITS.max_number), AfterValidator(_within_places)]


class _Strict(BaseModel):
    """Base: unknown keys are an error, so a typo in a hand-made JSON is caught."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Location(BaseModel):
    """Where a value came from in the original file (provenance, 来源位置)."""

    model_config = ConfigDict(frozen=True)

    file: str | None = None
    sheet: str | None = None
    page: int | None = None
    row: int | None = None
    line: int | None = None
    column: str | None = None
    #: How sure the importer is of the value read here (0–1); None where it was not estimated.
    confidence: float | None = None

    def describe(self) -> str:
        """Human place name, e.g. ``seed.txt 第12行`` or ``a.xlsx 工作表 Sheet1 第8行``."""
        parts = [self.file or ""]
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.column:
            parts.append(f"{self.column}列")
        return " ".join(p for p in parts if p)


class Contact(_Strict):
    """联系人 and 联系电话."""

    name: CellText | None = None
    phone: CellText | None = None


class FundRow(_Strict):
    """One row of the funds block (项目资金 / 部门总体资金, in 万元 or 元 as printed).

    The first row of :attr:`Funds.rows` is the total row (年度资金总额); the rest are
    its 其中 rows (基本支出/项目支出/其他资金, 本年财政拨款/上年结转资金/其他资金 …).
    """

    label: CellText
    initial: Amount | None = None  # 年初预算数
    budget: Amount | None = None  # 全年预算数 (A) / 调整后预算数
    executed: Amount | None = None  # 全年执行数 (B)


class Funds(_Strict):
    """资金 block: its rows and the declared 分值 / 执行率 / 得分 of the total row."""

    weight: NonNegative | None = None  # 分值, normally 10
    rate_declared: CellText | None = None  # 执行率 as written, e.g. "99%"
    score_declared: Amount | None = None  # 得分 as written
    rows: list[FundRow] = Field(default_factory=list, max_length=FORM_LIMITS.max_fund_rows)

    @property
    def total(self) -> FundRow | None:
        """The 年度资金总额 row, if the form has one."""
        return self.rows[0] if self.rows else None

    @property
    def parts(self) -> list[FundRow]:
        """The 其中 rows under the total."""
        return self.rows[1:]


class Goals(_Strict):
    """年度总体目标: 预期目标 and 实际完成情况 (free text)."""

    expected: LongText | None = None
    actual: LongText | None = None


class Indicator(_Strict):
    """A level-3 indicator row (三级指标) with its level-1 and level-2 parents."""

    level1: CellText | None = None  # 一级指标: 产出指标 / 效益指标 / 满意度指标 …
    level2: CellText | None = None  # 二级指标: 数量 / 质量 / 时效 / 成本 / 社会效益 …
    name: CellText  # 三级指标
    target: CellText | None = None  # 年度指标值, as written
    actual: CellText | None = None  # 实际完成值, as written
    weight: NonNegative | None = None  # 分值
    score_declared: Amount | None = None  # 得分, as declared by the unit
    reason: Reason | None = None  # 偏差原因分析 / 未完成原因分析
    #: 权重占比 in percent (50 for ``50%``): the Hebei double-weight form folds the indicator's 单项指标得分
    #: (``score_declared``, against its 分值) by this share into its 折算得分. Only that template has the
    #: two columns, so the canonical JSON writes them only when present (every other form keeps its bytes).
    weight_share: NonNegative | None = Field(default=None, exclude_if=lambda v: v is None)
    score_converted: Amount | None = Field(default=None, exclude_if=lambda v: v is None)  # 折算得分 as declared

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("三级指标名称不能为空")
        return value


class Form(_Strict):
    """A whole 绩效自评表."""

    kind: FormKind
    year: int | None = Field(default=None, ge=1990, le=2100)
    unit: Name | None = None  # 单位 / 实施单位
    department: Name | None = None  # 主管部门 (project forms)
    project: Name | None = None  # 项目名称 (project forms)
    filled_on: CellText | None = None  # 填报日期, as written ("2023年7月")
    contact: Contact = Field(default_factory=Contact)
    funds: Funds = Field(default_factory=Funds)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[Indicator] = Field(max_length=FORM_LIMITS.max_indicators)
    total_declared: Amount | None = None  # 总分 as declared
    conclusion: LongText | None = None  # 绩效结论
    #: 模板: the id of the form template the importer recognised (its io/templates library); a profile
    #: lists the templates it scores, so ``--profile auto`` can pick the rules of the form's template.
    template: Name | None = None

    @field_validator("contact", "funds", "goals", mode="before")
    @classmethod
    def _null_is_absent(cls, value: Any) -> Any:
        """The contract writes an absent block as null: read it as the empty block."""
        return {} if value is None else value

    #: Provenance per field path (``"indicators[3].actual"`` → place in the file).
    #: Not part of the canonical JSON: the same form read from xlsx or text is equal.
    provenance: dict[str, Location] = Field(default_factory=dict, exclude=True)

    def where(self, path: str) -> Location | None:
        """The place in the original file of a field path, or of its nearest parent."""
        if not self.provenance:
            return None
        while path:
            if path in self.provenance:
                return self.provenance[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def name_key(name: str | None) -> str:
    """A 单位 or 项目 name as compared: full-width folded, without white space and a trailing （盖章）."""
    folded = "".join(unicodedata.normalize("NFKC", name or "").split())
    return re.sub(r"\(盖章\)$", "", folded)


NO_UNIT = "（未填单位）"


def unit_key(unit: str | None, project: str | None) -> str:
    """Who a form reports on, the one key of a unit across files and years (同一填报主体): the unit, and the
    project for project forms, as compared (:func:`name_key`); ``（未填单位）`` for a form that names none."""
    named, item = name_key(unit) or NO_UNIT, name_key(project)
    return f"{named} / {item}" if item else named


def form_identity(form: Form) -> str | None:
    """The form's identity across files (表单身份): its kind, :func:`unit_key` and year; None when the form
    names no unit or no year (two such forms cannot be told apart by what they say)."""
    if not name_key(form.unit) or form.year is None:
        return None
    return f"{form.kind}|{unit_key(form.unit, form.project)}|{form.year}"


def fullest(form: Form, limits: FormLimits = FORM_LIMITS) -> Form:
    """``form`` filled to the limits (满额表单): every text at its longest, as many indicators and fund rows as
    allowed — what an export must still finish in seconds (``bench/export_limits.py``, the export tests).

    The texts mix Chinese, digits and Latin letters, so every cell needs font runs and wraps over many lines.
    """

    def text(length: int) -> str:
        pattern = "完成率95%，第1批项目Project验收合格；"
        return (pattern * (length // len(pattern) + 1))[:length]

    cell, long = text(limits.max_cell_chars), text(limits.max_text_chars)
    indicators = [
        Indicator(level1=f"{['产出', '效益', '满意度'][n * 3 // limits.max_indicators]}指标", level2=f"二级指标{n // 10}",
                  name=cell, target=cell, actual=cell, weight=Decimal(1), score_declared=Decimal(1),
                  reason=text(limits.max_reason_chars))
        for n in range(limits.max_indicators)
    ]
    rows = [FundRow(label=cell, initial=Decimal(limits.max_number), budget=Decimal(limits.max_number),
                    executed=Decimal(limits.max_number)) for _ in range(limits.max_fund_rows)]
    return form.model_copy(update={
        "unit": text(limits.max_name_chars), "department": text(limits.max_name_chars),
        "project": text(limits.max_name_chars), "filled_on": cell, "contact": Contact(name=cell, phone=cell),
        "funds": form.funds.model_copy(update={"rows": rows, "rate_declared": cell}),
        "goals": Goals(expected=long, actual=long), "indicators": indicators, "conclusion": long,
    })
