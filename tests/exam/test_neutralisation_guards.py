"""B7 neutralisation guards. Defects found in review: a second neutralisation of the same question
rewrote the first (one that gave everyone the point could be turned into "only option B", taking the
points back, though a neutralisation is not undone); options the question does not have (F on a
four-option question, any option on a fill-in) were accepted and logged while earning nobody the
point; another chair's neutralisation committed after the page loaded the test was written over
(lost update); and the confirmation page showed the chair the stem of a question still secret (G2)
while a sitting of the test was under way, which the item analysis hides."""
import json

import pytest
from sqlalchemy import select, update

from exam import draw as drawing
from exam import neutralising
from exam.models import Attempt, ExamTest, Form
from questionbank import api as bank
from recruitment import errors
from recruitment.database import commit_keeping_loaded
from recruitment.extensions import db
from tests.support.factories import build_day


def _versions(attempt, n=1):
    return [int(v) for v in drawing.unpack_versions(attempt.form.version_ids)[:n]]


def _neutral(test_id):
    db.session.expire_all()
    return json.loads(db.session.get(ExamTest, test_id).neutralised or "{}")


def test_a_neutralisation_is_not_rewritten_by_a_second_one(drawn):
    test, attempts = drawn
    (version,) = _versions(attempts[0])
    neutralising.neutralise(test.id, version, "Đáp án sai trong đề", [])
    ids = [a.id for a in attempts[:3]]
    scores = {a.id: a.correct for a in db.session.scalars(select(Attempt).where(Attempt.id.in_(ids)))}
    with pytest.raises(errors.Refused):
        neutralising.neutralise(test.id, version, "Sửa lại: chỉ phương án B", [1])
    db.session.rollback()
    assert _neutral(test.id) == {str(version): []}
    assert {a.id: a.correct for a in db.session.scalars(select(Attempt).where(Attempt.id.in_(ids)))} == scores


def test_options_the_question_does_not_have_are_refused(drawn):
    test, attempts = drawn
    (version,) = _versions(attempts[0])  # four options, A to D
    with pytest.raises(errors.Refused):
        neutralising.neutralise(test.id, version, "Phương án F cũng đúng", [5])
    db.session.rollback()
    assert _neutral(test.id) == {}


def test_the_first_post_refuses_in_words_what_the_confirmed_one_would(drawn, make_user, login):
    test, attempts = drawn
    (version,) = _versions(attempts[0])
    client = login(make_user("chutich", "council_chair"))
    page = client.post(f"/exam/tests/{test.id}/neutralise/{version}", data={"reason": "Đáp án sai", "options": ["5"]})
    assert page.status_code == 302  # the item analysis, with the refusal flashed; no confirmation asked
    assert _neutral(test.id) == {}


def test_two_neutralisations_at_once_both_stand(drawn):
    test, attempts = drawn
    versions = _versions(attempts[0], 2)
    db.session.get(ExamTest, test.id)  # loaded by this request's page
    commit_keeping_loaded()
    with db.engine.begin() as other:  # the other chair's request commits first
        other.execute(update(ExamTest).where(ExamTest.id == test.id)
                      .values(neutralised=json.dumps({str(versions[1]): []})))
    neutralising.neutralise(test.id, versions[0], "Đáp án sai trong đề", [])
    assert set(_neutral(test.id)) == {str(v) for v in versions}


def test_the_confirmation_does_not_show_a_stem_still_secret(app, make_user, login, tmp_path):
    day = build_day(tmp_path)  # its sitting is under way
    form = db.session.scalar(select(Form).filter_by(test_id=day.test_id).order_by(Form.id))
    version = int(drawing.unpack_versions(form.version_ids)[0])
    stem = bank.contents([version])[version].stem_html
    client = login(make_user("chutich", "council_chair"))
    page = client.post(f"/exam/tests/{day.test_id}/neutralise/{version}", data={"reason": "Đáp án sai trong đề"})
    text = page.get_data(as_text=True)
    assert 'id="confirmation"' in text
    assert stem.split("?")[0] not in text
