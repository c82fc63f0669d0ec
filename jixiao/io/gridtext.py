"""Cells whose indicator table has no header row, read by the text pipeline (表头缺失的表格).

The grid reader (:mod:`.grid`) finds an indicator table by its header row and each column by its heading.
A sheet, PDF page or Word table whose header row is missing (left on the page before, drawn as an image,
never typed) gives it no columns, and the rows would be lost. The text reader has what such a table needs:
the template plans (:mod:`.textplans`) that try every known column order and keep the one the form's own
arithmetic agrees with. So the rows go to it as lines, one per row, cells separated by ``|`` (an empty cell
stays an empty cell), and what it reads keeps the places of the grid rows it came from.

The text reading is taken only where it reads indicators the grid reading did not: a sheet the grid reader
reads keeps its cell-exact reading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..errors import InputError, LimitError
from ..model import Form, Location
from .grid import Row, cell_value, read_one
from .notes import ImportNote
from .text import parse_text

#: Separates the cells of a row on its line, as an HTML table copied from a page does.
CELL_SEPARATOR = " | "

Result = tuple[Form, list[ImportNote]]


def _lines(rows: Sequence[Row]) -> tuple[str, list[Location]]:
    """The rows as text (a line per row with a value) and each line's place.

    A row keeps its blank cells, which say which column a value is in, up to the widest row at or below it:
    blank cells beyond that are the sheet's width (a wider head or funds block above), not the table's.
    """
    texts = [[cell_value(cell.text) or "" for cell in row] for row in rows]
    widths, widest = [], 0
    for cells in reversed(texts):
        widest = max(widest, max((n + 1 for n, text in enumerate(cells) if text), default=0))
        widths.append(widest)
    lines, places = [], []
    for row, cells, width in zip(rows, texts, reversed(widths), strict=True):
        cells = cells[:width]
        if not any(cells):
            continue
        lines.append(CELL_SEPARATOR.join(cell.replace("\n", " ") for cell in cells))
        first = next(cell for cell in row if cell_value(cell.text))
        places.append(first.location.model_copy(update={"column": None}))
    return "\n".join(lines), places


def _placed(location: Location | None, places: list[Location]) -> Location | None:
    """A text location (line N) as the place of the grid row on that line, its confidence kept."""
    if location is None or location.line is None or not 1 <= location.line <= len(places):
        return location
    return places[location.line - 1].model_copy(update={"confidence": location.confidence})


def _as_text(rows: Sequence[Row], place: Location) -> Result | None:
    """The rows read by the text pipeline, its places mapped back to the grid; None if it reads no form.

    A reading beyond the form limits (LimitError: more indicator rows than a form has) is raised: it says what
    is wrong with the sheet, where "no header found" would not."""
    text, places = _lines(rows)
    try:
        form, notes = parse_text(text, place.describe(), lines_are_rows=True)
    except LimitError:
        raise
    except InputError:
        return None
    form.provenance = {path: _placed(where, places) or where for path, where in form.provenance.items()}
    return form, [dataclasses.replace(note, location=_placed(note.location, places)) for note in notes]


def _read(rows: Sequence[Row], place: Location, exact: bool) -> tuple[Form, list[ImportNote], int | None]:
    """The first form in ``rows``: the grid's reading, or the text pipeline's where only it finds indicators."""
    try:
        form, notes, stop = read_one(rows, place, exact)
    except InputError:  # neither header: the rows may still be a table under a template plan
        read = _as_text(rows, place)
        if read is None or not read[0].indicators:
            raise
        return *read, None
    if not form.indicators:
        read = _as_text(rows[:stop], place)
        if read is not None and read[0].indicators:
            return *read, stop
    return form, notes, stop


def form_from_rows(rows: Sequence[Row], place: Location, exact: bool = True) -> Result:
    """Interpret the rows of one sheet/page sequence/document as one Form, with import notes.

    ``exact``: the cells are the file's own (xlsx, xls, docx), not extracted from a page (PDF).

    A second form stacked below the first is not read (note I13; :func:`forms_from_rows` reads all).
    Raises InputError (naming ``place``) when no form is found in the rows.
    """
    form, notes, stop = _read(rows, place, exact)
    if stop is not None:
        where = next(cell.location for cell in rows[stop] if cell_value(cell.text))
        notes.append(ImportNote("I13", "此处起还有一张表单，未读取（每次只读一张，批量导入读全部）", where))
    return form, notes


def forms_from_rows(rows: Sequence[Row], place: Location, exact: bool = True) -> list[Result]:
    """Every form stacked in the rows, in order (several forms on one sheet or in one PDF)."""
    found = []
    while True:
        form, notes, stop = _read(rows, place, exact)
        found.append((form, notes))
        if stop is None:
            return found
        rows = rows[stop:]
