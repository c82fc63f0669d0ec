"""Low-level scanning for the text importer: tokens, label regexes, numbers, glued runs.

Extraction loses the table grid: cells come out separated by ``|`` (HTML copies), by
spaces (pdftotext, DOCX dumps) or by nothing at all (OCR).  A :class:`Token` is one cell
or one space-separated word, with the line it came from (provenance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from .textlabels import _TRADITIONAL, key

_PINYIN_OPT = r"(?:\([a-z\u00e0-\u00fc\u0101-\u01dc\u01f9\u1e3f]+\))?"  # ranges: cheap to compile
_SIMPLE_TO_TRAD: dict[str, str] = {}
for _trad, _simple in _TRADITIONAL.items():
    _SIMPLE_TO_TRAD[chr(_simple)] = _SIMPLE_TO_TRAD.get(chr(_simple), "") + chr(_trad)

#: Units printed after numbers, longest first so ``万元`` wins over ``元``.
UNITS = sorted(
    [
        "%",
        "百分比",
        "‰",
        "万元",
        "亿元",
        "元",
        "万粒",
        "粒",
        "万人",
        "人次",
        "户次",
        "人",
        "户",
        "个",
        "次",
        "份",
        "篇",
        "起",
        "亩",
        "只",
        "头",
        "种",
        "例",
        "吨",
        "公里",
        "千米",
        "厘米",
        "米",
        "平方米",
        "立方米",
        "公斤",
        "千克",
        "天",
        "年",
        "月",
        "日",
        "小时",
        "家",
        "所",
        "台",
        "套",
        "项",
        "场",
        "批",
        "期",
        "件",
        "本",
        "册",
        "张",
        "处",
        "座",
        "条",
        "辆",
        "TB",
        "GB",
        "万",
        "分",
    ],
    key=len,
    reverse=True,
)
#: A value as written: comparison sign, number, unit (``≥266米``, ``100%``, ``1000万元``).
_UNIT_RE = "(?:" + "|".join(map(re.escape, UNITS)) + ")(?!度)"
# OCR reads a zero before a unit as the letter O (``第O份``): kept as written, but still a value
ATOM = re.compile(rf"(?:[<>]=|[≥≤=<>≧≦＝])?(?:\d+(?:\.\d+)?(?:{_UNIT_RE})?|O(?={_UNIT_RE}){_UNIT_RE})")


def is_value(text: str) -> bool:
    """A cell that is a value, never a name: ``75元``, ``95%``, ``10``."""
    return bool(ATOM.fullmatch(text))


PIPE_THRESHOLD = 10  # fewer `|` than this and they are stray characters, not cell borders


@dataclass
class Token:
    """A cell (pipe-separated text) or a word (space-separated text)."""

    text: str
    line: int
    cell: bool = False
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = key(self.text)


#: One cell per line: at least this many lines, this share of them a single word (a table read cell by cell).
CELL_LINES_MIN = 20
CELL_LINES_SHARE = 0.8
#: Blank lines after this share of the cells are separators printed between cells, not empty cells.
SEPARATOR_SHARE = 0.7


GLUED_LINE = 25  # a line this long without a space is many cells glued together, not one cell
#: A row glued into one word: a name, then at least two numbers (``财政供养人员控制率100%92%22``).
_GLUED_ROW = re.compile(r"[\u4e00-\u9fff][^\d\s]*\d[\d.%]*\D*\d[\d.%]*$")
_UNIT_END = re.compile(r"(?<=\d)[^\d\s.%]{1,3}$")  # a unit may end the row (``…5.5亩5.5亩``)
GLUED_ROWS_SHARE = 0.3  # this share of the lines with figures being glued rows: rows, not cells


def is_glued_row(text: str) -> bool:
    """One word holding a whole indicator row: its name and its figures with no separator."""
    text = text.strip()
    return not any(c.isspace() for c in text) and bool(_GLUED_ROW.search(_UNIT_END.sub("", text)))


def cell_per_line(lines: list[tuple[int, str]]) -> bool:
    """The text holds one table cell per line (no ``|``, few spaces inside a line, no long glued runs)."""
    filled = [text.strip() for _, text in lines if text.strip()]
    figures = [text for text in filled if any(c.isdigit() for c in text)]
    if figures and sum(map(is_glued_row, figures)) >= GLUED_ROWS_SHARE * len(figures):
        return False  # a row per line, each row glued into one word
    single = [text for text in filled if len(text.split()) == 1]
    glued = sum(len(text) for text in filled if len(text) >= GLUED_LINE)
    return (
        len(filled) >= CELL_LINES_MIN
        and len(single) >= CELL_LINES_SHARE * len(filled)
        and glued < 0.5 * sum(len(text) for text in filled)
    )


def _line_cells(lines: list[tuple[int, str]]) -> list[Token]:
    """Each line one cell; blank lines are empty cells, unless blank lines separate every cell."""
    texts = [text.strip() for _, text in lines]
    filled = [n for n, text in enumerate(texts) if text]
    separated = sum(1 for n in filled if n + 1 < len(texts) and not texts[n + 1])
    drop_blank = separated >= SEPARATOR_SHARE * max(1, len(filled))
    return [
        Token(text, number, cell=True)
        for (number, _), text in zip(lines, texts, strict=True)
        if text or not drop_blank
    ]


def tokenize(lines: list[tuple[int, str]]) -> list[Token]:
    """Cells of ``|``-separated lines (empty cells kept: they hold column positions), words otherwise.

    A text with one cell per line (a table read cell by cell) gives one cell per line.
    """
    piped = sum(text.count("|") for _, text in lines) >= PIPE_THRESHOLD
    if not piped and cell_per_line(lines):
        return _line_cells(lines)
    tokens: list[Token] = []
    for number, text in lines:
        if piped and "|" in text:
            pieces = text.split("|")
            if text.rstrip().endswith("|"):
                pieces.pop()  # the border after the last cell
            tokens.extend(Token(p.strip(), number, cell=True) for p in pieces)
        else:
            tokens.extend(Token(word, number) for word in text.split())
    return tokens


@cache
def label_re(word: str) -> str:
    """Regex source for a label printed with spaces, Traditional characters or injected pinyin."""
    parts = []
    for char in word:
        variants = char + _SIMPLE_TO_TRAD.get(char, "")
        cls = re.escape(char) if len(variants) == 1 else f"[{variants}]"
        if char in "()（）":
            cls = r"[(（]" if char in "(（" else r"[)）]"
        parts.append(cls + (_PINYIN_OPT if "\u4e00" <= char <= "\u9fff" else ""))
    return r"\s*".join(parts)


def labels_re(words: list[str]) -> str:
    """Alternation of :func:`label_re`, longest first so ``项目实施单位`` wins over ``实施单位``."""
    return "(?:" + "|".join(label_re(w) for w in sorted(words, key=len, reverse=True)) + ")"


_AMOUNT = re.compile(r"^[+]?(\d[\d,]*(?:\.\d+)?)\s*(?:万元|元|万|分)?$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_DASH = re.compile(r"^[-—–_/]+$|^$")


@lru_cache(maxsize=4096)
def amount(text: str | None) -> Decimal | None:
    """``5219.46万元`` → 5219.46, ``10分`` → 10; dashes and blanks → None."""
    if text is None:
        return None
    m = _AMOUNT.match(text.strip())
    if not m:
        return None
    try:
        return Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def is_number(text: str) -> bool:
    """A bare number or a number of points (``12.5``, ``10分``): the shape of 分值 and 得分."""
    return bool(_PLAIN_NUMBER.match(text.removesuffix("分")))


def is_blank(text: str | None) -> bool:
    """Blank cells and the dashes templates print for "not applicable"."""
    return text is None or bool(_DASH.match(text.strip()))


_GLUED_PART = re.compile(r"^(0|[1-9]\d*)(\.\d+)?%?$")
MAX_SPLITS = 20000  # bound the enumeration: a glued run is a handful of numbers


_CENTS_PART = re.compile(r"^(0|[1-9]\d*)(\.\d{1,2})?%?$")


@lru_cache(maxsize=1024)
def _cuts(run: str, parts: int, cents: bool = False) -> tuple[tuple[str, ...], ...]:
    part = _CENTS_PART if cents else _GLUED_PART
    if parts == 1:
        return ((run,),) if part.match(run) else ()
    found: list[tuple[str, ...]] = []
    for cut in range(1, len(run) - parts + 2):
        head = run[:cut]
        if "%" in head[:-1] or (head.startswith("0") and len(head) > 1 and head[1] != "."):
            break  # no longer head can be a number either
        if part.match(head):
            found += [(head, *rest) for rest in _cuts(run[cut:], parts - 1, cents)]
            if len(found) >= MAX_SPLITS:
                break
    return tuple(found)


def splits(run: str, parts: int, cents: bool = False) -> list[list[str]]:
    """Every way to cut a glued number run (``202010100.00%10``) into ``parts`` numbers.

    ``cents``: only numbers with at most two decimals, as amounts and rates are printed; far fewer
    cuts, so a long run of several amounts is enumerated whole within the bound.
    """
    return [list(pieces) for pieces in _cuts(run, parts, cents)]
