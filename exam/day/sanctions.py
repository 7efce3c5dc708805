"""B6 as proctors and the council chair act on it: what each sanction does, said before it is done
(the confirmation names its consequence), and the chair's withdrawal of a sanction recorded in
error, with its reason and the count before and after in the audit log."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment import audit, reasons
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import User
from recruitment.scores import SANCTIONS

from .. import recorded, scoring
from ..models import CLOSED_BY_SITTING, Attempt, ExamTest
from .models import Incident, Placement
from .seating import Refused, deadline_of, sitting_of
from .standing import standing


def who(placement: Placement) -> str:
    """How every console message names a candidate: number and seat, as the proctor sees them."""
    return _("candidate %(number)s (seat %(seat)s)", number=placement.attempt.application.number_label,
             seat=placement.seat.label)


def consequence(kind: str, placement: Placement, reason: str) -> str:
    """The sentence the confirmation shows before a sanction is recorded."""
    fractions = placement.attempt.form.test.round.rules.sanction_fractions
    if kind == "suspension":
        return _("Suspend %(who)s from the test (B6): the test is handed in now and void, it is not graded and "
                 "the candidate fails round 1. Only the council chair can withdraw it. Reason: %(reason)s",
                 who=who(placement), reason=reason)
    if kind not in SANCTIONS:
        raise Refused(_("a sanction needs its kind and its reason (B6)"))
    return _("%(sanction)s for %(who)s (B6): %(percent)s%% of the correct answers are taken off the count. "
             "Only the council chair can withdraw it. Reason: %(reason)s",
             sanction=_("A reprimand") if kind == "reprimand" else _("A warning"), who=who(placement),
             percent=int(fractions.get(kind, 0) * 100), reason=reason)


def refuse_once_published(attempt: Attempt) -> None:
    """E5: once the round's results are published, a test's recorded result is final, as the score files
    and the interviews say (recruitment/score_files.py, interviews/service.py): no sanction, withdrawal or
    replacement rewrites it; only a neutralised question (B7) changes it, and publishes a new version.
    Read as the round stands: it may have been published since the request loaded it."""
    round_ = db.session.get(ExamTest, attempt.test_id).round
    published = as_it_stands(round_, shared=True).results_published_at
    if published is not None:
        raise Refused(_("The results of round %(round)s were published on %(day)s: the result of this test is final, "
                        "and no sanction, withdrawal or replacement changes it (E5). A result changes only when a "
                        "faulty question is neutralised (B7).",
                        round=round_.code, day=local_time(published).strftime("%d/%m/%Y")))


def _record(attempt: Attempt) -> dict:
    shown = standing(attempt)
    counted = None if shown.counted is None else str(shown.counted.normalize())
    return {"sanction": attempt.sanction, "reason": attempt.sanction_reason, "correct_counted": counted,
            "passed": attempt.passed, "status": attempt.status}


def withdraw(attempt: Attempt, reason: str, by: User) -> None:
    """The council chair takes back a sanction recorded in error; a graded test is graded again, so
    the count, the result and the round-1 result follow. An attempt a suspension collected stays
    handed in: its answers up to that moment are graded. One it closed before it began opens again
    while its sitting lasts (after it, the candidate was kept out: absent, as any who did not sit)."""
    if not reason.strip():
        raise Refused(_("give the reason for withdrawing the sanction (B6)"))
    reasons.check(reason, Refused)
    refuse_once_published(attempt)
    if not as_it_stands(attempt).sanction:
        raise Refused(_("this candidate has no sanction to withdraw"))
    if attempt.status == "voided":  # its retake carries the sanction (B5, form_draws.draw_retake): lifted there too
        for retake in db.session.scalars(db.select(Attempt).where(
                Attempt.test_id == attempt.test_id, Attempt.application_id == attempt.application_id,
                Attempt.id > attempt.id, Attempt.sanction == attempt.sanction)):
            withdraw(retake, reason, by)
    before = _record(attempt)
    attempt.sanction = attempt.sanction_reason = None
    if attempt.status == CLOSED_BY_SITTING and attempt.started_at is None \
            and utcnow() < deadline_of(attempt, sitting_of(attempt)):
        attempt.status, attempt.submitted_at = "not_started", None
        recorded.forget_graded(attempt.form.test, attempt.application_id)  # void, it kept the test shut
    if attempt.status in scoring.GRADABLE:
        scoring.grade([attempt.id])
    audit.record("sanction_withdrawn", "exam_attempt", attempt.id, before=before, after=_record(attempt),
                 reason=reason.strip())
    db.session.add(Incident(attempt_id=attempt.id, kind="sanction_withdrawn", note=reason.strip(), by_id=by.id))
