"""Opening a sitting and activating a blueprint are audited with before and after."""
from __future__ import annotations

from exam.day.models import Sitting
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import build_day


def test_opening_a_sitting_is_audited_with_before_and_after(app, make_user, login, tmp_path):
    """Every state change is audited with before and after: the sitting's opening changes opened_at."""
    day = build_day(tmp_path)
    chair = login(make_user("chutich", "council_chair"))
    chair.post(f"/exam/sittings/{day.sitting_id}/open", data={"code": day.code})
    assert db.session.get(Sitting, day.sitting_id).opened_at is not None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sitting_opened"))
    assert entry is not None
    assert entry.before is not None and entry.after is not None, (entry.before, entry.after)


def test_activating_a_blueprint_is_audited_with_before_and_after(app, make_user, login, tmp_path):
    """draft -> active: the entry says what the test was before."""
    from exam.models import ExamTest
    from tests.support.factories import round_with_bank, small_test

    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    test = small_test(round_with_bank(tmp_path, author.id, reviewer.id))
    chair = login(make_user("chutich", "council_chair"))
    chair.post(f"/exam/tests/{test.id}/activate")
    assert db.session.get(ExamTest, test.id).status == "active"
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="blueprint_activated"))
    assert entry is not None and entry.before is not None, (entry.before, entry.after)
    assert "draft" in entry.before and "active" in (entry.after or "")
