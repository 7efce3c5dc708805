"""A4: an application HR rejects after it was admitted and seated (a forged diploma found before the
exam) no longer sits: its candidate number and code open no test, and the refusal says why."""
from exam.day import admission
from exam.day.seating import Refused
from recruitment import applications
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application
from tests.support.factories import build_day


def test_a_rejected_application_does_not_log_in_to_its_test(app, tmp_path):
    day = build_day(tmp_path)
    number, code = next(iter(day.access.items()))
    application = db.session.scalar(db.select(Application).filter_by(round_id=day.round_id, candidate_number=number))
    applications.reject(application, "Bằng đại học giả")
    db.session.commit()
    try:
        admission.login(day.round_id, number, code, utcnow())
    except Refused as refused:
        assert "Bằng đại học giả" in str(refused)
    else:
        raise AssertionError("a rejected application logged in to its test")
