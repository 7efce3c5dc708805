"""A .csv file is decoded as it is read, never held whole as text (issue "Files in and out", item
6: a 100,000-row file cost several times its size in memory); what it reads, and how it refuses a
broken file, stay as they were."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from recruitment import sheet_rows

MAX_CELL = 32_000


def _rows(data: bytes) -> list[tuple[int, list]]:
    return list(sheet_rows.csv_rows(data, MAX_CELL))


def test_a_bom_semicolons_and_a_quoted_cell_over_lines_read_as_before(app):
    data = "\ufeffma;noi_dung\r\nKT-1;\"Dòng một\r\nDòng hai; vẫn một ô\"\r\nKT-2;Hết\r\n".encode()
    assert _rows(data) == [(1, ["ma", "noi_dung"]), (2, ["KT-1", "Dòng một\r\nDòng hai; vẫn một ô"]),
                           (3, ["KT-2", "Hết"])]


def test_a_file_that_is_not_utf8_far_down_is_refused_as_a_whole(app):
    good = "".join(f"031{i:09d},Trần Văn Bình\n" for i in range(20_000)).encode()  # far past one decoded chunk
    data = b"national_id,full_name\n" + good + "031999999999,Tr\xe1n\n".encode("latin-1")
    with force_locale("en"), pytest.raises(sheet_rows.Unreadable) as refused:
        _rows(data)
    assert refused.value.row is None and "UTF-8" in refused.value.message


def test_a_first_line_that_is_not_utf8_is_refused(app):
    with force_locale("en"), pytest.raises(sheet_rows.Unreadable) as refused:
        _rows("Tr\xe1n,An\n".encode("latin-1"))
    assert refused.value.row is None and "UTF-8" in refused.value.message


def test_a_cell_over_the_reader_limit_is_named_with_its_row(app):
    import csv

    huge = "x" * (csv.field_size_limit() + 1)
    with force_locale("en"), pytest.raises(sheet_rows.Unreadable) as refused:
        _rows(f"a,b\n1,2\n3,{huge}\n".encode())
    assert refused.value.row == 3 and "longer than" in refused.value.message
