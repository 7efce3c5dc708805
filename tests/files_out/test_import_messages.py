"""Item 9: an import error names the column as the file wrote it, and a national ID that lost its
leading zero in Excel says how to keep it."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale

from recruitment import person_cells, tabular
from recruitment.tabular import Column


def test_an_error_names_the_files_own_header(app):
    columns = [Column("date_of_birth", "ngay_sinh", True, tabular.parse_date)]
    with app.test_request_context(), force_locale("vi"):
        table = tabular.read_table("a.csv", "ngay_sinh\nkhông phải ngày\n".encode(), columns)
    assert [e.column for e in table.errors] == ["ngay_sinh"]


@pytest.mark.parametrize("cell", [31095001234, 31095001234.0, "31095001234"])
def test_a_national_id_that_lost_its_leading_zero_gets_a_hint(app, cell):
    with app.test_request_context(), force_locale("vi"), pytest.raises(tabular.CellError) as refused:
        person_cells.national_id(cell)
    assert "số 0" in str(refused.value) and "Văn bản" in str(refused.value)


def test_a_header_error_names_the_row_the_header_is_on(app):
    """Rows above the header left empty (a title removed, a gap kept): the header is the first row with
    something in it, and its errors named row 1 whatever its row was."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.cell(row=3, column=1, value="ho_ten")
    sheet.cell(row=3, column=2, value="cot_la")
    sheet.cell(row=4, column=1, value="Nguyễn Văn A")
    sheet.cell(row=4, column=2, value="x")
    out = io.BytesIO()
    book.save(out)
    columns = [Column("full_name", "ho_ten", True, tabular.text), Column("date_of_birth", "ngay_sinh", True, tabular.parse_date)]
    with app.test_request_context(), force_locale("vi"):
        table = tabular.read_table("a.xlsx", out.getvalue(), columns)
    assert sorted((e.row, e.column) for e in table.errors) == [(3, "cot_la"), (3, "date_of_birth")]
