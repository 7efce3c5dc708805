"""The paper written test (C3, C7) on the database: two independent markers on anonymised scripts, a
third marker or the head marker where C3 asks, and re-marking requests within 5 working days of the
results with the council chair's decision where C7 asks. The reconciled mark lands in the hub's
Round2Score (source 'marking'); while C3 still waits, the mark stays empty, so the results list
names the candidate as missing a round-2 score and cannot be published.

The head marker's decisions are recorded by the council chair, who heads the marking board in the
councils this system serves; markers are users with the role marker. Markers see a script code,
never the candidate (C3: anonymised scripts)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from recruitment import audit, codes
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import Application, User
from recruitment.scores import Round2Score, round2_score

from . import reconciliation
from .models import RemarkRequest, WrittenMark

MARKS = ("first", "second", "third", "head")
MARK_LABELS = {"first": _l("first marker"), "second": _l("second marker"), "third": _l("third marker"),
               "head": _l("head marker")}


class MarkRefused(ValueError):
    pass


def script_code(application: Application) -> str:
    """The code on the anonymised script (số phách): stable, and meaningless without the app's key."""
    return codes.keyed_hash(f"script:{application.round_id}:{application.id}")[:6].upper()


def marks_of(application: Application) -> dict[str, WrittenMark]:
    return {m.which: m for m in db.session.scalars(select(WrittenMark).filter_by(application_id=application.id))}


def outcome_of(application: Application) -> reconciliation.Outcome | None:
    marks = marks_of(application)
    if "first" not in marks or "second" not in marks:
        return None
    get = lambda which: marks[which].score if which in marks else None  # noqa: E731
    return reconciliation.double_marking(marks["first"].score, marks["second"].score, application.round.rules,
                                         get("third"), get("head"))


def imported(application: Application) -> bool:
    """A final mark that came in a file (formats.md --kind written), double-marked outside the system."""
    row = Round2Score.query.filter_by(application_id=application.id).one_or_none()
    return row is not None and row.written_source == "import" and (row.written is not None or row.written_absent)


def needed(application: Application) -> str | None:
    marks = marks_of(application)
    if not marks and imported(application):
        return None
    for which in ("first", "second"):
        if which not in marks:
            return which
    outcome = outcome_of(application)
    if outcome.needs == "third_marker":
        return "third"
    return "head" if outcome.needs == "head" else None


def record_mark(application: Application, which: str, score: Decimal, marker: User) -> reconciliation.Outcome | None:
    """C3: each mark in its turn, each marker independent of the others."""
    if which not in MARKS:
        raise MarkRefused(_("unknown mark"))
    if score is None or not (0 <= score <= 100):
        raise MarkRefused(_("a mark is from 0 to 100"))
    asked = needed(application)
    if asked != which:
        raise MarkRefused(_("C3 asks now for the %(needed)s", needed=MARK_LABELS[asked]) if asked
                          else _("the written mark is already settled (C3)"))
    if which == "head":
        if not marker.has_role("council_chair"):
            raise MarkRefused(_("the head marker's decision is recorded by the council chair (C3)"))
    else:
        if not marker.has_role("marker"):
            raise MarkRefused(_("only a marker marks a script"))
        if marker.id in {m.marker_id for m in marks_of(application).values()}:
            raise MarkRefused(_("each mark comes from a different marker (C3)"))
    db.session.add(WrittenMark(application_id=application.id, which=which, marker_id=marker.id, score=score))
    db.session.flush()
    outcome = outcome_of(application)
    row = round2_score(application.id)
    before = {"written": row.written}
    row.written = outcome.score if outcome else None  # empty while C3 waits: the results cannot be published
    row.written_source = "marking"
    audit.record("written_marked", "application", application.id, before=before,
                 after={"which": which, "marker": marker.username, "score": score, "written": row.written,
                        "rule": outcome.rule if outcome else "C3"})
    return outcome


def add_working_days(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def published_on(application: Application) -> date | None:
    from results.models import ResultVersion

    latest = db.session.scalar(select(ResultVersion).filter_by(round_id=application.round_id)
                               .order_by(ResultVersion.number.desc()).limit(1))
    return local_time(latest.published_at).date() if latest else None


def request_remark(application: Application, requested_on: date) -> RemarkRequest:
    """C7: only for a paper written test, within 5 working days of the published results."""
    row = round2_score(application.id)
    if row.written is None or row.written_source == "computer":
        raise MarkRefused(_("re-marking exists only for a marked paper written test (C7)"))
    published = published_on(application)
    if published is None:
        raise MarkRefused(_("the results are not published yet: nothing to re-mark (C7)"))
    deadline = add_working_days(published, application.round.rules.remark_working_days)
    if requested_on > deadline:
        raise MarkRefused(_("the request came after the deadline of %(day)s (C7: 5 working days)",
                            day=deadline.strftime("%d/%m/%Y")))
    if db.session.scalar(select(RemarkRequest.id).filter_by(application_id=application.id)):
        raise MarkRefused(_("a re-marking request is already recorded for this candidate"))
    request = RemarkRequest(application_id=application.id, requested_on=requested_on, deadline=deadline,
                            published=row.written)
    db.session.add(request)
    db.session.flush()
    audit.record("remark_requested", "application", application.id,
                 after={"requested_on": requested_on, "deadline": deadline, "published": row.written})
    return request


def remarks_of(request: RemarkRequest) -> dict[str, tuple[int, Decimal]]:
    return {k: (marker, Decimal(score)) for k, (marker, score) in json.loads(request.marks).items()}


def record_remark(request: RemarkRequest, which: str, score: Decimal, marker: User) -> reconciliation.Outcome | None:
    """C7: two re-markers, a third if they differ, none of them an original marker."""
    if request.status != "marking":
        raise MarkRefused(_("this re-marking is no longer open"))
    if which not in ("first", "second", "third") or score is None or not (0 <= score <= 100):
        raise MarkRefused(_("a mark is from 0 to 100"))
    marks = remarks_of(request)
    if which in marks or (which == "second" and "first" not in marks) or (which == "third" and "second" not in marks):
        raise MarkRefused(_("the re-marks come in turn: first, second, then a third if they differ (C7)"))
    if not marker.has_role("marker"):
        raise MarkRefused(_("only a marker marks a script"))
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
    audit.record("remark_marked", "application", request.application_id,
                 after={"which": which, "marker": marker.username, "score": score, "status": request.status})
    return outcome


def chair_decides(request: RemarkRequest, chair: User, accept: bool, reason: str) -> None:
    """C7: a re-mark 5 or more points from the published score takes effect only if the chair says so."""
    if request.status != "chair":
        raise MarkRefused(_("this re-marking does not wait for the council chair"))
    if not chair.has_role("council_chair"):
        raise MarkRefused(_("only the council chair decides (C7)"))
    if not reason.strip():
        raise MarkRefused(_("the decision needs its reason"))
    request.chair_accepted, request.chair_reason, request.decided_at, request.status = accept, reason, utcnow(), "done"
    if accept:
        _apply(request, request.outcome)
    audit.record("remark_decided", "application", request.application_id,
                 after={"accepted": accept, "outcome": request.outcome}, reason=reason)


def _apply(request: RemarkRequest, score: Decimal) -> None:
    """The written mark changes in the hub; the published list stays as it was until HR publishes the
    next version, which then shows the re-marked score."""
    row = round2_score(request.application_id)
    before = {"written": row.written}
    row.written = score
    audit.record("written_remarked", "application", request.application_id, before=before,
                 after={"written": score}, reason="C7")
