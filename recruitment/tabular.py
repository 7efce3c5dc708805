"""Reading and writing the spreadsheets HR lives in (.xlsx and UTF-8 .csv), as formats.md says:
a header row matched case-insensitively in English or Vietnamese, unknown columns refused, every
row validated before anything is written, errors naming the spreadsheet row, the column and the cause.

Importers in every package describe their columns with Column and call read_table; they write
nothing unless read_table returned no error.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from . import sheet_rows
from .sheets import csv_bytes, xlsx_bytes  # noqa: F401  (the writers every exporter uses)
from .vietnamese import clean_spaces, nfc
from .xlsx_cells import FORMULA_ERRORS, UNCALCULATED, FormulaError, Percent

# The limits formats.md states for every .xlsx/.csv import; beyond one, the file is refused whole.
MAX_FILE_BYTES = 32 * 1024 * 1024  # as MAX_CONTENT_LENGTH, so the CLI refuses what the web would
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # an .xlsx's parts once unpacked
MAX_ROWS = 200_000  # under the header
MAX_COLUMNS = 50
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_NUMBER = Decimal(10) ** 9  # no count, score or quota in these files comes near it
MAX_DECIMALS = 4


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


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
    # The most characters a parsed text may have: the length of the database column it is written to
    # (length_of). PostgreSQL refuses a longer value with an error that stops the whole import, SQLite
    # keeps it whole: checked here, it is its row's error on every engine.
    max_length: int | None = None


def length_of(column: Any) -> int:
    """n of a model's String(n) column (length_of(Position.code) == 40), so that an import's limit is
    read from the model rather than written twice."""
    return column.type.length


def over_length(max_length: int, length: int) -> str:
    return _("is %(length)d characters long: at most %(max)d characters", length=length, max=max_length)


@dataclass(frozen=True)
class RowError:
    row: int | None  # as the spreadsheet numbers it; None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)d", row=self.row))
        if self.column:
            where.append(_("column %(column)s", column=self.column))
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


class Row(Mapping):
    """One row's parsed values by column name: a read-only mapping over a tuple, the names' index
    shared by every row of the file (a dict per row would double an import's memory)."""
    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple):
        self._index, self._values = index, values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(self)!r})"


@dataclass
class Table:
    rows: list[tuple[int, Row]] = field(default_factory=list)  # (row number, values)
    errors: list[RowError] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # the columns the file has
    order: dict[str, int] = field(default_factory=dict)  # a column's place in the file, by its name and its header
    written: dict[str, str] = field(default_factory=dict)  # a column's header as the file wrote it, by its name

    def header_of(self, name: str) -> str:
        """How the file named a column (ngay_sinh, not date_of_birth), for an error found after reading."""
        return self.written.get(name, name)

    def rejected(self, errors: list[RowError]) -> ImportRejected:
        """The file refused for `errors`, each naming its column as the file wrote it, in the file's order
        (the checks made after reading name a column by its name: position_code where the file had ma_vi_tri)."""
        return ImportRejected([replace(e, column=self.header_of(e.column)) if e.column else e for e in errors],
                              self.order)


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
    if isinstance(value, float):
        if isinstance(value, Percent):  # 10% typed in a cell, kept as 0.1
            return value.shown()
        if value.is_integer():
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
    found = _DMY.fullmatch(raw)
    if found:  # the common case, without strptime's cost (100,000-row files)
        try:
            return date(int(found[3]), int(found[2]), int(found[1]))
        except ValueError:
            raise CellError(_("'%(value)s' is not a date (DD/MM/YYYY or YYYY-MM-DD)", value=raw)) from None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("'%(value)s' is not a date (DD/MM/YYYY or YYYY-MM-DD)", value=raw))


def parse_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a number", value=text(value)))
    if isinstance(value, (int, float)):
        raw = str(value)
    else:
        raw = text(value).replace(",", ".")
        if len(raw) > 40:
            raise CellError(_("'%(value)s' is not a number", value=raw[:40] + "…"))
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number", value=text(value))) from None
    if not result.is_finite():
        raise CellError(_("'%(value)s' is not a number", value=text(value)))
    return bounded(result, text(value))


def bounded(number: Decimal, shown: str = "") -> Decimal:
    """Every number these files carry is under MAX_NUMBER with at most MAX_DECIMALS decimals; a
    bigger one (1e23, 1e999999) would overflow a column or be stored as infinity."""
    if abs(number) >= MAX_NUMBER:
        raise CellError(_("'%(value)s' is too large (the limit is %(max)s)", value=shown or str(number),
                          max=f"{MAX_NUMBER:,.0f}"))
    if number != 0 and number.as_tuple().exponent < -MAX_DECIMALS and number != round(number, MAX_DECIMALS):
        raise CellError(_("'%(value)s' has more than %(n)d decimals", value=shown or str(number), n=MAX_DECIMALS))
    return number


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

def _formula_without_result() -> str:
    return _("holds a formula whose result the file does not keep: open the file in Excel, save it and send it again")


