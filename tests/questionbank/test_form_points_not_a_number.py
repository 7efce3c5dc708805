"""The question form's points typed as "sNaN" (a Decimal the field accepts) reached WTForms'
NumberRange, which cannot compare it: the page answered 500. It is refused as points out of range."""
from __future__ import annotations

import pytest

from questionbank.models import Question
from recruitment.extensions import db

FORM = {"section": "general", "topic": "Hiến pháp", "difficulty": "2", "type": "single", "stem": "Câu hỏi?",
        "a": "Một", "b": "Hai", "answer": "A"}


@pytest.mark.parametrize("points", ["sNaN", "NaN", "Infinity", "-Infinity"])
def test_points_that_are_no_number_are_the_form_s_error(app, client, make_user, login, points):
    login(make_user("qs", "question_setter"))
    page = client.post("/questions/new", data={**FORM, "points": points})
    assert page.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0
