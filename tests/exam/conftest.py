"""A round with twelve admitted candidates and a small approved bank, shared by the exam tests; and a
test of it drawn, three of its attempts handed in with every answer wrong and graded (B7's tests)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from exam import blueprints, form_draws, scoring
from exam import draw as drawing
from exam.models import Attempt, AttemptAnswer
from questionbank import api as bank
from recruitment.extensions import db
from tests.support.factories import round_with_bank, small_test


@pytest.fixture
def exam_round(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    return round_with_bank(tmp_path, author.id, reviewer.id)


@pytest.fixture
def drawn(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    round_ = round_with_bank(tmp_path, author.id, reviewer.id)
    test = small_test(round_)
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    db.session.commit()
    attempts = list(db.session.scalars(select(Attempt).order_by(Attempt.id)))
    for attempt in attempts[:3]:
        ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
        contents = bank.contents([int(v) for v in ids])
        for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
            shown = list(perm).index(contents[int(vid)].key[0])
            db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, choice=(shown + 1) % 4, seq=1))
        attempt.status = "submitted"
    db.session.commit()
    scoring.grade([a.id for a in attempts])
    db.session.commit()
    return test, attempts
