"""A fast, streaming reader of the cells of an .xlsx worksheet's XML, for big imports.

openpyxl's read-only mode builds an object per inline string and per cell and reads about 5,000 rows
a second here; HR's 100,000-row files need several times that. This reads the sheet's XML with expat
as it is unzipped, keeps only values, and converts them the way openpyxl does (shared strings, inline
strings, booleans, numbers, dates and percentages from the cell's number format). openpyxl still
opens the workbook: it finds the first sheet, the shared strings, the number formats and the date
epoch, through attributes of openpyxl 3.1 (pinned in requirements.txt) named here in one place.

No DTD or entity is accepted (the XML-bomb and external-entity doors), a row or cell reference that
is malformed or out of order makes the file unreadable, and nothing here trusts <dimension>."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any
from xml.parsers import expat

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code
from openpyxl.utils.datetime import from_excel, from_ISO8601

MAX_ROW = 1_048_576  # the format's own limits
MAX_COLUMN = 16_384


class BadSheet(ValueError):
    pass


class _Uncalculated:
    """A formula cell that holds no result: the file was written by a program that does not compute
    formulas (a script, a converter), and Excel has not saved it since. Read as empty, a priority
    claim would vanish without a word: the import names the cell instead (tabular.read_table)."""

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = _Uncalculated()


class FormulaError(str):
    """An error cell: the result a formula kept is one of Excel's error codes (#N/A from a VLOOKUP
    that found nothing, #REF!, #VALUE!...). Read as text, a candidate named "#N/A" was admitted: the
    import names the cell instead (tabular.read_table). The value is the code."""


FORMULA_ERRORS = frozenset(ERROR_CODES)  # as a sheet saved as CSV writes an error cell


class Percent(float):
    """A number a percent format shows: Excel keeps 10% typed in a cell as 0.1. Still that number to
    whatever computes with it; `shown` is the text the cell shows (a question's option, a fill-in key)."""

    decimals: int

    def __new__(cls, value: float, decimals: int) -> Percent:
        number = super().__new__(cls, value)
        number.decimals = decimals
        return number

    def shown(self) -> str:
        # Worked out with every digit a float and the format's decimals can take (a float's 309 whole
        # digits and MAX_PERCENT_DECIMALS): at the default 28 digits, 1e30 in a "0%" cell, or 0.1 in a
        # cell of 30 decimals, raised decimal.InvalidOperation out of the import (a 500).
        with localcontext(prec=400):
            hundredths = (Decimal(repr(float(self))) * 100).quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)
        return f"{hundredths}%"  # rounded half up to the format's decimals, as Excel shows it


MAX_PERCENT_DECIMALS = 30  # Excel's own limit on a number format's decimals
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, an escaped character, [Red] or [$-42A]


def percent_decimals(code: str | None) -> int | None:
    """The decimals of a percent number format ("0.0%": 1), None for any other format."""
    section = _LITERALS.sub("", (code or "").split(";")[0])
    if "%" not in section:
        return None
    _whole, point, fraction = section.partition(".")
    return min(sum(fraction.count(digit) for digit in "0#?"), MAX_PERCENT_DECIMALS) if point else 0


def _percent_styles(book) -> dict[int, int]:
    """Style index -> decimals, for the workbook's styles whose number format is a percentage."""
    custom = book._number_formats
    styles = {}
    for index, style in enumerate(book._cell_styles):
        number_format = style.numFmtId
        code = (custom[number_format - BUILTIN_FORMATS_MAX_SIZE] if number_format >= BUILTIN_FORMATS_MAX_SIZE
                else builtin_format_code(number_format))
        decimals = percent_decimals(code)
        if decimals is not None:
            styles[index] = decimals
    return styles


_LETTERS = re.compile(r"[A-Z]*")
_COLUMNS: dict[str, int] = {}  # "AB" -> 28: a sheet repeats a few column letters on every row


