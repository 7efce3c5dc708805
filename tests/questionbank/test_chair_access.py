"""G2: "unused questions and keys are secret: only the question-setting board sees them". The
council chair works with blueprints and coverage counts, never with stems or keys: the bank, a
question, the review queue, the exports and the images are refused; the coverage matrix is not."""
from __future__ import annotations

import pytest

from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import approved_question

STEM = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?"


@pytest.fixture
def question(app, make_user):
    return approved_question(make_user("qs1", "question_setter"), make_user("qs2", "question_setter"), stem=STEM)


@pytest.mark.parametrize("path", ["/questions/", "/questions/review", "/questions/{id}", "/questions/export.xlsx",
                                  "/questions/export.xml", "/questions/images/x.png", "/questions/template.xlsx"])
def test_the_chair_is_refused_stems_keys_and_exports(question, client, make_user, login, path):
    login(make_user("chair", "council_chair"))
    response = client.get(path.format(id=question.id))
    assert response.status_code == 403
    assert STEM not in response.get_data(as_text=True)
    assert not db.session.scalar(db.select(AuditEntry).where(AuditEntry.action.like("question%export%")))


def test_the_chair_sees_coverage_counts_without_stems(question, client, make_user, login):
    login(make_user("chair", "council_chair"))
    page = client.get("/questions/coverage")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hiến pháp" in text  # the topic and its counts
    assert STEM not in text and "Chính phủ" not in text  # neither the stem nor the options (the key)
    assert 'href="/questions/' + str(question.id) not in text


def test_the_board_still_reads_and_exports(question, client, make_user, login):
    login(make_user("qs3", "question_setter"))
    assert STEM in client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert client.get("/questions/export.xlsx").status_code == 200
