"""Interviews on the database: who is due, the schedule, declarations, independent scoring,
the head's reconciliation (C4), all written to the hub's Round2Score and audited."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from recruitment import audit, errors, reasons, registry
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time, local_today
from recruitment.models import Application, Position, Round, User
from recruitment.scores import passed_round1, round1_parts, round2_score

from . import heads, reconciliation, rubrics, scheduling
from .models import Board, Interview, Relation, Score, Substitute, Unavailability


class Refused(errors.Refused):
    pass


# What blocks a placement or a move, as the scheduler names it (scheduling.py).
MOVE_REFUSALS = {
    "no_board_for_position": _l("no board interviews for this position"),
    "relation": _l("a member of the board is related to the candidate (G5)"),
    "board_busy": _l("the board has another interview at that time"),
    "interviewer_busy": _l("a member of the board sits on another interview at that time"),
    "interviewer_unavailable": _l("a member of the board declared that time unavailable"),
    "before_written_test": _l("that time is before the written test (C4)"),
}


INTERVIEW_FORMS = ("written_interview", "interview")


def refusal(application: Application, parts: dict) -> str | None:
    """Why this candidate has no interview to score, or None when they have one: what `due` selects
    (A4, F3, C1, B0, B2, B9), for a score that comes from a file rather than a board."""
    if application.status != "admitted":
        return _("this application is not admitted (A4): it has no interview")
    if application.cancelled:
        return _("this application is cancelled (F3): it has no interview")
    if application.position.grade == "nhan_vien":
        return _("this candidate's position takes one oral or practical test, not an interview (B0)")
    if application.position.round2_form not in INTERVIEW_FORMS:
        return _("this candidate's position has no interview in round 2 (C1)")
    if not passed_round1(application, parts):
        return _("this candidate did not pass round 1 (B2, B9): not admitted to the interview")
    return None


def due(round_: Round) -> list[Application]:
    parts = round1_parts(round_.id)
    query = (select(Application).join(Position).where(
        Application.round_id == round_.id, Application.status == "admitted", Application.cancelled.is_(False),
        Position.round2_form.in_(INTERVIEW_FORMS), Position.grade != "nhan_vien").order_by(Application.candidate_number))
    return [a for a in db.session.scalars(query) if passed_round1(a, parts.get(a.id, {}))]


def problem_for(round_: Round, days: list[datetime], first: str, last: str, minutes: int, gap: int = 0,
                only: list[Application] | None = None) -> scheduling.Problem:
    boards = db.session.scalars(select(Board).filter_by(round_id=round_.id)).all()
    slots = scheduling.day_slots(days, first, last, minutes, gap)
    relations: dict[int, set[int]] = {}
    for r in db.session.scalars(select(Relation)):
        relations.setdefault(r.user_id, set()).add(r.application_id)
    candidates = only if only is not None else due(round_)
    written_ends = written_test_ends(round_)
    return scheduling.Problem(
        slot_minutes=minutes,
        boards=[scheduling.Board(b.id, frozenset({b.head_id, *(m.id for m in b.members)}), frozenset(b.position_list), slots)
                for b in boards],
        candidates=[scheduling.Candidate(a.id, a.position.code, written_ends.get(a.position_id)) for a in candidates],
        relations=relations,
        unavailable=unavailable_periods(round_))


def written_test_ends(round_: Round) -> dict[int, datetime]:
    """C4's timing: a position's interviews come after its round-2 written test on computer, that is
    after the end of its last sitting (local time, which interviews use). The exam answers it through
    the registry: the interviews never import the exam."""
    tests = registry.provider(current_app, "round2_written_tests", lambda _round_id: {})(round_.id)
    return {position_id: ends for position_id, ends in tests.items() if ends is not None}


def unavailable_periods(round_: Round) -> dict[int, list[tuple[datetime, datetime]]]:
    periods: dict[int, list[tuple[datetime, datetime]]] = {}
    for u in db.session.scalars(select(Unavailability).filter_by(round_id=round_.id)):
        periods.setdefault(u.user_id, []).append((u.starts_at, u.ends_at))
    return periods


def declare_unavailable(user: User, round_: Round, starts_at: datetime, ends_at: datetime, note: str = "") -> Unavailability:
    if ends_at <= starts_at:
        raise Refused(_("the end of an unavailable period comes after its start"))
    reasons.check(note, Refused)
    period = Unavailability(user_id=user.id, round_id=round_.id, starts_at=starts_at, ends_at=ends_at, note=note)
    db.session.add(period)
    db.session.flush()
    audit.record("interviewer_unavailable", "round", round_.id,
                 after={"user": user.username, "from": starts_at, "to": ends_at}, reason=note or None)
    return period


def withdraw_unavailable(period: Unavailability, user: User) -> None:
    if period.user_id != user.id:
        raise Refused(_("only the interviewer who declared a period withdraws it"))
    audit.record("interviewer_unavailable_withdrawn", "round", period.round_id,
                 before={"user": user.username, "from": period.starts_at, "to": period.ends_at})
    db.session.delete(period)


def clashes_with_unavailability(round_: Round) -> list[tuple[Interview, User]]:
    """Interviews already scheduled in a period a member declared afterwards: HR moves them."""
    periods = unavailable_periods(round_)
    found = []
    for interview in db.session.scalars(select(Interview).join(Board).where(Board.round_id == round_.id)):
        end = interview.starts_at + timedelta(minutes=interview.minutes)
        for member in {interview.board.head, *interview.board.members}:
            if any(interview.starts_at < b and a < end for a, b in periods.get(member.id, ())):
                found.append((interview, member))
    return found


def move(interview: Interview, board: Board, starts_at: datetime) -> None:
    """A manual move, checked against the scheduler's own constraints (C4, G5); refused once a score
    is in, since the panel that scored would no longer be the panel on record."""
    round_ = interview.board.round
    if board.round_id != round_.id:
        raise Refused(_("that board belongs to another round"))
    if db.session.scalar(select(Score.id).where(Score.interview_id == interview.id, Score.submitted_at.is_not(None))):
        raise Refused(_("a score is already submitted for this interview: it cannot move"))
    interviews = db.session.scalars(select(Interview).join(Board).where(Board.round_id == round_.id)).all()
    problem = problem_for(round_, [], "00:00", "00:00", interview.minutes,
                          only=[i.application for i in interviews])
    placements = [scheduling.Placement(i.application_id, i.board_id, i.starts_at) for i in interviews]
    refusal = scheduling.move_refusal(problem, placements, interview.application_id, board.id, starts_at)
    if refusal:
        raise Refused(_("the move is refused: %(why)s", why=MOVE_REFUSALS[refusal]))
    before = {"board": interview.board_id, "starts_at": interview.starts_at}
    interview.board_id, interview.starts_at = board.id, starts_at
    audit.record("interview_moved", "interview", interview.id, before=before,
                 after={"board": board.id, "starts_at": starts_at})


def build_schedule(round_: Round, days: list[datetime], first: str, last: str, minutes: int, gap: int = 0):
    if minutes > round_.rules.interview_max_minutes:  # C4
        raise Refused(_("an interview lasts at most %(n)d minutes (C4)", n=round_.rules.interview_max_minutes))
    if minutes < 1 or not 0 <= gap <= scheduling.DAY_MINUTES:
        raise Refused(_("an interview lasts at least a minute, and the gap between two is from 0 to %(n)d minutes",
                        n=scheduling.DAY_MINUTES))
    gone = sorted(d.date() for d in days if d.date() < local_today())  # today as the council counts it
    if gone:
        raise Refused(_("Interviews are scheduled from today on: the day %(day)s has gone by.",
                        day=gone[0].strftime("%d/%m/%Y")))
    scheduled = set(db.session.scalars(select(Interview.application_id)))
    pending = [a for a in due(round_) if a.id not in scheduled]
    problem = problem_for(round_, days, first, last, minutes, gap, pending)
    # Slots already used by earlier interviews stay taken.
    taken = {(i.board_id, i.starts_at) for i in db.session.scalars(select(Interview))}
    problem.boards = [scheduling.Board(b.id, b.members, b.positions, tuple(s for s in b.slots if (b.id, s) not in taken))
                      for b in problem.boards]
    result = scheduling.schedule(problem)
    for p in result.placements:
        db.session.add(Interview(board_id=p.board, application_id=p.candidate, starts_at=p.start, minutes=minutes))
    audit.record("interviews_scheduled", "round", round_.id,
                 after={"placed": len(result.placements), "unplaced": len(result.unplaced)})
    return result


def refuse_once_published(interview: Interview) -> None:
    """E5: once the round's results are published, an interview's score is final (as the score file's
    import says, recruitment/score_files.py): no declaration, score, correction, replacement or head's
    decision changes it. Read as the round stands: it may have been published since the request began."""
    round_ = interview.board.round
    published = as_it_stands(round_, shared=True).results_published_at
    if published is not None:
        raise Refused(_("The results of round %(round)s were published on %(day)s: this interview's score is final "
                        "(E5).", round=round_.code, day=local_time(published).strftime("%d/%m/%Y")))


def panel(interview: Interview) -> set[int]:
    """Who interviews this candidate: the board (head included), less those replaced after declaring a
    conflict, plus the substitutes the head appointed (C4)."""
    members = {m.id for m in interview.board.members} | {interview.board.head_id}
    for sub in db.session.scalars(select(Substitute).filter_by(interview_id=interview.id)):
        members.discard(sub.replaced_id)
        members.add(sub.substitute_id)
    return members


def replace_member(interview: Interview, head: User, replaced: User, substitute: User, reason: str = "") -> Substitute:
    """C4: the head replaces, for this interview only, a member who declared a conflict or who cannot sit
    (with the reason, before their score is in: else the mean waits for ever), by one free then and not
    related to the candidate (G5). The council chair appoints in a conflicted or replaced head's place."""
    refuse_once_published(interview)
    if replaced.id == interview.board.head_id:  # the head is not the one to choose their own replacement
        if head.id == replaced.id or not head.has_role("council_chair") or heads.has_conflict(interview, head):
            raise Refused(_("the council chair appoints the board head's replacement (C4)"))
    else:
        _as_deciding_head(interview, head, _("only the board head appoints a replacement (C4)"))
    if replaced.id not in panel(interview):
        raise Refused(_("this interviewer is not on this interview's panel"))
    declared = db.session.scalar(select(Score).filter_by(interview_id=interview.id, user_id=replaced.id)
                                 .with_for_update())  # a score submitted meanwhile keeps its author on
    if declared is not None and declared.submitted_at:
        raise Refused(_("this interviewer's score is in: it stands, and they are not replaced (C4)"))
    if (declared is None or not declared.conflict) and not reason.strip():
        raise Refused(_("say why this interviewer cannot sit (C4): only one who declared a conflict is replaced "
                        "without a reason"))
    reasons.check(reason, Refused)
    already = _("this interviewer is already replaced on this interview")
    if db.session.scalar(select(Substitute.id).filter_by(interview_id=interview.id, replaced_id=replaced.id)):
        raise Refused(already)  # a second click, a second tab
    if not substitute.active or not substitute.has_role("interviewer") or substitute.id in panel(interview):
        raise Refused(_("the replacement is an active interviewer not already on this panel"))
    if db.session.scalar(select(Relation.id).filter_by(user_id=substitute.id, application_id=interview.application_id)):
        raise Refused(_("the replacement declared a relation to this candidate (G5)"))
    end = interview.starts_at + timedelta(minutes=interview.minutes)
    for other in db.session.scalars(select(Interview).where(Interview.id != interview.id, Interview.starts_at < end)):
        if interview.starts_at < other.starts_at + timedelta(minutes=other.minutes) and substitute.id in panel(other):
            raise Refused(_("the replacement sits on another interview at that time"))
    if any(interview.starts_at < b and a < end for a, b in unavailable_periods(interview.board.round).get(substitute.id, ())):
        raise Refused(_("the replacement declared that time unavailable"))
    sub = Substitute(interview_id=interview.id, replaced_id=replaced.id, substitute_id=substitute.id)
    try:
        with db.session.begin_nested():  # another request's replacement, committed since the look above
            db.session.add(sub)
    except IntegrityError:
        raise Refused(already) from None
    audit.record("interviewer_replaced", "interview", interview.id,
                 after={"replaced": replaced.username, "substitute": substitute.username}, reason=reason.strip() or None)
    return sub


