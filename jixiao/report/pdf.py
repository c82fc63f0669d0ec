"""The official layout as PDF (reportlab), with embedded fonts shipped in the package.

Chinese is set in Droid Sans Fallback and Latin letters, digits and symbols (≥ ≤ — “ ”) in
DejaVu Sans Condensed (Droid has no Latin glyphs); both are embedded as subsets, so the file
renders the same on a machine without any Chinese font. The indicator table repeats its header
row on every page, and a page that starts inside a level-1/level-2 block prints its labels again;
long cells wrap (and move to a note when taller than a page), figures shrink rather than wrap, and
no line starts with full-width punctuation. The file reads back with ``jixiao parse`` as it was written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit_module
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus.paraparser import ParaFrag

from ..model import Form
from .grid import Cell, Sheet, Style, as_text, build_sheet, text_width
from .layout import Layout, layout_for

if TYPE_CHECKING:
    from ..audit import Finding
    from ..scoring import Scorecard

CJK_FONT = "JixiaoCJK"  # Droid Sans Fallback (Apache-2.0)
LATIN_FONT = "JixiaoLatin"  # DejaVu Sans Condensed (Bitstream Vera licence)
MARGIN = 12 * mm
BODY_SIZE = 7.5  # points: ten columns on A4 portrait
LEADING = 1.3  # line height as a multiple of the font size
FRAME_HEIGHT = A4[1] - 2 * MARGIN - 12  # points: the page less its margins and the frame's padding
MAX_CELL_HEIGHT = (A4[1] - 2 * MARGIN) * 0.45  # taller texts move to a note after the table
OVERFLOW_NOTE = "（内容较长，见表后附注{n}）"
MIN_FIT_SIZE = 5.0  # points: a figure shrinks to fit its cell down to this size, then wraps
PADDING_ROOM = 4.5  # points of a cell's width that text cannot use: left and right padding, a little air
#: Full-width punctuation that must not start a line (reportlab's CJK wrap knows only the ASCII and
#: Japanese ones; a line of a Chinese cell starting with "，" or "；" reads as a typo).
CANNOT_START_LINE = "，；：。、！？）》」』”’％"
KINSOKU_GLOBAL = "ALL_CANNOT_START"  # reportlab's list of characters that cannot start a line
HANGING_ROOM = BODY_SIZE * 0.6  # points: a hanging "，" stays inside its cell (and is read back with it)
FLAG_COLOR = colors.HexColor("#FFC7CE")
REVIEW_COLOR = colors.HexColor("#EAF1FB")


def font_path(filename: str) -> Path:
    """A font file shipped in ``jixiao/report/fonts``."""
    return Path(str(resources.files("jixiao.report") / "fonts" / filename))


@cache
def register_fonts() -> tuple[frozenset[int], frozenset[int]]:
    """Register both fonts once; return the code points each one covers."""
    cjk = TTFont(CJK_FONT, str(font_path("DroidSansFallbackFull.ttf")))
    latin = TTFont(LATIN_FONT, str(font_path("DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(cjk)
    pdfmetrics.registerFont(latin)
    for module in (_textsplit_module, _paragraph_module):  # one-run and multi-run paragraphs wrap apart
        known: str = getattr(module, KINSOKU_GLOBAL)  # a module global, read at wrap time
        setattr(module, KINSOKU_GLOBAL, known + "".join(c for c in CANNOT_START_LINE if c not in known))
    return frozenset(cjk.face.charToGlyph), frozenset(latin.face.charToGlyph)


def font_for(char: str) -> str:
    """The font that has a glyph for ``char``: Latin first, Chinese otherwise."""
    _cjk, latin = register_fonts()
    return LATIN_FONT if ord(char) in latin else CJK_FONT


class _Cell(Paragraph):
    """A paragraph that breaks its lines once per width.

    reportlab's Table measures every remaining row again after each page break (the rest of a split table
    is a new table), so the cells of a 300-row table over 50 pages were wrapped 25 times each on average:
    most of the time of a PDF export at the form limits. A cell's lines depend only on its width.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        known = vars(self).get("_wrapped")
        if known is not None and known[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = known
        else:
            super().wrap(availWidth, availHeight)
            self._wrapped = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return self.width, self.height

    def again(self) -> _Cell:
        """A fresh copy, to be laid out anew (a label carried onto the next page)."""
        return _Cell(self.text, self.style, frags=[f.clone() for f in self.frags])


#: What reportlab's paragraph parser makes of a run of whitespace: one space.
WHITESPACE = re.compile(r"\s+")


def _prototypes(style: ParagraphStyle) -> tuple[ParaFrag, ParaFrag]:
    """A text fragment and a line-break fragment of ``style`` as reportlab's parser makes them (to clone)."""
    return _parsed_prototypes(style.fontName, style.fontSize, style.textColor)


@lru_cache(maxsize=64)  # a handful of sizes: parsing even this much markup per cell cost a tenth of an export
def _parsed_prototypes(font: str, size: float, color: Any) -> tuple[ParaFrag, ParaFrag]:
    """The fragments of a tiny markup parsed in a style of that font, size and colour (all a fragment takes
    from the style): every attribute the parser sets is there."""
    style = ParagraphStyle("jixiao-prototype", fontName=font, fontSize=size, textColor=color)
    text, line_break = Paragraph(f'<font name="{CJK_FONT}">x</font><br/>', style).frags
    return text, line_break


def fragments(text: str, style: ParagraphStyle) -> list[ParaFrag]:
    """The fragments reportlab's parser would make of ``text`` escaped as markup with a ``<font>`` tag per
    run of one script and ``<br/>`` per line break — built directly: parsing that markup was a third of the
    time of a PDF export at the form limits. Whitespace runs become one space, as the parser makes them.
    """
    run, line_break = _prototypes(style)
    made: list[ParaFrag] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            made.append(line_break.clone())
        for font, chars in groupby(line, key=font_for):
            made.append(run.clone(fontName=font, text=WHITESPACE.sub(" ", "".join(chars))))
    return made


def paragraph(text: str, style: ParagraphStyle) -> _Cell:
    """A paragraph of plain ``text``: line breaks kept, each run in a font that has it."""
    return _Cell(text, style, frags=fragments(text, style))


def _paragraph_style(
    layout: Layout, style: Style, is_number: bool, font_size: float | None = None, hang: float = 0.0
) -> ParagraphStyle:
    size = {"title": float(layout.title_size), "subtitle": BODY_SIZE + 2, "footnote": BODY_SIZE - 0.5}
    font_size = font_size or size.get(style, BODY_SIZE)
    left = style in ("text", "footnote", "line")
    align: Literal[0, 1, 2] = TA_RIGHT if is_number else TA_LEFT if left else TA_CENTER
    return ParagraphStyle(
        f"jixiao-{style}-{align}-{font_size}-{hang}",
        fontName=CJK_FONT,
        fontSize=font_size,
        leading=font_size * LEADING,
        alignment=align,
        wordWrap="CJK",
        rightIndent=hang,
    )


def line_width(text: str, size: float) -> float:
    """Width in points of one line of ``text`` set at ``size``, each run in the font that has it."""
    return sum(pdfmetrics.stringWidth("".join(run), font, size) for font, run in groupby(text, key=font_for))


#: A label with a bracketed suffix, "效益指标(30分)": the suffix goes to its own line, not "效益指标(" / "30分)".
BRACKETED = re.compile(r"^(?P<name>[^()（）]+)(?P<suffix>[(（][^()（）]*[)）])$")


def fit(text: str, width: float) -> tuple[str, float | None]:
    """The text of a short centred, header or numeric cell laid out so that nothing misreads when it wraps.

    A figure (``41.33%``, ``3967.29``) is never broken over two lines: it shrinks to fit, down to
    :data:`MIN_FIT_SIZE`. A label with a bracketed suffix breaks before the bracket, and a label line
    a little too wide shrinks slightly rather than leave one character on a line of its own. Returns
    the text (with a line break where one goes) and the font size, or None for the body size.
    """
    room = width - PADDING_ROOM
    if not text or line_width(text, BODY_SIZE) <= room or any(ch.isspace() for ch in text):
        return text, None
    figure = all(font_for(ch) == LATIN_FONT for ch in text)
    bracketed = None if figure else BRACKETED.match(text)
    if bracketed:
        text = f"{bracketed['name']}\n{bracketed['suffix']}"
    elif not figure:
        return text, None
    smallest = MIN_FIT_SIZE if figure else BODY_SIZE * 0.8
    size = min(BODY_SIZE, *(BODY_SIZE * room / line_width(line, BODY_SIZE) for line in text.split("\n")))
    return text, (None if size >= BODY_SIZE else size if size >= smallest else None)


def _flowable(layout: Layout, cell: Cell, width: float) -> _Cell:
    text, size = as_text(cell.value), None
    if cell.style in ("number", "center", "header"):
        text, size = fit(text, width)
    # A wrapped line may end in punctuation that cannot start the next one; reportlab hangs it past
    # the line's end, so keep room for it inside the cell (or it is drawn over the border, read as lost).
    wraps = size is None and any(line_width(line, BODY_SIZE) > width - PADDING_ROOM for line in text.split("\n"))
    # A column a few characters wide (项目资金（万元）) cannot spare the room: it would hold one per line.
    roomy = width - PADDING_ROOM - HANGING_ROOM >= 4 * BODY_SIZE
    hang = HANGING_ROOM if wraps and roomy and any(ch in CANNOT_START_LINE for ch in text) else 0.0
    style = _paragraph_style(layout, cell.style, isinstance(cell.value, Decimal), size, hang)
    return paragraph(text, style)


def _unstack(cell: Cell) -> list[Cell]:
    """A block label spanning the indicator table becomes a header cell plus an empty merged column.

    reportlab cannot repeat a cell that spans the repeated header row and the rows below it
    across a page break, so the label sits in the header row (repeated on every page).
    """
    if cell.style != "vertical" or cell.rows == 1:
        return [cell]
    return [
        Cell(cell.row, cell.col, cell.value, "header"),
        Cell(cell.row + 1, cell.col, None, "text", rows=cell.rows - 1),
    ]


def _open_box(corner: tuple[int, int], end: tuple[int, int]) -> list[tuple[Any, ...]]:
    """A tall merged cell drawn as a box without SPAN, with its label at the top.

    reportlab never breaks a page inside a SPAN, so a level-1 block spanning twenty rows would
    push the whole indicator table to the next page; an unspanned box splits like any row.
    """
    return [("VALIGN", corner, end, "TOP")]


class _CarryingTable(Table):
    """A table whose tall merged cells print their label again at the top of every page they run onto.

    The level-1/level-2 cells of the indicator table are open boxes (see :func:`_open_box`) with the
    label in their first row; without this, the rows continued on page 2 have blank 一级/二级 cells,
    which a reader (and a PDF importer) takes for the last label of page 1. Each page's part of a box
    is closed at the page foot, so the page reads as whole cells on its own.
    """

    def __init__(self, *args: Any, carry: dict[int, dict[int, _Cell]] | None = None,
                 origin: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carry = carry or {}  # original row → column → label to print when a page starts there
        self.origin = origin if origin is not None else list(range(len(data_of(self))))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        head, rest = parts
        assert isinstance(head, _CarryingTable) and isinstance(rest, _CarryingTable)
        repeat = int(self.repeatRows)
        cut = len(data_of(head))
        head.carry, rest.carry = self.carry, self.carry
        # Close every box at the foot of the page: an open box reads as a cell that runs on (pdfplumber).
        head.setStyle([("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black)])
        head.origin, rest.origin = self.origin[:cut], self.origin[:repeat] + self.origin[cut:]
        labels = self.carry.get(rest.origin[repeat], {}) if len(rest.origin) > repeat else {}
        for column, label in labels.items():
            data_of(rest)[repeat][column] = label.again()
        if labels:
            heights: list[float | None] = vars(rest)["_argH"]
            heights[repeat] = None  # the label may need more height than the row had
        return parts


def data_of(table: Table) -> list[list[Any]]:
    """A reportlab table's cell contents, row by row (reportlab keeps them in ``_cellvalues``)."""
    cells: list[list[Any]] = vars(table)["_cellvalues"]
    return cells


def too_tall(text: str, width: float) -> bool:
    """Whether ``text`` wrapped in a cell ``width`` points wide would exceed :data:`MAX_CELL_HEIGHT`."""
    per_line = max(width - 4, 1.0)
    lines = sum(max(1, math.ceil(text_width(part) * BODY_SIZE / 2 / per_line)) for part in text.split("\n"))
    return bool(lines * BODY_SIZE * LEADING > MAX_CELL_HEIGHT)


def _table(
    sheet: Sheet, first: int, last: int, widths: list[float], repeat: int, overflow: list[str],
    open_boxes: bool = False,
) -> Table:
    """Rows ``first..last-1`` as one reportlab Table; texts too tall for a cell go to ``overflow``.

    Tall merged cells are open boxes (:func:`_open_box`) in a table with a repeated header, or when
    ``open_boxes`` says so; otherwise spans.
    """
    cells = [part for c in sheet.cells if first <= c.row < last for part in _unstack(c)]
    data: list[list[Paragraph | str]] = [["" for _ in widths] for _ in range(first, last)]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    flagged_rows = {c.row for c in cells if c.flagged}
    review_col = len(sheet.layout.widths)
    carry: dict[int, dict[int, _Cell]] = {}
    # single cells' boxes and backgrounds, drawn as few rectangles: a command per cell made each page break
    # of a long table re-sort thousands of commands (reportlab splits every command at every page break)
    single: dict[tuple[Any, ...], set[tuple[int, int]]] = {}
    for cell in cells:
        top, left = cell.row - first, cell.col
        corner, end = (left, top), (left + cell.cols - 1, top + cell.rows - 1)
        width = sum(widths[left : left + cell.cols])
        if cell.boxed and too_tall(as_text(cell.value), width):
            overflow.append(as_text(cell.value))
            cell = replace(cell, value=OVERFLOW_NOTE.format(n=len(overflow)))
        flowable = data[top][left] = _flowable(sheet.layout, cell, width)
        if cell.rows > 1 and (repeat or open_boxes):
            commands += _open_box(corner, end)
            if cell.value is not None:
                for row in range(top + 1, top + cell.rows):
                    carry.setdefault(row, {})[left] = flowable
        elif cell.rows > 1 or cell.cols > 1:
            commands.append(("SPAN", corner, end))
        looks: list[tuple[Any, ...]] = []
        if cell.boxed:
            looks.append(("GRID", 0.5, colors.black))
        if cell.row in flagged_rows and cell.rows == 1 and cell.col >= 3:
            looks.append(("BACKGROUND", FLAG_COLOR))
        elif cell.col >= review_col and cell.style != "header":
            looks.append(("BACKGROUND", REVIEW_COLOR))
        for look in looks:
            if corner == end:
                single.setdefault(look, set()).add(corner)
            else:  # a merged cell: a grid would cross it, a box is its outline
                name = "BOX" if look[0] == "GRID" else look[0]
                commands.append((name, corner, end, *look[1:]))
    for (name, *values), places in single.items():
        commands += [(name, corner, end, *values) for corner, end in rectangles(places)]
    return _CarryingTable(data, colWidths=widths, repeatRows=repeat, style=TableStyle(commands), carry=carry)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted integers as runs of consecutive ones, ``(first, last)``."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def rectangles(places: set[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``(column, row)`` places covered by few rectangles ``(corner, end)``: the runs along each row, each
    joined with the rows below that have the same run."""
    columns: dict[int, list[int]] = {}
    for column, row in sorted(places):
        columns.setdefault(row, []).append(column)
    rows_of: dict[tuple[int, int], list[int]] = {}  # a run of columns → the rows that have it
    for row in sorted(columns):
        for run in _runs(columns[row]):
            rows_of.setdefault(run, []).append(row)
    boxes = [((c0, r0), (c1, r1)) for (c0, c1), rows in rows_of.items() for r0, r1 in _runs(rows)]
    return sorted(boxes, key=lambda box: (box[0][1], box[0][0]))


def story(sheet: Sheet) -> list[Flowable]:
    """The flowables of a laid-out sheet: the top part, the indicator table with its header repeated,
    then the texts too long for their cell as numbered notes (a table row cannot span pages)."""
    register_fonts()
    usable = A4[0] - 2 * MARGIN
    total = float(sum(sheet.widths, Decimal(0)))
    widths = [float(w) / total * usable for w in sheet.widths]
    split = sheet.indicator_header
    overflow: list[str] = []
    top = _table(sheet, 0, split, widths, 0, overflow)
    if top.wrap(usable, FRAME_HEIGHT)[1] > FRAME_HEIGHT:  # fifty long fund rows: a span cannot break over pages
        del overflow[:]
        top = _table(sheet, 0, split, widths, 0, overflow, open_boxes=True)
    flowables: list[Flowable] = [top, _table(sheet, split, sheet.rows, widths, 1, overflow)]
    style = _paragraph_style(sheet.layout, "text", is_number=False)
    review_note = next((c.note for c in sheet.cells if c.style == "header" and c.note), None)
    notes = [
        *([review_note] if review_note else []),
        *(f"附注{n}：{t}" for n, t in enumerate(overflow, start=1)),
    ]
    flowables += [paragraph(note, style) for note in notes]
    return flowables


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    style = ParagraphStyle("jixiao-page", fontName=CJK_FONT, fontSize=8, alignment=TA_CENTER)
    label = paragraph(f"第 {doc.page} 页", style)
    _width, height = label.wrap(A4[0], MARGIN)
    label.drawOn(canvas, 0, MARGIN / 2 - height / 2)


def write(
    form: Form,
    card: Scorecard | None,
    findings: Sequence[Finding],
    path: str | Path,
    layout: str | Layout | None = None,
) -> Path:
    """Write ``form`` in the official layout as PDF at ``path``; returns the path.

    ``findings`` are not part of the official form; they are in the HTML/Markdown report.
    """
    chosen = layout if isinstance(layout, Layout) else layout_for(form, layout)
    return write_sheet(build_sheet(form, chosen, card), path, f"{chosen.title} {form.unit or ''}".strip())


def write_sheet(sheet: Sheet, path: str | Path, title: str) -> Path:
    """Write a laid-out sheet as PDF at ``path`` (A4, page numbers); returns the path."""
    path = Path(path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="jixiao",
        initialFontName=CJK_FONT,  # otherwise every page references a non-embedded Helvetica
    )
    doc.build(story(sheet), onFirstPage=_page_number, onLaterPages=_page_number)
    return path
