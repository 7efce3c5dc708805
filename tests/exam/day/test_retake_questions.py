"""B5: a candidate whose test the council chair voids retakes it on a new form. The retake avoided
only a question at the same slot as on the voided form, so a candidate who had read that form met
some of its questions again, though the bank held enough to avoid them all. The retake's form draws
from the bank without the questions of the candidate's earlier forms wherever a cell holds enough,
and the audit rebuilds it exactly."""
from __future__ import annotations

from exam import draw as drawing
from exam import form_draws
from exam.day import proctoring
from exam.models import Form
from recruitment.extensions import db
from tests.support.candidate import started


def _questions(attempt) -> set[int]:
    form = db.session.get(Form, attempt.form_id)
    return {int(v) for v in drawing.unpack(form.version_ids, form.option_perms)[0]}


def test_a_retake_meets_none_of_the_questions_the_candidate_has_seen(day, make_user):
    chair = make_user("chutich", "council_chair")
    placement = started(day)
    first = _questions(placement.attempt)
    retake = proctoring.void_for_retake(placement.attempt, "máy hỏng, làm lại (B5)", chair)
    db.session.commit()
    second = _questions(retake)
    assert len(second) == len(first) and not first & second
    check = form_draws.verify_forms(day.test_id)
    assert check.forms == check.matching and not check.mismatched  # the retake's form rebuilds exactly


def test_a_retake_the_bank_cannot_draw_is_refused_in_words_and_nothing_is_voided(day, make_user, login):
    """G1 at the retake's draw: with a cell short since activation, voiding for a retake answered 500
    (the draw's refusal was not one the console's action expected); it is refused, saying why."""
    from exam.models import Attempt
    from questionbank import bank as questions
    from questionbank.models import Question

    placement = started(day)
    author = db.session.scalar(db.select(Question)).author
    for question in db.session.scalars(db.select(Question).filter_by(topic="Tin học")):
        questions.transition(question, "retire", author)
    db.session.commit()
    client = login(make_user("chutich", "council_chair"))
    answer = client.post(f"/exam/sittings/placements/{placement.id}/void",
                         data={"reason": "máy hỏng", "confirmed": "1"}, follow_redirects=True)
    assert answer.status_code == 200 and "G1" in answer.get_data(as_text=True)
    assert db.session.get(Attempt, placement.attempt_id).status == "in_progress"