def declare(interview: Interview, user: User, conflict: bool, note: str = "") -> Score:
    """C4, G5: before scoring, no prohibited relationship confirmed, or a conflict declared (the head replaces them)."""
    refuse_once_published(interview)
    if user.id not in panel(interview):
        raise Refused(_("you are not on this board"))
    score = db.session.scalar(select(Score).filter_by(interview_id=interview.id, user_id=user.id))
    # The declaration it changes (a confirmation taken back for a conflict, say), None for a first one.
    before = None if score is None else {"user": user.username, "conflict": score.conflict}
    if score is None:
        score = Score(interview_id=interview.id, user_id=user.id)
        db.session.add(score)
    if score.submitted_at:
        raise Refused(_("your score is already submitted"))
    if score.conflict:  # G5: the relation is on record (and in the scheduler's constraints); it is not taken back
        raise Refused(_("you declared a conflict with this candidate: it stands, and the board head replaces you (C4)"))
    reasons.check(note, Refused)  # a declared conflict's note is the head's reason to replace them
    score.conflict, score.conflict_note, score.declared_at = conflict, note or None, utcnow()
    if conflict:
        db.session.add(Relation(user_id=user.id, application_id=interview.application_id, note=note))
    audit.record("interview_declaration", "interview", interview.id, before=before,
                 after={"user": user.username, "conflict": conflict}, reason=note or None)
    return score