def _column(ref: str) -> int:
    """The column of a cell reference: its leading letters, up to a digit or the end."""
    letters = _LETTERS.match(ref)[0]
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for char in letters[:4]:
            number = number * 26 + ord(char) - 64
        if len(letters) > 3 or not 1 <= number <= MAX_COLUMN:
            raise BadSheet(f"bad cell reference {ref[:20]!r}")
        _COLUMNS[letters] = number
    rest = ref[len(letters):len(letters) + 1]
    if rest and not rest.isdigit():
        raise BadSheet(f"bad cell reference {ref[:20]!r}")
    return number


def _number(raw: str) -> int | float:
    if "." in raw or "e" in raw or "E" in raw or "n" in raw.lower():
        return float(raw)
    return int(raw)


class _Sheet:
    def __init__(self, shared: list, date_styles: set, timedelta_styles: set, percent_styles: dict, epoch):
        self.shared, self.date_styles, self.timedelta_styles, self.epoch = shared, date_styles, timedelta_styles, epoch
        self.percent_styles = percent_styles
        self.done: list[tuple[int, list[Any]]] = []
        self.row, self.cells, self.column = 0, None, 0
        self.kind, self.style, self.value, self.inline = "n", 0, None, []
        self.formula = False
        self.text: str | None = None
        self.tags: dict[str, str] = {}  # "x:c" -> "c", once per name
        self.phonetic = 0

    def _tag(self, name: str) -> str:
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = name.rpartition(":")[2]
        return tag

    def start(self, name: str, attrs: dict) -> None:
        tag = self._tag(name)
        if tag == "c" and self.cells is not None:  # the commonest element first
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            self.kind, self.style = attrs.get("t", "n"), int(attrs.get("s") or 0)
            self.value, self.inline, self.formula = None, [], False
        elif tag == "f":
            self.formula = True
        elif tag == "v" or (tag == "t" and not self.phonetic):
            self.text = ""
        elif tag == "row":
            ref = attrs.get("r")
            number = int(ref) if ref else self.row + 1
            if not self.row < number <= MAX_ROW:
                raise BadSheet(f"row {number} is out of order or out of range")
            self.row, self.cells, self.column = number, {}, 0
        elif tag == "rPh":
            self.phonetic += 1

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text += data

    def end(self, name: str) -> None:
        tag = self._tag(name)
        if tag == "v" and self.text is not None:
            self.value, self.text = self.text, None
        elif tag == "t" and self.text is not None:
            self.inline.append(self.text)
            self.text = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "c" and self.cells is not None:
            self.cells[self.column] = self._convert()
        elif tag == "row" and self.cells is not None:
            values: list[Any] = [None] * (max(self.cells) if self.cells else 0)
            for column, value in self.cells.items():
                values[column - 1] = value
            self.done.append((self.row, values))
            self.cells = None

    def _convert(self) -> Any:
        kind, value = self.kind, self.value
        if self.formula and (value is None or (value == "" and kind != "str")):  # a text result may be empty
            return UNCALCULATED
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline else None
        if value is None or value == "":
            return None
        if kind == "s":
            index = int(value)
            if not 0 <= index < len(self.shared):
                raise BadSheet(f"shared string {index} does not exist")
            return self.shared[index]
        if kind == "b":
            return value.strip() == "1"
        if kind == "e":
            return FormulaError(value)
        if kind == "str":
            return value
        if kind == "d":
            return from_ISO8601(value)
        number = _number(value)
        if self.style in self.date_styles:
            try:
                return from_excel(number, self.epoch, timedelta=self.style in self.timedelta_styles)
            except (OverflowError, ValueError):
                return value
        decimals = self.percent_styles.get(self.style)
        return number if decimals is None else Percent(number, decimals)


def _refuse(*_args) -> None:
    raise BadSheet("a DTD or an entity is not allowed in a worksheet")


def rows(book, sheet) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for every <row> of `sheet` (an openpyxl read-only worksheet of `book`)."""
    state = _Sheet(sheet._shared_strings, set(book._date_formats), set(book._timedelta_formats), _percent_styles(book),
                   book.epoch)
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = state.start, state.end
    parser.CharacterDataHandler = state.chars
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    with book._archive.open(sheet._worksheet_path) as source:
        while chunk := source.read(1 << 20):
            parser.Parse(chunk, False)
            yield from state.done
            state.done.clear()
        parser.Parse(b"", True)
        yield from state.done
