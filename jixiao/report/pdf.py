"""The official layout as PDF (reportlab), with embedded fonts shipped in the package.

Chinese is set in Droid Sans Fallback and Latin letters, digits and symbols (≥ ≤ — “ ”) in
DejaVu Sans Condensed (Droid has no Latin glyphs); both are embedded as subsets, so the file
renders the same on a machine without any Chinese font. The indicator table repeats its header
row on every page and long cells wrap (and split across pages when taller than one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

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
MAX_CELL_HEIGHT = (A4[1] - 2 * MARGIN) * 0.45  # taller texts move to a note after the table
OVERFLOW_NOTE = "（内容较长，见表后附注{n}）"
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
    return frozenset(cjk.face.charToGlyph), frozenset(latin.face.charToGlyph)


def font_for(char: str) -> str:
    """The font that has a glyph for ``char``: Latin first, Chinese otherwise."""
    _cjk, latin = register_fonts()
    return LATIN_FONT if ord(char) in latin else CJK_FONT


def markup(text: str) -> str:
    """Paragraph markup for plain ``text``: escaped, line breaks kept, each run in a font that has it."""
    lines = []
    for line in text.split("\n"):
        runs = [(font, "".join(chars)) for font, chars in groupby(line, key=font_for)]
        lines.append("".join(f'<font name="{font}">{escape(run)}</font>' for font, run in runs))
    return "<br/>".join(lines)


def _paragraph_style(layout: Layout, style: Style, is_number: bool) -> ParagraphStyle:
    size = {"title": float(layout.title_size), "subtitle": BODY_SIZE + 2, "footnote": BODY_SIZE - 0.5}
    font_size = size.get(style, BODY_SIZE)
    left = style in ("text", "footnote", "line")
    align: Literal[0, 1, 2] = TA_RIGHT if is_number else TA_LEFT if left else TA_CENTER
    return ParagraphStyle(
        f"jixiao-{style}-{align}",
        fontName=CJK_FONT,
        fontSize=font_size,
        leading=font_size * LEADING,
        alignment=align,
        wordWrap="CJK",
    )


def _flowable(layout: Layout, cell: Cell) -> Paragraph:
    return Paragraph(
        markup(as_text(cell.value)), _paragraph_style(layout, cell.style, isinstance(cell.value, Decimal))
    )


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


def too_tall(text: str, width: float) -> bool:
    """Whether ``text`` wrapped in a cell ``width`` points wide would exceed :data:`MAX_CELL_HEIGHT`."""
    per_line = max(width - 4, 1.0)
    lines = sum(max(1, math.ceil(text_width(part) * BODY_SIZE / 2 / per_line)) for part in text.split("\n"))
    return bool(lines * BODY_SIZE * LEADING > MAX_CELL_HEIGHT)


def _table(
    sheet: Sheet, first: int, last: int, widths: list[float], repeat: int, overflow: list[str]
) -> Table:
    """Rows ``first..last-1`` as one reportlab Table; texts too tall for a cell go to ``overflow``."""
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
    for cell in cells:
        top, left = cell.row - first, cell.col
        corner, end = (left, top), (left + cell.cols - 1, top + cell.rows - 1)
        if cell.boxed and too_tall(as_text(cell.value), sum(widths[left : left + cell.cols])):
            overflow.append(as_text(cell.value))
            cell = replace(cell, value=OVERFLOW_NOTE.format(n=len(overflow)))
        data[top][left] = _flowable(sheet.layout, cell)
        if cell.rows > 1 and repeat:
            commands += _open_box(corner, end)
        elif cell.rows > 1 or cell.cols > 1:
            commands.append(("SPAN", corner, end))
        if cell.boxed:
            commands.append(("BOX", corner, end, 0.5, colors.black))
        if cell.row in flagged_rows and cell.rows == 1 and cell.col >= 3:
            commands.append(("BACKGROUND", corner, end, FLAG_COLOR))
        elif cell.col >= review_col and cell.style != "header":
            commands.append(("BACKGROUND", corner, end, REVIEW_COLOR))
    return Table(data, colWidths=widths, repeatRows=repeat, style=TableStyle(commands))


def story(sheet: Sheet) -> list[Flowable]:
    """The flowables of a laid-out sheet: the top part, the indicator table with its header repeated,
    then the texts too long for their cell as numbered notes (a table row cannot span pages)."""
    register_fonts()
    usable = A4[0] - 2 * MARGIN
    total = float(sum(sheet.widths, Decimal(0)))
    widths = [float(w) / total * usable for w in sheet.widths]
    split = sheet.indicator_header
    overflow: list[str] = []
    flowables: list[Flowable] = [
        _table(sheet, 0, split, widths, 0, overflow),
        _table(sheet, split, sheet.rows, widths, 1, overflow),
    ]
    style = _paragraph_style(sheet.layout, "text", is_number=False)
    review_note = next((c.note for c in sheet.cells if c.style == "header" and c.note), None)
    notes = [
        *([review_note] if review_note else []),
        *(f"附注{n}：{t}" for n, t in enumerate(overflow, start=1)),
    ]
    flowables += [Paragraph(markup(note), style) for note in notes]
    return flowables


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    style = ParagraphStyle("jixiao-page", fontName=CJK_FONT, fontSize=8, alignment=TA_CENTER)
    label = Paragraph(markup(f"第 {doc.page} 页"), style)
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
    sheet = build_sheet(form, chosen, card)
    path = Path(path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{chosen.title} {form.unit or ''}".strip(),
        author="jixiao",
        initialFontName=CJK_FONT,  # otherwise every page references a non-embedded Helvetica
    )
    doc.build(story(sheet), onFirstPage=_page_number, onLaterPages=_page_number)
    return path