def submit(interview: Interview, user: User, points: list[Decimal]) -> Score:
    as_it_stands(interview)  # the head may have decided since this request loaded it (reconcile keeps it)
    refuse_once_published(interview)
    if user.id not in panel(interview):  # replaced since they declared (C4): their score would not count
        raise Refused(_("you are not on this board"))
    score = db.session.scalar(select(Score).filter_by(interview_id=interview.id, user_id=user.id))
    if score is None:
        raise Refused(_("confirm first that you have no prohibited relationship with the candidate (C4)"))
    if score.conflict:
        raise Refused(_("you declared a conflict: you do not score this candidate"))
    if score.submitted_at:
        raise Refused(_("your score is already submitted and locked"))
    if refused := rubrics.points_refusal(rubrics.rubric_for(interview.application.position), points):
        raise Refused(refused)  # C4 judges the spread on the totals as recorded
    score.criteria = json.dumps([str(p) for p in points])
    score.total, score.submitted_at = sum(points, Decimal(0)), utcnow()
    audit.record("interview_scored", "interview", interview.id, after={"user": user.username, "total": score.total})
    reconcile(interview)
    return score


def _as_deciding_head(interview: Interview, user: User, refusal: str) -> None:
    if heads.conflicted_head(interview, user):
        raise Refused(_("you have a conflict with this candidate (C4, G5): the council chair decides in your place"))
    if not heads.deciding_head(interview, user):
        raise Refused(refusal)


