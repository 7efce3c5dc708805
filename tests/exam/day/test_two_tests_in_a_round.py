"""A round with two round-1 tests (L1: the general part and the language part; B8: the optional
language test), each sat in its own sitting with its own access codes: the log-in found only the
placement of the sitting that starts last, so while the language part's sitting was set up for later,
the right code of the general part under way was refused as a wrong code, counted towards a lock,
and a new code from the proctor did not help either (a second reviewer's finding)."""
from __future__ import annotations

import pytest

from exam.day import seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.extensions import db
from recruitment.models import ThrottleEvent
from tests.support.candidate import candidate_login, shows_the_exam
from tests.support.factories import language_sitting


@pytest.fixture
def language_part(day) -> dict[int, str]:
    """The round's second test, its sitting two hours from now; returns its access codes by number."""
    sitting = language_sitting(day, hours_from_now=2)
    codes = seating.issue_access_codes(sitting)
    db.session.commit()
    placements = db.session.scalars(db.select(Placement).filter_by(sitting_id=sitting.id)).all()
    return {p.attempt.application.candidate_number: codes[p.id] for p in placements}


def _placement(day, number: int, sitting_id: int) -> Placement:
    return db.session.scalar(db.select(Placement).join(Attempt).where(
        Placement.sitting_id == sitting_id, Attempt.application.has(candidate_number=number)))


def test_the_right_code_of_the_sitting_under_way_goes_in(day, client, language_part):
    response = candidate_login(client, day, 1)
    assert shows_the_exam(response)
    assert _placement(day, 1, day.sitting_id).session_token is not None  # the general part's, under way
    assert db.session.scalar(db.select(db.func.count()).select_from(ThrottleEvent)) == 0  # nothing counted


def test_a_new_code_from_the_proctor_goes_in_and_the_old_one_says_it_was_replaced(day, client, language_part):
    general = _placement(day, 1, day.sitting_id)
    old = day.access[1]
    code = seating.issue_access_codes(general.sitting, only=general)[general.id]
    db.session.commit()
    refused = candidate_login(client, day, 1, code=old)
    assert not shows_the_exam(refused)
    assert "đã được thay" in refused.get_data(as_text=True) or "replaced" in refused.get_data(as_text=True)
    assert shows_the_exam(candidate_login(client, day, 1, code=code))


def test_the_later_sittings_code_opens_its_own_placement(day, client, language_part):
    """Before its sitting starts the page waits; the general part's placement is left alone."""
    response = candidate_login(client, day, 2, code=language_part[2])
    assert response.status_code == 200 and 'id="exam"' in response.get_data(as_text=True)
    language = db.session.scalar(db.select(Sitting).filter_by(name="Ca 2"))
    assert _placement(day, 2, language.id).session_token is not None
    assert _placement(day, 2, day.sitting_id).session_token is None


def test_a_wrong_code_is_still_a_wrong_code(day, client, language_part):
    wrong = next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in (day.access[1], language_part[1]))
    assert not shows_the_exam(candidate_login(client, day, 1, code=wrong))
    assert db.session.scalar(db.select(db.func.count()).select_from(ThrottleEvent)) == 2  # counted, as before
