"""A row that contradicts itself: type "fill" with options A-D filled and answer "B" was taken as a
fill-in question whose one accepted answer is the letter B. The paper shows a fill-in question no
options, so candidates had to guess that they should type "B". A fill-in question with options is
the row's error."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from questionbank.importers import spreadsheet
from questionbank.models import Question
from recruitment import tabular
from recruitment.extensions import db
from recruitment.tabular import ImportRejected

STEM = "Cơ quan hành chính nhà nước cao nhất là?"


def test_a_fill_in_row_with_options_is_refused(app):
    row = ["", "general", "", "Hiến pháp", 1, "fill", STEM, "Quốc hội", "Chính phủ", "Tòa án", "", "", "", "B", 1, ""]
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        spreadsheet.parse("bank.xlsx", tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])]))
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (2, "a fill-in question has no options: leave them empty, or choose another type")]


def test_a_fill_in_row_without_options_is_taken(app):
    row = ["", "general", "", "Hiến pháp", 1, "fill", STEM, "", "", "", "", "", "", "Chính phủ", 1, ""]
    records = spreadsheet.parse("bank.xlsx", tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])]))
    assert [(r.type, r.options, r.answer) for r in records] == [("fill", [], ["Chính phủ"])]


def test_the_form_refuses_a_fill_in_question_with_options(app, client, make_user, login):
    login(make_user("qs", "question_setter"))
    page = client.post("/questions/new", data={"section": "general", "topic": "Hiến pháp", "difficulty": "2",
                                               "type": "fill", "stem": STEM, "a": "Quốc hội", "b": "Chính phủ",
                                               "answer": "B", "points": "1"})
    assert page.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0
