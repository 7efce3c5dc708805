"""Sheet titles of the workbooks that leave the system. A results .xlsx has a sheet per position,
titled by its code, and codes such as "CV/TC-01" are common: openpyxl refuses / \\ ? * [ ] : in a
title, so the export answered 500 ("Invalid character / found in sheet title"). A code longer than
Excel's 31 characters, or two codes that shorten to the same title, made a file Excel repairs."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from recruitment.sheets import sheet_title, xlsx_bytes
from results import exports
from results.service import CSV_COLUMNS


def _row(code: str, number: str) -> dict:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(position_code=code, candidate_number=number, full_name="Trần An", status="not_selected", round1="pass")
    return row


def _excel_accepts(title: str) -> bool:
    return 0 < len(title) <= 31 and not set(title) & set("/\\?*[]:") and not title.startswith("'") \
        and not title.endswith("'")


def test_results_xlsx_of_positions_coded_with_characters_a_title_cannot_hold(app):
    """Before: ValueError from openpyxl, a 500 on the export page and the command."""
    codes = ["CV/TC-01", "KT\\02", "A?*03", "[VT]:04"]
    with app.test_request_context(), force_locale("vi"):
        data = exports.to_xlsx([_row(code, str(n)) for n, code in enumerate(codes, start=1)])
    book = load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == len(codes)
    assert all(_excel_accepts(sheet.title) for sheet in book.worksheets)
    assert book.worksheets[0].title == "CV_TC-01"
    # the code itself is kept as it is inside its sheet
    assert [sheet.cell(2, 1).value for sheet in book.worksheets] == codes


def test_titles_stay_unique_within_a_workbook():
    """Two codes that become the same title (CV/01 and CV:01, or a case apart, as Excel compares
    them) get distinct titles within 31 characters, never a file Excel has to repair."""
    long = "P" * 40
    titles = ["CV/01", "CV:01", "cv_01", long, long + "x", "", "'quoted'"]
    data = xlsx_bytes([(title, ["code"], [[title]]) for title in titles])
    book = load_workbook(io.BytesIO(data))
    names = book.sheetnames
    assert len(names) == len(titles)
    assert len({n.casefold() for n in names}) == len(names)
    assert all(_excel_accepts(n) for n in names), names
    assert [sheet.cell(2, 1).value for sheet in book.worksheets][:5] == titles[:5]


@pytest.mark.parametrize(("title", "expected"), [
    ("TC-01", "TC-01"),
    ("CV/TC-01", "CV_TC-01"),
    ("a" * 35, "a" * 31),
    ("", "Sheet"),
    ("'x'", "x"),
    ("History", "History_"),  # a name Excel keeps for itself
])
def test_sheet_title(title, expected):
    assert sheet_title(title, set()) == expected


def test_sheet_title_of_a_taken_title_is_numbered_within_the_limit():
    taken = {"cv_01", "p" * 31}
    assert sheet_title("CV/01", taken) == "CV_01 (2)"
    assert sheet_title("P" * 40, taken) == "P" * 27 + " (2)"
    assert sheet_title("CV/01", taken | {"cv_01 (2)"}) == "CV_01 (3)"