def _scored_before_reading(interview: Interview, head: User) -> None:
    """C4: a head who sits on the panel scores before reading the others' scores, which a decision or a
    correction is made on (the council chair deciding in a conflicted head's place does not score)."""
    if head.id in awaited(interview):
        raise Refused(_("Score this candidate yourself first: nobody reads the others' scores before submitting "
                        "their own (C4)."))


def correct(score: Score, head: User, points: list[Decimal], reason: str) -> None:
    """A submitted score is locked: the interviewer asks, the board head (deciding_head) records the
    correction with its reason; the old and new points stay in the audit log, and the interview is
    reconciled again."""
    interview = as_it_stands(score.interview)
    refuse_once_published(interview)
    _as_deciding_head(interview, head, _("only the board head corrects a submitted score"))
    _scored_before_reading(interview, head)
    if score.user_id == head.id:  # C4: having read the others' scores, a head would bring the spread under 10
        raise Refused(_("nobody corrects their own score once submitted: it is locked, and the others' scores "
                        "were read since (C4)"))
    if not score.submitted_at:
        raise Refused(_("only a submitted score is corrected; the interviewer still edits their own"))
    if not reason.strip():
        raise Refused(_("a correction needs its reason"))
    reasons.check(reason, Refused)
    if refused := rubrics.points_refusal(rubrics.rubric_for(interview.application.position), points):
        raise Refused(refused)  # C4 judges the spread on the totals as recorded
    before = {"criteria": score.criteria, "total": score.total}
    score.criteria, score.total = json.dumps([str(p) for p in points]), sum(points, Decimal(0))
    score.corrected_by_id, score.corrected_at, score.correction_reason = head.id, utcnow(), reason
    audit.record("interview_score_corrected", "interview", interview.id, before=before,
                 after={"user": score.user.username, "criteria": score.criteria, "total": score.total}, reason=reason)
    reconcile(interview)


