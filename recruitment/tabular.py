"""Reading and writing the spreadsheets HR lives in (.xlsx and UTF-8 .csv), as formats.md says:
a header row matched case-insensitively in English or Vietnamese, unknown columns refused, every
row validated before anything is written, errors naming the spreadsheet row, the column and the cause.

Importers in every package describe their columns with Column and call read_table; they write
nothing unless read_table returned no error.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from .sheets import csv_bytes, xlsx_bytes  # noqa: F401  (the writers every exporter uses)
from .vietnamese import clean_spaces, nfc


class CellError(ValueError):
    """Raised by a parser: its message says the cause in the user's language."""


@dataclass(frozen=True)
class Column:
    name: str
    vi: str
    required: bool = False
    parse: Callable[[Any], Any] = lambda v: v
    example: str = ""
    help: str = ""


@dataclass(frozen=True)
class RowError:
    row: int | None  # as the spreadsheet numbers it (header = 1); None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)d", row=self.row))
        if self.column:
            where.append(_("column %(column)s", column=self.column))
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


@dataclass
class Table:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, values)
    errors: list[RowError] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # the columns the file has
    order: dict[str, int] = field(default_factory=dict)  # a column's place in the file, by its name and its header


def sorted_errors(errors: list[RowError], order: dict[str, int] | None = None) -> list[RowError]:
    """File-wide errors first, then by row, and within a row by the column's place in the file (`order`,
    when the importer knows it; else the order the checks found them): the order a reader fixes them in."""
    order = order or {}
    return sorted(errors, key=lambda e: (e.row is not None, e.row or 0, e.column is not None,
                                         order.get(e.column or "", len(order))))


class ImportRejected(Exception):
    """Nothing was written: every error found is in .errors, sorted by row then column, whichever
    pass of the importer found it (the page and the command show them in this order)."""

    def __init__(self, errors: list[RowError], order: dict[str, int] | None = None):
        self.errors = sorted_errors(errors, order)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


# --- cell parsers -------------------------------------------------------------------------

def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_spaces(nfc(str(value)))


def required_text(value: Any) -> str:
    result = text(value)
    if not result:
        raise CellError(_("is empty"))
    return result


def parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("'%(value)s' is not a date (DD/MM/YYYY or YYYY-MM-DD)", value=raw))


def parse_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    raw = text(value).replace(",", ".")
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number", value=text(value))) from None
    if not result.is_finite():
        raise CellError(_("'%(value)s' is not a number", value=text(value)))
    return result


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("'%(value)s' is not a whole number", value=text(value)))
    return int(number)


def parse_bool(value: Any) -> bool:
    raw = text(value).lower()
    if raw in ("", "no", "khong", "không", "0", "false", "n"):
        return False
    if raw in ("yes", "co", "có", "1", "true", "y", "x"):
        return True
    raise CellError(_("'%(value)s' is not yes or no", value=text(value)))


def one_of(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = text(value).lower()
        if raw not in choices:
            raise CellError(_("'%(value)s' is not one of: %(choices)s", value=text(value), choices=", ".join(choices)))
        return raw
    return parse


def optional(parser: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any):
        return None if text(value) == "" else parser(value)
    return parse


def split_list(value: Any) -> list[str]:
    return [part.strip() for part in text(value).split(";") if part.strip()]


# --- reading ------------------------------------------------------------------------------

def _header_map(headers: list[Any], columns: list[Column]) -> tuple[dict[int, Column], list[RowError]]:
    lookup = {}
    for col in columns:
        lookup[col.name.lower()] = col
        lookup[col.vi.lower()] = col
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        name = text(header).lower()
        if not name:
            continue
        col = lookup.get(name)
        if col is None:
            errors.append(RowError(1, text(header), _("unknown column; the columns are: %(names)s",
                                                      names=", ".join(c.name for c in columns))))
            continue
        if col.name in seen:
            errors.append(RowError(1, text(header), _("the column appears twice")))
            continue
        seen.add(col.name)
        mapping[index] = col
    for col in columns:
        if col.required and col.name not in seen:
            errors.append(RowError(1, col.name, _("this column is missing")))
    return mapping, errors


def _raw_rows(filename: str, data: bytes) -> Iterable[list[Any]]:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportRejected([RowError(None, None, _("this is not a readable .xlsx file (%(cause)s)",
                                                         cause=type(exc).__name__))]) from None
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    if lower.endswith(".csv"):
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(None, None, _("this .csv file is not UTF-8 text; save it as 'CSV UTF-8'"))]) from None
        first = content.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    raise ImportRejected([RowError(None, None, _("only .xlsx and .csv files are accepted"))])


def read_table(filename: str, data: bytes, columns: list[Column]) -> Table:
    """Parses every row; the caller checks .errors before writing anything."""
    table = Table()
    raw = _raw_rows(filename, data)
    rows = iter(enumerate(raw, start=1))
    header = None
    for number, values in rows:
        if any(text(v) for v in values):
            header = (number, values)
            break
    if header is None:
        table.errors.append(RowError(None, None, _("the file is empty")))
        return table
    mapping, table.errors = _header_map(header[1], columns)
    table.present = {c.name for c in mapping.values()}
    for index, col in sorted(mapping.items(), reverse=True):  # the header as written wins over the name
        table.order[col.name] = index
    table.order.update({text(h): i for i, h in enumerate(header[1]) if text(h)})
    if table.errors:
        return table
    for number, values in rows:
        if not any(text(v) for v in values):
            continue
        record: dict[str, Any] = {}
        for index, col in mapping.items():
            value = values[index] if index < len(values) else None
            try:
                record[col.name] = col.parse(value)
            except CellError as exc:  # named as the file wrote it (ngay_sinh, not date_of_birth)
                table.errors.append(RowError(number, text(header[1][index]) or col.name, str(exc)))
        for col in columns:
            if col.name not in table.present:
                try:
                    record[col.name] = col.parse(None)
                except CellError:
                    record[col.name] = None
        table.rows.append((number, record))
    if not table.rows and not table.errors:
        table.errors.append(RowError(None, None, _("the file has a header but no rows")))
    return table


# --- writing ------------------------------------------------------------------------------

# xlsx_bytes and csv_bytes live in .sheets, which neutralises every cell (no live formulas).


def template(columns: list[Column], fmt: str = "xlsx") -> bytes:
    """The downloadable template: headers and one example row."""
    headers = [c.name for c in columns]
    example = [c.example for c in columns]
    return xlsx_bytes([("data", headers, [example])]) if fmt == "xlsx" else csv_bytes(headers, [example])
