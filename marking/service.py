"""The paper written test (C3, C7) on the database: two independent markers on anonymised scripts, a
third marker or the head marker where C3 asks, and re-marking requests within 5 working days of the
results with the council chair's decision where C7 asks. The reconciled mark lands in the hub's
Round2Score (source 'marking'). While C3 waits for the third marker or the head marker, the mark
stays empty and Round2Score.written_pending is set: the results list names the candidate as waiting
(C3) and cannot be published. Marks given outside the system come in a file (`scores import --kind
written`, importing.py) that names each marker and lands as C3's marks (docs/marking.md); HR records
here only a candidate's absence (source 'manual'), and such a script is not marked again.

Design decisions:
- The head marker (trưởng ban chấm thi) is the council chair: in the councils this system serves the
  chair heads the marking board, so there is one head marker per round without a separate
  designation to keep up to date. The head marker's decisions and C7's decisions are both the
  chair's. Markers are users with the role marker; the same person never gives two marks of one
  script, and a re-marker is never one of the script's original markers.
- C3's second marker is drawn at random among the active markers other than the first, when the first
  mark is recorded, and only they give the second mark. Should they leave the marking board (no
  longer an active marker), any other marker may give it.
- C7's deadline: 5 working days (Monday to Friday; public holidays are not modelled) counted from the
  publication date, in the app's time zone, of the results version that first showed the disputed
  written score. With no version published in the system (results announced on paper), HR gives the
  announcement date and the deadline counts from it. A re-mark that stands, or that the chair
  accepts, changes Round2Score only: published versions are frozen (E5); the results page shows that
  the recorded scores differ from the latest version, and the council publishes the next one.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, codes, errors, labels, registry
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import Application, Position, Round, User
from recruitment.scores import Round2Score, passed_round1, round1_parts, round2_score

from . import reconciliation
from .models import SecondMarker, WrittenMark

MARKS = ("first", "second", "third", "head")
MARK_LABELS = labels.MARK  # the one catalogue (recruitment/labels.py)
FINAL_SOURCES = ("import", "manual")  # a final mark double-marked outside the system
WRITTEN_FORMS = ("written", "written_interview")  # C1: the round-2 forms with a written part
RECORDED_DECIMALS = WrittenMark.__table__.c.score.type.scale  # a mark is recorded with 2 decimals (C6)


class MarkRefused(errors.Refused):
    pass


def decimals_refusal(mark: Decimal, named: str) -> str | None:
    """Why a mark with more decimals than a mark is recorded with is refused, or None: rounded on the
    way to the database, 75.004 would be judged by C3 as typed and stored as 75.00, and the script
    would wait for a mark that the stored marks never ask for. Refused, C3 decides on the marks as
    recorded. `named`: which mark it is, in words."""
    if mark == round(mark, RECORDED_DECIMALS):
        return None
    return _("the %(which)s's mark %(mark)s has more than %(n)d decimals: a mark is recorded with %(n)d decimals "
             "(C3, C6)", which=named, mark=mark, n=RECORDED_DECIMALS)


def script_code(application: Application) -> str:
    """The code on the anonymised script (số phách): stable, and meaningless without the app's key.
    Eight hex digits keep two scripts of a round from sharing one (1 in 8,600 for 1,000 scripts);
    `find_script` refuses a code that is not unique rather than guess."""
    return codes.keyed_hash(f"script:{application.round_id}:{application.id}")[:8].upper()


def computer_positions(round_id: int) -> set[int]:
    """Positions whose round-2 written test is on computer (C2), as the exam answers through the
    registry (the marking never imports the exam)."""
    return set(registry.provider(current_app, "round2_written_tests", lambda _round_id: {})(round_id))


def refusal(application: Application, parts: dict | None = None, computer: set[int] | None = None,
            scores: dict[int, Round2Score] | None = None) -> str | None:
    """Why this candidate has no script of a paper written test to mark, or None when they have one:
    admitted (A4), not cancelled (F3), round 1 passed by the rule set (B0, B2, B9, L1), the position's
    round 2 has a written part (C1) and it is on paper, not on computer (C2, C3)."""
    if application.status != "admitted":
        return _("this application is not admitted (A4): it has no script to mark")
    if application.cancelled:
        return _("this application is cancelled (F3): its script is not marked")
    if application.position.round2_form not in WRITTEN_FORMS:
        return _("this candidate's position has no written test in round 2 (C1)")
    if not passed_round1(application, parts):
        return _("this candidate did not pass round 1 (B2, B9): not admitted to the written test")
    if computer is None:
        computer = computer_positions(application.round_id)
    row = score_row(application) if scores is None else scores.get(application.id)
    if application.position_id in computer or (row is not None and row.written_source == "computer"):
        return _("this candidate's written test was on computer: it is not marked by hand (C2, C3)")
    return None


def admitted_scripts(round_: Round, scores: dict[int, Round2Score] | None = None) -> list[Application]:
    """The scripts of the round's paper written test, in script-code order: an order that says
    nothing of the candidates (C3). scores: score_rows(round_), when the caller has them."""
    parts, computer = round1_parts(round_.id), computer_positions(round_.id)
    scores = score_rows(round_) if scores is None else scores
    query = (select(Application).join(Position)
             .where(Application.round_id == round_.id, Application.status == "admitted",
                    Application.cancelled.is_(False), Position.round2_form.in_(WRITTEN_FORMS)))
    scripts = [a for a in db.session.scalars(query) if refusal(a, parts.get(a.id, {}), computer, scores) is None]
    return sorted(scripts, key=script_code)


def find_script(round_: Round, code: str) -> Application:
    """The script a code names within its round, resolved on the server: the pages and their URLs
    carry only the code (C3). The code is checked against every application of the round, so an
    unknown code and a refused candidate both get their reason."""
    wanted = (code or "").strip().upper()
    found = [a for a in db.session.scalars(select(Application).filter_by(round_id=round_.id))
             if script_code(a) == wanted]
    if len(found) != 1:
        raise MarkRefused(_("no script with the code %(code)s in this round", code=wanted[:12]))
    return found[0]


def changes_only_by_remarking() -> str:
    """How a written mark may still change once the results are published (C7)."""
    return _("A written mark changes only by re-marking, at the candidate's request (C7).")


def refuse_once_published(application: Application) -> None:
    """E5: once the round's results are published no mark or absence is recorded here, as the written
    file's import refuses them (recruitment/score_files.py): a script left unmarked at publication
    would otherwise move the recorded written score under the published list. Read as the round
    stands: it may have been published since the request loaded it."""
    published = as_it_stands(application.round, shared=True).results_published_at
    if published is not None:
        raise MarkRefused(_("The results of round %(round)s were published on %(day)s: a written mark is no longer "
                            "recorded here (E5). %(how)s", round=application.round.code,
                            day=local_time(published).strftime("%d/%m/%Y"), how=changes_only_by_remarking()))


def check_script(application: Application) -> None:
    reason = refusal(application)
    if reason:
        raise MarkRefused(reason)


def audit_refusal(round_: Round, code: str, attempted: dict, refused: Exception, user: User) -> None:
    """Every refused mark is audited with its reason, in its own transaction (the refused change is
    rolled back). Only the script code is recorded: the audit log does not undo C3's anonymity."""
    audit.record("written_mark_refused", "round", round_.id, reason=str(refused),
                 after={"script": (code or "")[:12].upper(), "by": user.username, **attempted})


