"""Issue 15: recruitment/signals.py's scores_changed (sent after B7 neutralisation) is answered by the
results: the published version is never rewritten (E5), but the council is told, and the audit log
keeps, that it no longer matches the scores."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from recruitment import signals
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Round
from recruitment.scores import round2_score
from results import service
from tests.support.demo_cache import demo_loaded


@pytest.fixture
def demo_round(app):
    demo_loaded(app)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))


def _answers(app, round_):
    return [reply for receiver, reply in signals.scores_changed.send(app, round_id=round_.id, what="B7: test")
            if getattr(receiver, "__module__", "").startswith("results")]


def test_a_score_change_after_publication_is_answered_and_audited(app, demo_round):
    published = service.latest(demo_round)
    selected = next(r for r in service.rows_of(published) if r["status"] == "selected")
    score = round2_score(selected["application_id"])
    score.written = Decimal("10")  # a re-grade pushed the written test under C5's pass mark
    db.session.commit()
    (reply,) = _answers(app, demo_round)
    assert not reply.ok and f"{published.number}" in reply.message
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="results_out_of_date"))
    assert entry is not None and entry.object_id == str(demo_round.id) and json.loads(entry.after)["what"] == "B7: test"
    assert [v.number for v in service.versions(demo_round)] == [published.number]  # E5: nothing rewritten


def test_a_change_that_moves_nothing_is_answered_without_alarm(app, demo_round):
    (reply,) = _answers(app, demo_round)
    assert reply.ok
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="results_out_of_date")) is None
