"""G2: unused questions and keys are secret, and every view of them is logged. The item analysis,
which the council chair opens to neutralise a faulty question (B7), showed each question's stem
and marked its key as soon as one candidate had handed in, while later candidates had not sat
those questions yet, and its views were not logged. The chair reads stems and keys there once every
sitting of the test is over; the board reads them always; every view is logged."""
from __future__ import annotations

import html
from datetime import timedelta

from exam import draw as drawing
from exam.day import handing_in
from exam.day.models import Sitting
from exam.models import Form
from questionbank.api import contents
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import answer_right, started


def _stems(placement) -> list[str]:
    form = db.session.get(Form, placement.attempt.form_id)
    versions = [int(v) for v in drawing.unpack(form.version_ids, form.option_perms)[0]]
    return [c.stem_html for c in contents(versions).values()]


def _views() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="item_analysis_viewed"))


def test_the_chair_reads_stems_and_keys_only_once_every_sitting_is_over(day, client, make_user, login):
    placement = started(day)
    answer_right(placement.attempt)
    handing_in.submit(placement.attempt, utcnow())
    db.session.commit()
    stems = _stems(placement)
    url = f"/exam/tests/{day.test_id}/items"
    login(make_user("chair", "council_chair"))
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "<svg" in page  # the statistics are there
    assert not any(stem[:40] in page for stem in stems) and 'class="tag"' not in page.split('id="items"')[1]
    assert _views() == 1
    login(make_user("board", "question_setter"))
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert any(stem[:40] in page for stem in stems)
    assert _views() == 2
    sitting = db.session.get(Sitting, day.sitting_id)
    sitting.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(make_user("chair2", "council_chair"))
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert any(stem[:40] in page for stem in stems)
    assert _views() == 3
