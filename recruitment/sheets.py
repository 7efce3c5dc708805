"""Writing spreadsheets (.csv and .xlsx) that leave the system. Every value written from user data
is hostile (a name can be `=HYPERLINK(...)`): `neutralise` is the one place that defuses it, and
both writers below apply it to every cell, so that no exporter can forget.

- CSV (OWASP "CSV injection"): a text cell starting with = + - @ tab or CR gets a leading
  apostrophe, which spreadsheet programs show as text instead of running it. Plain numbers
  (`-1.50`) are left alone: they cannot be a formula and the machine formats need them as they are.
- XLSX: text is written as a string cell (data_type "s") with the quote prefix set, so openpyxl
  never makes a formula and Excel keeps it text when the cell is edited; numbers are numbers and
  dates are dates shown as dd/mm/yyyy, so the reader can sort and sum them.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .vietnamese import clean_spaces, without_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")
DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM", "HH:MM"


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet may safely read it: text that a spreadsheet would run as a
    formula gets a leading apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    # Python's writer does not quote a lone CR, which readers take for the end of the row.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [headers, *rows]:
        cells = [neutralise(v) for v in row]
        (quoted if any(isinstance(v, str) and "\r" in v for v in cells) else writer).writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _number_format(value: Any) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, time):
        return TIME_FORMAT
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        return "0." + "0" * -int(value.as_tuple().exponent)
    return None


def write_cell(sheet, row: int, column: int, value: Any):
    """One typed cell: text stays text whatever it starts with; numbers, dates and times keep their type."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | date | time):
        cell.value = without_controls(str(value)) if not isinstance(value, bool) else value  # XML cannot hold them
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never "f": openpyxl would make a formula of a leading "="
            cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
        return cell
    cell.value = value
    fmt = _number_format(value)
    if fmt:
        cell.number_format = fmt
    return cell


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value if value is not None else ""))


# What Excel refuses in a sheet title (openpyxl's own pattern, on which it raises), its length limit,
# and a name it keeps for itself. Titles come from user data (a position code "CV/TC-01", a round code).
MAX_TITLE = 31
_RESERVED_TITLES = {"history"}


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Excel counts UTF-16 units: an emoji takes two


def _within(text: str, limit: int) -> str:
    while _excel_length(text) > limit:
        text = text[:-1]
    return text


def sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts for a sheet named `title`, distinct from those in `taken` (casefolded,
    as Excel compares them: it refuses "A" beside "a"), which the caller adds it to. Only the
    sheet's tab shows it: the value itself stays as it is in the sheet's cells. A refused character
    becomes "_", a title is cut to 31 characters, a title taken is numbered as Excel numbers a copy,
    "CV_01 (2)", the number kept within the 31."""
    # One line on a tab: a tab or line break is a space. Excel also refuses a title that starts or
    # ends with an apostrophe, even once cut short.
    from openpyxl.workbook.child import INVALID_TITLE_REGEX

    base = _within(INVALID_TITLE_REGEX.sub("_", clean_spaces(title)).strip(" '"), MAX_TITLE).rstrip(" '") or "Sheet"
    if base.casefold() in _RESERVED_TITLES:
        base += "_"
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _within(base, MAX_TITLE - len(suffix)).rstrip(" '") + suffix
    return candidate


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Workbook with one sheet per (title, headers, rows); bold header, frozen first row. The titles
    are made safe here, the one place that builds sheets, so that no exporter can forget."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for title, headers, rows in sheets:
        safe = sheet_title(title, taken)
        taken.add(safe.casefold())
        sheet = book.create_sheet(title=safe)
        for column, header in enumerate(headers, start=1):
            write_cell(sheet, 1, column, header).font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                write_cell(sheet, number, column, value)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            width = max([_width(header)] + [_width(r[index - 1]) for r in rows[:200] if index - 1 < len(r)]) + 2
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
