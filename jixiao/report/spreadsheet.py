"""Spreadsheet-formula injection (CSV/Excel): what a spreadsheet would run, and how to keep it text.

One definition for every writer — the official-layout workbook, the batch tables and the web exports.
"""

from __future__ import annotations

from typing import Any

#: Text starting with these is run as a formula (or DDE) by Excel/LibreOffice when opened, edited
#: or exported to CSV (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The same set as a regular-expression class, for column-wise (Arrow) rewriting.
FORMULA_TRIGGER_PATTERN = "^([=+\\-@\\t\\r])"
#: Characters an Excel cell holds; Excel calls a workbook with a longer text corrupt.
EXCEL_MAX_TEXT = 32767


def defused(value: Any) -> Any:
    """Text a spreadsheet would run gets a leading apostrophe; everything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
