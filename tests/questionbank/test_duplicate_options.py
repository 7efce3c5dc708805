"""A row that contradicts itself: two options a candidate cannot tell apart ("Chính phủ" twice, or
once in bold and once plain), one of them the key. No check refused it: the import, the form and every
format took such a question, and the candidate's paper showed two identical choices."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from questionbank.importers import spreadsheet
from questionbank.record_checks import validate
from recruitment import tabular
from recruitment.tabular import ImportRejected
from tests.support.factories import question_record

STEM = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?"


@pytest.mark.parametrize("options", [["Chính phủ", "Chính phủ", "Quốc hội", "Tòa án"],
                                     ["Chính phủ", "chính  PHỦ", "Quốc hội", "Tòa án"],
                                     ["<b>Chính phủ</b>", "Chính phủ", "Quốc hội"]])
def test_two_options_alike_are_the_records_error(app, options):
    with force_locale("en"):
        errors = validate(question_record(options=options, answer=[0]))
    assert [(e.column, e.message) for e in errors] == [
        ("options", "options A and B are the same: each option must differ")]


def test_options_that_differ_by_their_diacritics_are_different_words(app):
    assert validate(question_record(options=["ma", "má", "mà", "mã"], answer=[0])) == []


def test_pictures_of_different_names_are_different_options(app):
    options = ['<img src="a.png">', '<img src="b.png">']
    assert not [e for e in validate(question_record(options=options, answer=[0])) if e.column == "options"]


def test_a_spreadsheet_row_with_twin_options_is_refused_naming_its_row(app):
    row = ["", "general", "", "Hiến pháp", 1, "single", STEM, "Chính phủ", "Quốc hội", "Chính phủ", "", "", "", "A", 1, ""]
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        spreadsheet.parse("bank.xlsx", tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])]))
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (2, "options A and C are the same: each option must differ")]
