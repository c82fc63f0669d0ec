"""Label dictionary of the 绩效自评表 text importer.

Every template words its labels a little differently (``年度指标值`` / ``年初目标值`` /
``预期指标值``), prints them with spaces or one character per line, in Traditional
characters with pinyin injected (``項(xiàng)目``), with full-width brackets.  Labels are
therefore compared on a *key*: the text without white space, pinyin or ``(A)`` marks,
full-width ASCII folded to half-width and Traditional folded to Simplified.  Values are
never keyed — they stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
_SPACE = re.compile(r"\s+")
_COLUMN_MARK = re.compile(r"\([A-Z](/[A-Z])?\)$")

# Only the characters that occur in labels: values keep their Traditional form.
_TRADITIONAL = str.maketrans(
    "總標項產績數質滿對務預執額資財單實際計劃態會經濟續響進評結論報稱值開門類屬級濟綜價設別時聯係話負責體況監測據間護",
    "总标项产绩数质满对务预执额资财单实际计划态会经济续响进评结论报称值开门类属级济综价设别时联系话负责体况监测据间护",
)


def fold(text: str) -> str:
    """Full-width ASCII to half-width (``（１０分）`` → ``(10分)``) without touching CJK."""
    return unicodedata.normalize("NFKC", text)


def key(text: str) -> str:
    """The comparison key of a label."""
    text = _PINYIN.sub("", text)
    text = fold(text).translate(_TRADITIONAL)
    return _SPACE.sub("", text)


class Column(Enum):
    """Columns of the indicator table (绩效指标表的列)."""

    NAME = "三级指标"
    NATURE = "指标性质"
    VALUE = "指标值"
    MEASURE = "度量单位"
    TARGET = "年度指标值"
    ADJUSTED = "调整指标值"
    ACTUAL = "实际完成值"
    WEIGHT = "分值"
    SCORE = "得分"
    RATIO = "得分系数"
    REASON = "原因"
    CORE = "是否核心指标"
    METHOD = "得分计算方法"
    REVIEW = "复核分"


#: Indicator table headers, longest spellings first (a key is matched whole).
INDICATOR_COLUMNS: list[tuple[re.Pattern[str], Column]] = [
    (re.compile(p), c)
    for p, c in [
        (r"^(三级指标|指标名称|指标名称\(三级指标\)|评价内容)$", Column.NAME),
        (r"^指标性质$", Column.NATURE),
        (r"^(度量单位|计量单位)$", Column.MEASURE),
        (r"^指标值$", Column.VALUE),
        (r"^(年度指标值|年初目标值|预期指标值|年初指标值|年度目标值|目标值|年初指标值\(A\))$", Column.TARGET),
        (r"^调整指标值$", Column.ADJUSTED),
        (
            r"^(实际完成值|全年实际值|完成值|实际完成指标值|全年实际完成值|全年完成值|年终完成值|年成值全完值)$",
            Column.ACTUAL,
        ),
        (r"^(分值|权重|指标权重|指标权重\(分\))$", Column.WEIGHT),
        (r"^(得分|指标得分|指标得分\(分\)|自评分|自评得分)$", Column.SCORE),
        (r"^得分系数(\(%\))?$", Column.RATIO),
        (
            r"^(偏差原因分析及改进措施|未完成原因分析|未完成原因及拟采取的改进措施|未完成原因和改进措施|"
            r"未完成原因|偏差原因分析|未完成原因及改进措施|偏差原因分析及改进措)$",
            Column.REASON,
        ),
        (r"^是否核心指标$", Column.CORE),
        (r"^(得分计算方法|评价标准及依据|评价标准)$", Column.METHOD),
        (r"^复核分$", Column.REVIEW),
    ]
]

#: Header words that belong to the indicator table head but are not data columns.
INDICATOR_HEAD_WORDS = re.compile(r"^(一级指标|二级指标|绩效指标|年度绩效指标|指标)$")

LEVEL1 = re.compile(
    r"^(?:(产出|效益|满意度|服务对象满意度|成本)指标|(项目决策|项目管理|项目绩效))"
    r"(\(\d+(\.\d+)?分?\)|\d+(\.\d+)?分)?$"
)
#: Level-1 labels lost in extraction leave only their weight: ``(50分)``.
LEVEL1_WEIGHT_ONLY = re.compile(r"^\((\d+(\.\d+)?)分\)$")
LEVEL2 = re.compile(
    r"^(数量|质量|时效|日效性|进度|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|可持续性|可持续|"
    r"服务对象满意度|群众满意度|满意度|社会公众或服务对象满意度)(指标)?(等)?$"
)
LEVEL1_NAMES = {
    "产出": "产出指标",
    "效益": "效益指标",
    "满意度": "满意度指标",
    "服务对象满意度": "满意度指标",
    "成本": "成本指标",
    "项目决策": "项目决策",
    "项目管理": "项目管理",
    "项目绩效": "项目绩效",
}
#: When only ``(50分)`` survives, the standard order of the level-1 blocks names it.
LEVEL1_ORDER = ["产出指标", "效益指标", "满意度指标"]

#: Where the indicator table ends (总分 row, conclusion, signatures, footnotes).
TABLE_END = re.compile(
    r"^(总分|合计|总计|绩效结论|评价结论|其他需要说明事项|说明|项目负责人:?|财务负责人:?|"
    r"偏差大或目标未完成原因分析|联系人.*|注[:：].*|备注[:：]?.*|存在问题|改进措施)$"
)

#: Filler cells: the template's ``……`` rows and dashes for "not applicable".
FILLER = re.compile(r"^(…+|\.{3,}|[-—–]+|/)$")


def level1_name(label_key: str) -> str | None:
    """``产出指标(50分)`` → ``产出指标``."""
    m = LEVEL1.match(label_key)
    return LEVEL1_NAMES[m.group(1) or m.group(2)] if m else None


def column_of(label_key: str) -> Column | None:
    """The indicator column a header cell names, or None."""
    label_key = _COLUMN_MARK.sub("", label_key)
    for pattern, column in INDICATOR_COLUMNS:
        if pattern.match(label_key):
            return column
    return None
