"""G6: the audit log reads as words: a sanction's incident keeps the proctor's reason as its note and the
sanction as a labelled field (it read "warning: Sử dụng tài liệu"); a reissued ticket names the
candidate and the seat, not a placement's id."""
import re

from exam.day import proctoring, seating
from exam.day.models import Placement, Sitting
from recruitment.extensions import db
from tests.support.candidate import started
from tests.support.factories import build_day, staffed


def test_the_audit_log_shows_no_code_of_exam_day(app, tmp_path, make_user, login):
    day = build_day(tmp_path)
    placement = started(day)
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", staffed(day, make_user("gt", "proctor")))
    other = db.session.scalar(db.select(Placement).where(Placement.id != placement.id))
    seating.issue_access_codes(db.session.get(Sitting, day.sitting_id), only=other)
    db.session.commit()
    page = login(make_user("gs", "supervisor")).get("/audit/").get_data(as_text=True)
    text = re.sub(r"<[^>]*>", " ", page)
    assert "warning:" not in text
    assert "placement" not in text