def marks_of(application: Application) -> dict[str, WrittenMark]:
    return {m.which: m for m in db.session.scalars(select(WrittenMark).filter_by(application_id=application.id))}


def outcome_of(application: Application) -> reconciliation.Outcome | None:
    return outcome_from(marks_of(application), application.round.rules)


def outcome_from(marks: dict[str, WrittenMark], rules) -> reconciliation.Outcome | None:
    """C3 on a script's marks (marks_of's), None before its first two."""
    if "first" not in marks or "second" not in marks:
        return None
    get = lambda which: marks[which].score if which in marks else None  # noqa: E731
    return reconciliation.double_marking(marks["first"].score, marks["second"].score, rules, get("third"), get("head"))


def score_row(application: Application) -> Round2Score | None:
    return Round2Score.query.filter_by(application_id=application.id).one_or_none()


def score_rows(round_: Round) -> dict[int, Round2Score]:
    """Every round-2 score row of the round, by application: one statement for a page of scripts."""
    return {row.application_id: row for row in db.session.scalars(
        select(Round2Score).join(Application, Application.id == Round2Score.application_id)
        .where(Application.round_id == round_.id))}


def imported(application: Application) -> bool:
    return imported_in(score_row(application))


def imported_in(row: Round2Score | None) -> bool:
    """An absence HR recorded (or a result that came in a file), with no mark recorded here: the
    script is not marked again."""
    return row is not None and row.written_source in FINAL_SOURCES and (row.written is not None or row.written_absent)


def needed(application: Application) -> str | None:
    """The mark C3 asks for next, or None when the written mark is settled (or not marked here)."""
    return needed_from(marks_of(application), score_row(application), application.round.rules)


def needed_from(marks: dict[str, WrittenMark], row: Round2Score | None, rules) -> str | None:
    """needed, on a script's marks and score row as read (marking/page.py reads a whole round's at once)."""
    if not marks and (imported_in(row) or (row is not None and row.written_source == "computer")):
        return None
    for which in ("first", "second"):
        if which not in marks:
            return which
    outcome = outcome_from(marks, rules)
    if outcome.needs == "third_marker":
        return "third"
    return "head" if outcome.needs == "head" else None


