"""Excel imports: a formula cell whose file keeps no result (a file written by a script, or by
openpyxl itself) was read as an empty cell: a required column said 'is empty' and an optional one
was dropped without a word - here a priority claim (D) vanished from the application. It is an
error naming its row and column."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from recruitment import importing, tabular
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row


def _round_with_positions():
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", tabular.xlsx_bytes([("d", POSITION_HEADERS, POSITIONS)]))
    return round_


def _applications_with(row: int, column: str, value) -> io.BytesIO:
    """Two applications, in an .xlsx written by openpyxl, with one cell set to value."""
    book = Workbook()
    sheet = book.active
    sheet.append(APPLICATION_HEADERS)
    sheet.append(application_row("031000000001", "Trần Văn An"))
    sheet.append(application_row("031000000002", "Lê Thị Bình"))
    sheet.cell(row=row, column=APPLICATION_HEADERS.index(column) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out


def test_a_formula_without_a_value_is_an_error_naming_its_cell_not_an_empty_cell(app):
    round_ = _round_with_positions()
    out = _applications_with(2, "priority", '=IF(1=1,"hero","")')
    with force_locale("en"):
        try:
            importing.import_applications(round_, "a.xlsx", out.getvalue())
        except ImportRejected as rejected:
            assert [(e.row, e.column) for e in rejected.errors] == [(2, "priority")]
            return
    application = db.session.scalar(db.select(Application))
    assert application.priority_codes, "the hero claim (7.5 points) was dropped without a word"


def test_a_formula_in_the_header_row_is_named_as_such_not_as_a_column_called_by_a_code(app):
    round_ = make_round()
    book = Workbook()
    sheet = book.active
    sheet.append(POSITION_HEADERS)
    sheet.append(POSITIONS[0])
    sheet.cell(row=1, column=2).value = '=UPPER("name")'
    out = io.BytesIO()
    book.save(out)
    with force_locale("en"), pytest.raises(ImportRejected) as rejected:
        importing.import_positions(round_, "p.xlsx", out.getvalue())
    errors = rejected.value.errors
    assert (errors[0].row, errors[0].column) == (1, "B") and "formula" in errors[0].message, errors
    assert "UNCALCULATED" not in str(errors)


def test_an_error_cell_is_an_error_naming_its_cell_not_a_name_of_hash_n_a(app):
    """A VLOOKUP that found nothing keeps #N/A as its result, and the reader took the code as the
    cell's text: a candidate named "#N/A" was admitted (a second reviewer's finding)."""
    round_ = _round_with_positions()
    out = _applications_with(3, "full_name", "#N/A")  # openpyxl saves it as an error cell
    with force_locale("vi"), pytest.raises(ImportRejected) as rejected:
        importing.import_applications(round_, "a.xlsx", out.getvalue())
    (error,) = rejected.value.errors
    assert (error.row, error.column) == (3, "full_name") and "#N/A" in error.message and "lỗi" in error.message
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_an_error_code_in_a_csv_cell_is_an_error_too(app):
    """A sheet saved as CSV keeps an error cell as its code, text like any other."""
    round_ = _round_with_positions()
    rows = [application_row("031000000001", "#N/A")]
    with force_locale("vi"), pytest.raises(ImportRejected) as rejected:
        importing.import_applications(round_, "a.csv", tabular.csv_bytes(APPLICATION_HEADERS, rows))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "full_name")]