def _formula_error(code: str) -> str:
    return _("holds the error %(code)s of its formula: correct it in Excel and send the file again", code=code)


def _header_map(row: int, headers: list[Any], columns: list[Column]) -> tuple[dict[int, Column], list[RowError]]:
    """row: the header's, as the spreadsheet numbers it (the first row with something in it)."""
    lookup = {}
    for col in columns:
        lookup[col.name.lower()] = col
        lookup[col.vi.lower()] = col
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if header is UNCALCULATED or isinstance(header, FormulaError):  # its name is a formula's missing result
            errors.append(RowError(row, _column_letter(index + 1), _formula_without_result() if header is UNCALCULATED
                                   else _formula_error(header)))
            continue
        name = text(header).lower()
        if not name:
            continue
        col = lookup.get(name)
        if col is None:
            errors.append(RowError(row, text(header), _("unknown column; the columns are: %(names)s",
                                                      names=", ".join(c.name for c in columns))))
            continue
        if col.name in seen:
            errors.append(RowError(row, text(header), _("the column appears twice")))
            continue
        seen.add(col.name)
        mapping[index] = col
    for col in columns:
        if col.required and col.name not in seen:
            errors.append(RowError(row, col.name, _("this column is missing")))
    return mapping, errors


def _raw_rows(filename: str, data: bytes):
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return sheet_rows.xlsx_rows(data, MAX_UNZIPPED_BYTES)
    if lower.endswith(".csv"):
        return sheet_rows.csv_rows(data, MAX_CELL_CHARS)
    raise ImportRejected([RowError(None, None, _("only .xlsx and .csv files are accepted"))])


def _bounded_rows(filename: str, data: bytes):
    """The file's non-empty rows within the limits; beyond one, a file-level ImportRejected."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([RowError(None, None, _("the file is larger than %(mb)d MB",
                                                     mb=MAX_FILE_BYTES // (1024 * 1024)))])
    try:
        for number, values in _raw_rows(filename, data):
            last = len(values)
            while last and (values[last - 1] is None or values[last - 1] == ""):
                last -= 1
            if not last:
                continue
            if last > MAX_COLUMNS:
                raise ImportRejected([RowError(number, _column_letter(last), _(
                    "a cell is beyond column %(max)d (%(letter)s); a file has at most %(max)d columns",
                    max=MAX_COLUMNS, letter=f"{_column_letter(last)}{number}"))])
            if number > MAX_ROWS + 1:  # + the header
                raise ImportRejected([RowError(number, None, _("a file has at most %(max)s rows under its header",
                                                               max=f"{MAX_ROWS:,}"))])
            for index, value in enumerate(values[:last]):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise ImportRejected([RowError(number, _column_letter(index + 1),
                                                   sheet_rows.too_long(MAX_CELL_CHARS))])
            yield number, values[:last]
    except sheet_rows.Unreadable as exc:
        raise ImportRejected([RowError(exc.row, None, exc.message)]) from None


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(filename: str, data: bytes, columns: list[Column]) -> Table:
    """Parses every row; the caller checks .errors before writing anything. A file beyond the
    limits (MAX_*) or one that cannot be read raises ImportRejected with one file-level error."""
    table = Table()
    rows = _bounded_rows(filename, data)
    header = next(rows, None)
    if header is None:
        table.errors.append(RowError(None, None, _("the file is empty")))
        return table
    mapping, table.errors = _header_map(*header, columns)
    table.present = {c.name for c in mapping.values()}
    table.written = {col.name: text(header[1][where]) for where, col in mapping.items()}
    for index, col in sorted(mapping.items(), reverse=True):  # the header as written wins over the name
        table.order[col.name] = index
    table.order.update({text(h): i for i, h in enumerate(header[1]) if text(h)})
    if table.errors:
        return table
    absent = [col for col in columns if col.name not in table.present]
    order = list(mapping.items()) + [(None, col) for col in absent]
    index = {col.name: i for i, (_where, col) in enumerate(order)}  # one key index shared by every row
    for number, values in rows:
        if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            continue
        record: list[Any] = []
        for where, col in order:
            value = values[where] if where is not None and where < len(values) else None
            try:
                if value is UNCALCULATED:
                    raise CellError(_formula_without_result())
                if isinstance(value, FormulaError) or value in FORMULA_ERRORS:
                    raise CellError(_formula_error(value))
                parsed = col.parse(value)
                if col.max_length is not None and isinstance(parsed, str) and len(parsed) > col.max_length:
                    raise CellError(over_length(col.max_length, len(parsed)))
            except CellError as exc:
                if where is not None:
                    # named as the file wrote it (ngay_sinh, not date_of_birth)
                    table.errors.append(RowError(number, text(header[1][where]) or col.name, str(exc)))
                parsed = None
            if isinstance(parsed, str) and len(parsed) <= 16:
                parsed = sys.intern(parsed)  # codes (positions, genders, levels) repeat on every row
            record.append(parsed)
        table.rows.append((number, Row(index, tuple(record))))
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
