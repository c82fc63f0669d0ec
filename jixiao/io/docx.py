"""Word ``.docx`` (python-docx): paragraphs and tables in document order.

python-docx returns the same underlying ``<w:tc>`` for every grid cell a merged cell covers
(across columns and, for vertical merges, down the rows); the first occurrence keeps the text
and the repeats become covered cells (``None``), as :mod:`.grid` expects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Form, Location
from .grid import Cell, column_name
from .gridtext import form_from_rows, forms_from_rows
from .notes import ImportNote


def document_rows(document: Any, place: str) -> list[list[Cell]]:
    """Every paragraph as a one-cell row and every table row as cells, in reading order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    rows: list[list[Cell]] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            rows.append([Cell(Paragraph(child, document).text, Location(file=place, line=len(rows) + 1))])
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            # Table._cells lays out the whole grid once; row.cells recomputes it for every row
            grid, width = table._cells, table._column_count
            seen: set[Any] = set()
            for start in range(0, len(grid), width):
                number = len(rows) + 1
                cells = []
                for column, cell in enumerate(grid[start : start + width]):
                    text = None if cell._tc in seen else cell.text
                    seen.add(cell._tc)
                    cells.append(Cell(text, Location(file=place, row=number, column=column_name(column))))
                rows.append(cells)
    return rows


def load_rows(path: Path) -> list[list[Cell]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx/lxml raise many unrelated types on damaged files
        raise InputError(f"无法读取 Word 文件：{type(exc).__name__}: {exc}", str(path)) from None
    return document_rows(document, str(path))


def read(path: Path) -> tuple[Form, list[ImportNote]]:
    """The (first) form in a Word document's paragraphs and tables."""
    return form_from_rows(load_rows(path), Location(file=str(path)))


def read_all(path: Path) -> list[tuple[Form, list[ImportNote]]]:
    """Every form in the document, in order (for batch imports)."""
    return forms_from_rows(load_rows(path), Location(file=str(path)))
