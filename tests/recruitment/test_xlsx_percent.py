"""A percent cell (recruitment/xlsx_cells.Percent) is written as the cell shows it, whatever its size and
its format's decimals: a number of 30 digits, or a format of 30 decimals, raised decimal.InvalidOperation
out of read_table (the default context's 28 digits), a 500 in every import that reads the cell as text."""
from __future__ import annotations

import io

from openpyxl import Workbook

from recruitment import tabular as t
from recruitment.xlsx_cells import Percent, percent_decimals


def test_a_percent_cell_of_any_size_or_decimals_is_written_as_shown():
    assert Percent(0.105, 1).shown() == "10.5%"
    assert Percent(1e30, 0).shown() == "1" + "0" * 32 + "%"
    assert Percent(0.1, 30).shown() == "10." + "0" * 30 + "%"
    assert Percent(1e308, 2).shown().endswith(".00%")
    assert percent_decimals("0." + "0" * 500 + "%") == 30  # Excel's own limit


def test_an_import_reads_a_wide_percent_cell_as_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_vi_tri", "ten_vi_tri"])
    sheet.append(["X1", 0.1])
    sheet["B2"].number_format = "0." + "0" * 30 + "%"
    sheet.append(["X2", 1e30])
    sheet["B3"].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    columns = [t.Column("code", "ma_vi_tri", True, t.text, ""),
               t.Column("name", "ten_vi_tri", True, t.text, "", max_length=200)]
    table = t.read_table("p.xlsx", out.getvalue(), columns)
    assert [row.get("name") for _n, row in table.rows] == ["10." + "0" * 30 + "%", "1" + "0" * 32 + "%"]
