"""The rows really in an .xlsx or .csv file, streamed one at a time as (row number, values).

Never trusts what a file declares about itself: an .xlsx's <dimension> (its claimed size) is never
read (xlsx_cells streams the rows that are there), so a sheet claiming A1:XFD1048576 is not padded into a dense grid and a sheet claiming
fewer rows than it has is read to its real end. Anything the file format libraries raise on a broken
file becomes one file-level RowError; the limits themselves are checked by tabular.read_table."""
from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from . import unreadable, xlsx_cells


class Unreadable(Exception):
    """The file cannot be read; .row is the row reached (None: the file as a whole)."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message, self.row = message, row


def too_long(max_cell: int) -> str:
    return _("a cell is longer than %(n)s characters", n=f"{max_cell:,}")


def listed_within(data: bytes, max_unzipped: int, max_members: int = 10_000) -> bool:
    """Whether a zip archive (an .xlsx, a .docx) unpacks within max_unzipped bytes and max_members
    parts, from the sizes it lists: a zip bomb is refused before anything is inflated (zipfile never
    inflates a member past its listed size, so the listed total bounds what a reader can take in).
    Raises zipfile's errors (and ValueError, OSError, EOFError) on what is not a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    return len(members) <= max_members and sum(m.file_size for m in members) <= max_unzipped


# What zipfile raises as it opens an archive it cannot read: besides BadZipFile, NotImplementedError for
# a member needing a newer zip version or an unknown compression method, and UnicodeDecodeError (a
# ValueError) for a member name flagged UTF-8 that is not. unreadable.cause words each of them.
UNZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError)


def _check_zip(data: bytes, max_unzipped: int) -> None:
    try:
        within = listed_within(data, max_unzipped)
    except UNZIP_ERRORS as exc:
        raise Unreadable(_("this is not a readable .xlsx file (%(cause)s)", cause=unreadable.cause(exc, data=data))) from None
    if not within:
        raise Unreadable(_("this .xlsx file unpacks to more than %(mb)d MB", mb=max_unzipped // (1024 * 1024)))


def xlsx_rows(data: bytes, max_unzipped: int) -> Iterator[tuple[int, list[Any]]]:
    _check_zip(data, max_unzipped)
    from openpyxl import load_workbook

    number = 0
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise Unreadable(_("this .xlsx file has no worksheet"))
            # Never the declared size (<dimension>): the producer's claim, not the data.
            for number, values in xlsx_cells.rows(book, book.worksheets[0]):
                if values:
                    yield number, values
        finally:
            book.close()
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl and the XML parser raise many kinds on a broken file
        where = number + 1 if number else None
        raise Unreadable(_("this is not a readable .xlsx file (%(cause)s)", cause=unreadable.cause(exc)), where) from None


def csv_rows(data: bytes, max_cell: int) -> Iterator[tuple[int, list[Any]]]:
    """Decoded as it is read (8 KB at a time), never as one string: a 100,000-row file held whole,
    and again in the reader's buffer, cost several times its size in memory."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    not_utf8 = _("this .csv file is not UTF-8 text; save it as 'CSV UTF-8'")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise Unreadable(not_utf8) from None
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:  # anywhere in the file: the file is refused, as a whole
            raise Unreadable(not_utf8) from None
        except csv.Error as exc:  # the row is the record being read
            if "field larger" in str(exc):  # over csv.field_size_limit(), itself over max_cell
                raise Unreadable(too_long(max_cell), number + 1) from None
            raise Unreadable(_("this row cannot be read as CSV (%(cause)s)", cause=unreadable.cause(exc)), number + 1) from None
        number += 1
        yield number, values
