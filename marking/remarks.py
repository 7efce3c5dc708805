"""C7: re-marking of a paper written test, requested within 5 working days of the results that
published the score; two re-markers, a third if they differ, none of them one of the script's
markers; a re-mark 5 or more points from the published score takes effect only if the council chair
accepts it. A re-mark that stands changes Round2Score only: published versions stay as they were (E5)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, reasons
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.models import Application, User
from recruitment.scores import round2_score

from . import reconciliation
from .models import RemarkRequest
from .service import MarkRefused, Published, check_script, marks_of, published_version, score_row


def add_working_days(start: date, days: int) -> date:
    """C7: working days are Monday to Friday (a Friday plus 5 is the next Friday)."""
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def remark_deadline(application: Application, results_on: date | None = None) -> tuple[date, Published | None]:
    """C7: 5 working days (a rule-set setting) from the version that published the score, else from
    the announcement date HR gives."""
    found = published_version(application)
    start = found.on if found else results_on
    if start is None:
        raise MarkRefused(_("the results are not published in the system: give the date the written results "
                            "were announced (C7)"))
    return add_working_days(start, application.round.rules.remark_working_days), found


def request_remark(application: Application, requested_on: date, results_on: date | None = None) -> RemarkRequest:
    """C7: only for a paper written test, within 5 working days of the results."""
    row = score_row(application)
    if row is None or row.written_source == "computer":
        raise MarkRefused(_("re-marking exists only for a paper written test (C7)"))
    check_script(application)  # a script record_mark would mark: admitted (A4), not cancelled (F3) ...
    if row.written is None or row.written_pending:
        raise MarkRefused(_("the written mark is not settled yet: nothing to re-mark (C7)"))
    if db.session.scalar(select(RemarkRequest.id).filter_by(application_id=application.id)):
        raise MarkRefused(_("a re-marking request is already recorded for this candidate"))
    deadline, found = remark_deadline(application, results_on)
    start = found.on if found else results_on
    if requested_on < start:
        raise MarkRefused(_("the request is dated before the results of %(day)s", day=start.strftime("%d/%m/%Y")))
    if requested_on > deadline:
        raise MarkRefused(_("the request came after the deadline of %(day)s (C7: %(n)d working days)",
                            day=deadline.strftime("%d/%m/%Y"), n=application.round.rules.remark_working_days))
    disputed = found.written if found else row.written
    request = RemarkRequest(application_id=application.id, requested_on=requested_on, deadline=deadline,
                            results_on=start, results_version=found.version if found else None, published=disputed)
    db.session.add(request)
    db.session.flush()
    audit.record("remark_requested", "application", application.id,
                 after={"requested_on": requested_on, "results_on": start, "deadline": deadline,
                        "version": request.results_version, "published": disputed})
    return request


def remarks_of(request: RemarkRequest) -> dict[str, tuple[int, Decimal]]:
    return {k: (marker, Decimal(score)) for k, (marker, score) in json.loads(request.marks).items()}


def remark_needed(request: RemarkRequest) -> str | None:
    """The re-mark C7 asks for next: first, second, a third when they differ; None once marked."""
    if request.status != "marking":
        return None
    marks = remarks_of(request)
    for which in ("first", "second"):
        if which not in marks:
            return which
    return "third" if "third" not in marks and marks["first"][1] != marks["second"][1] else None


def record_remark(request: RemarkRequest, which: str, score: Decimal | None,
                  marker: User) -> reconciliation.Outcome | None:
    """C7: two re-markers, a third if they differ, none of them an original marker. Judged on the request
    as it stands: another re-marker may have recorded theirs since this request loaded it."""
    if as_it_stands(request).status != "marking":
        raise MarkRefused(_("this re-marking is no longer open"))
    if which not in ("first", "second", "third") or score is None or not (0 <= score <= 100):
        raise MarkRefused(_("a mark is from 0 to 100"))
    if which != remark_needed(request):
        raise MarkRefused(_("the re-marks come in turn: first, second, then a third if they differ (C7)"))
    check_script(request.application)  # as it stands now: a selection cancelled since the request (F3)
    if not marker.has_role("marker"):
        raise MarkRefused(_("only a marker marks a script"))
    marks = remarks_of(request)
    # The entry's before: this mark's place, empty (it comes in turn), and the request's state before it.
    before = {"which": which, "score": None, "status": request.status, "outcome": request.outcome}
    originals = {m.marker_id for m in marks_of(request.application).values()}
    if marker.id in originals | {m for m, _s in marks.values()}:
        raise MarkRefused(_("a re-marker is neither an original marker nor another re-marker (C7)"))
    marks[which] = (marker.id, score)
    request.marks = json.dumps({k: [m, str(s)] for k, (m, s) in marks.items()})
    outcome = None
    if "first" in marks and "second" in marks:
        third = marks["third"][1] if "third" in marks else None
        outcome = reconciliation.remark(request.published, marks["first"][1], marks["second"][1],
                                        request.application.round.rules, third)
        if outcome.needs == "chair":
            request.outcome, request.status = outcome.score, "chair"
        elif outcome.needs is None:
            request.outcome, request.status = outcome.score, "done"
            _apply(request, outcome.score)
    audit.record("remark_marked", "application", request.application_id, before=before,
                 after={"which": which, "marker": marker.username, "score": score, "status": request.status,
                        "outcome": request.outcome})
    return outcome


def chair_decides(request: RemarkRequest, chair: User, accept: bool, reason: str) -> None:
    """C7: a re-mark 5 or more points from the published score takes effect only if the chair says so;
    otherwise the published score stays. Decided once: on the request as it stands."""
    if as_it_stands(request).status != "chair":
        raise MarkRefused(_("this re-marking does not wait for the council chair"))
    if not chair.has_role("council_chair"):
        raise MarkRefused(_("only the council chair decides (C7)"))
    check_script(request.application)  # as it stands now: a selection cancelled since the re-marks (F3)
    if not (reason or "").strip():
        raise MarkRefused(_("the decision needs its reason"))
    reasons.check(reason.strip(), MarkRefused)
    request.chair_accepted, request.chair_reason, request.decided_at, request.status = accept, reason.strip(), utcnow(), "done"
    if accept:
        _apply(request, request.outcome)
    audit.record("remark_decided", "application", request.application_id,
                 before={"status": "chair", "accepted": None},
                 after={"status": request.status, "accepted": accept, "outcome": request.outcome, "published": request.published},
                 reason=reason.strip())


def _apply(request: RemarkRequest, score: Decimal) -> None:
    """The written mark changes in the hub; the published versions stay as they were (E5) until the
    council publishes the next version, which then shows the re-marked score."""
    row = round2_score(request.application_id)
    before = {"written": row.written}
    row.written, row.written_pending = score, False
    audit.record("written_remarked", "application", request.application_id, before=before,
                 after={"written": score}, reason="C7")