def second_marker(application: Application) -> User | None:
    """C3: the marker drawn to give the script's second mark, while they are still an active marker."""
    return still_marking(db.session.get(SecondMarker, application.id))


def still_marking(drawn: SecondMarker | None) -> User | None:
    if drawn is None or not drawn.marker.active or not drawn.marker.has_role("marker"):
        return None
    return drawn.marker


def _draw_second_marker(application: Application, first: User) -> User:
    """C3: the second marker, at random among the active markers other than the first (drawn with the
    system's random source: no one, the first marker included, can tell or steer who it falls to)."""
    others = db.session.scalars(select(User).where(User.active.is_(True), User.roles.any(name="marker"),
                                                   User.id != first.id).order_by(User.id)).all()
    if not others:
        raise MarkRefused(_("C3 draws the second marker at random among the other markers, and there is none: "
                            "the marking board needs a second marker"))
    drawn = secrets.SystemRandom().choice(others)
    db.session.merge(SecondMarker(application_id=application.id, marker_id=drawn.id, drawn_at=utcnow()))
    audit.record("second_marker_drawn", "application", application.id, before=None,
                 after={"marker": first.username, "drawn": drawn.username, "among": len(others)})
    return drawn


def record_mark(application: Application, which: str, score: Decimal | None, marker: User,
                entered_by: User | None = None) -> reconciliation.Outcome | None:
    """C3: each mark in its turn, each marker independent of the others. `entered_by` is who typed
    the mark in when it is not the marker (HR copying a paper score sheet)."""
    if which not in MARKS:
        raise MarkRefused(_("unknown mark"))
    if score is None or not (0 <= score <= 100):
        raise MarkRefused(_("a mark is from 0 to 100"))
    if refused := decimals_refusal(score, MARK_LABELS[which]):
        raise MarkRefused(refused)
    refuse_once_published(application)
    check_script(application)
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
        drawn = second_marker(application) if which == "second" else None
        if drawn is not None and drawn.id != marker.id:
            raise MarkRefused(_("the second mark of this script falls to another marker, drawn at random (C3)"))
    db.session.add(WrittenMark(application_id=application.id, which=which, marker_id=marker.id, score=score,
                               entered_by_id=(entered_by or marker).id))
    if which == "first":
        _draw_second_marker(application, marker)
    db.session.flush()
    outcome = outcome_of(application)
    row = round2_score(application.id)
    before = {"written": row.written, "pending": row.written_pending}
    # Empty while C3 waits; pending while the third marker or the head marker is awaited: the results
    # cannot be published meanwhile.
    row.written = outcome.score if outcome else None
    row.written_pending = bool(outcome and outcome.needs)
    row.written_absent = False
    row.written_source = "marking"
    audit.record("written_marked", "application", application.id, before=before,
                 after={"which": which, "marker": marker.username, "score": score, "written": row.written,
                        "pending": row.written_pending, "rule": outcome.rule if outcome else "C3",
                        "entered_by": (entered_by or marker).username})
    return outcome


def record_absence(application: Application, user: User) -> None:
    """HR records that the candidate did not sit the paper written test. A mark comes only from the
    markers (C3), on this page or in the import that names them (docs/marking.md): one path, so that
    no written score stands without the markers behind it."""
    if not user.has_role("hr"):
        raise MarkRefused(_("only HR records an absence from the written test"))
    refuse_once_published(application)
    check_script(application)
    if marks_of(application):
        raise MarkRefused(_("this script is being marked here: its mark comes from the markers (C3)"))
    row = round2_score(application.id)
    before = {"written": row.written, "absent": row.written_absent, "source": row.written_source}
    row.written_absent, row.written, row.written_pending, row.written_source = True, None, False, "manual"
    audit.record("written_absent", "application", application.id, before=before,
                 after={"written": None, "absent": True, "source": "manual"})


@dataclass(frozen=True)
class Published:
    """The results version that first showed the candidate's current published written score."""
    version: int
    on: date
    written: Decimal


def published_version(application: Application) -> Published | None:
    """Walks the round's versions back from the latest while the candidate's written score stays the
    same: a later version published for another reason (a cancellation, a tie decision) does not
    move the start of C7's 5 working days."""
    history = registry.provider(current_app, "published_written", lambda _round, _application_id: [])(
        application.round, application.id)  # the results answer it: the marking never imports them
    found = None
    for number, published_at, written in reversed(history):
        if not written or (found is not None and Decimal(written) != found.written):
            break
        found = Published(number, local_time(published_at).date(), Decimal(written))
    return found


def published_on(application: Application) -> date | None:
    found = published_version(application)
    return found.on if found else None