def submitted_scores(interview: Interview) -> list[Score]:
    """The scores in from the panel as it stands: one replaced does not count (C4)."""
    members = panel(interview)
    return [s for s in db.session.scalars(select(Score).filter_by(interview_id=interview.id))
            if s.submitted_at and not s.conflict and s.user_id in members]


def awaited(interview: Interview) -> set[int]:
    """The panel's members who declared no conflict and have not submitted their score yet."""
    declared = {s.user_id: s for s in db.session.scalars(select(Score).filter_by(interview_id=interview.id))}
    return {member for member in panel(interview)
            if member not in declared or (not declared[member].conflict and not declared[member].submitted_at)}


def outcome_of(interview: Interview) -> reconciliation.Outcome:
    """C4 on the panel as it stands: the result is the mean of the panel's scores, so a mean waits for
    every member who declared no conflict (two of a board of three are not its mean, and the third score
    would change a list already published). A spread over 10 among the scores in only grows with the
    others: it goes to the head at once, and the head's decision stands."""
    outcome = reconciliation.interview([s.total for s in submitted_scores(interview)], interview.board.round.rules,
                                       interview.final_score if interview.head_reason else None)
    if outcome.needs is None and not interview.head_reason and awaited(interview):
        return reconciliation.Outcome(None, "more_interviewers", "C4")
    return outcome


def reconcile(interview: Interview) -> reconciliation.Outcome:
    """C4: the mean of at least 2 interviewers; a spread over 10 waits for the head (publication blocked)."""
    outcome = outcome_of(interview)
    row = round2_score(interview.application_id)
    before = {"interview": row.interview, "pending": row.interview_pending}
    row.interview, row.interview_source = outcome.score, "interviews"
    # Pending says that the board head is awaited (C4), as the file import sets it: while the panel's
    # scores are not all in, the score stays empty (publication is blocked all the same) and the results
    # name the interviewers as awaited, not the head.
    row.interview_pending = outcome.needs == "head"
    if outcome.score is not None and interview.final_score != outcome.score:
        interview.final_score = outcome.score
    audit.record("interview_reconciled", "application", interview.application_id, before=before,
                 after={"interview": row.interview, "pending": row.interview_pending, "rule": outcome.rule})
    return outcome


def head_decides(interview: Interview, head: User, score: Decimal, reason: str) -> None:
    as_it_stands(interview)  # on the interviewers' scores as they stand
    refuse_once_published(interview)
    _as_deciding_head(interview, head, _("only the board head decides (C4)"))
    _scored_before_reading(interview, head)
    spread = [s.total for s in submitted_scores(interview)]
    if len(spread) < 2 or max(spread) - min(spread) <= interview.board.round.rules.interview_max_spread:
        raise Refused(_("the head decides only when the interviewers differ by more than 10 points (C4)"))
    if not reason.strip() or not (0 <= score <= 100):
        raise Refused(_("give a score from 0 to 100 and the reason"))
    reasons.check(reason, Refused)  # printed in the interview score summary
    before = {"final_score": interview.final_score, "reason": interview.head_reason}
    interview.final_score, interview.head_reason = score, reason
    audit.record("interview_head_decision", "interview", interview.id, before=before,
                 after={"final_score": score}, reason=reason)
    reconcile(interview)


def interviews_of(user: User) -> list[Interview]:
    """The interviews a user sits on: those of their boards they were not replaced on, and those they
    substitute on (C4)."""
    boards = [b.id for b in db.session.scalars(select(Board)) if user.id == b.head_id or user in b.members]
    replaced = set(db.session.scalars(select(Substitute.interview_id).filter_by(replaced_id=user.id)))
    substituting = set(db.session.scalars(select(Substitute.interview_id).filter_by(substitute_id=user.id)))
    found = db.session.scalars(select(Interview).where(or_(Interview.board_id.in_(boards), Interview.id.in_(substituting)))
                               .order_by(Interview.starts_at))
    return [i for i in found if i.id not in replaced]

