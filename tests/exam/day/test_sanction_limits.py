"""B6: a proctor records a sanction during the sitting; only the council chair withdraws one, with a
reason. A proctor could record a lighter sanction over a suspension (the void test was then graded
and passed, the chair's withdrawal bypassed), and sanction a week after the sitting. A sanction is
now only made heavier by a new one, a proctor's comes while the sitting lasts (and its report after
the collection), and the entry keeps the sanction it replaced."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from exam.day import handing_in, proctoring
from exam.day.models import Sitting
from exam.day.seating import Refused
from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import answer_right, started
from tests.support.factories import staffed


def test_a_sanction_is_made_heavier_never_lighter_but_by_the_chairs_withdrawal(day, make_user):
    placement = started(day)
    answer_right(placement.attempt)
    proctor = staffed(day, make_user("gt1", "proctor"))
    proctoring.sanction(placement.attempt, "warning", "Trao đổi bài", proctor)
    db.session.commit()
    for lighter in ("reprimand", "warning"):
        with pytest.raises(Refused, match="B6"):
            proctoring.sanction(placement.attempt, lighter, "nhầm", proctor)
        db.session.rollback()
    proctoring.sanction(placement.attempt, "suspension", "Tái phạm: mang điện thoại", proctor)  # heavier: recorded
    db.session.commit()
    with pytest.raises(Refused, match="B6"):
        proctoring.sanction(placement.attempt, "reprimand", "nhầm", proctor)
    db.session.rollback()
    attempt = db.session.get(Attempt, placement.attempt_id)
    assert attempt.sanction == "suspension" and attempt.passed is False
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="incident_sanction")
                               .order_by(AuditEntry.seq.desc())).first()
    assert json.loads(entry.before) == {"sanction": "warning", "reason": "Trao đổi bài"}


def test_a_proctors_sanction_comes_while_the_sitting_lasts_the_chairs_after(day, make_user):
    placement = started(day)
    answer_right(placement.attempt)
    handing_in.submit(placement.attempt, utcnow())
    sitting = db.session.get(Sitting, day.sitting_id)
    sitting.starts_at -= timedelta(days=7)
    sitting.ends_at -= timedelta(days=7)
    db.session.commit()
    proctor = staffed(day, make_user("gt2", "proctor"))
    with pytest.raises(Refused, match="Chủ tịch Hội đồng"):
        proctoring.sanction(placement.attempt, "warning", "nhớ ra sau một tuần", proctor)
    db.session.rollback()
    assert db.session.get(Attempt, placement.attempt_id).sanction is None
    chair = make_user("chutich", "council_chair")
    proctoring.sanction(placement.attempt, "warning", "Biên bản của cán bộ coi thi số 3", chair)
    db.session.commit()
    assert db.session.get(Attempt, placement.attempt_id).sanction == "warning"
