"""Reads the hub's tables into plain records, runs the ranking, publishes frozen versions."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from recruitment import audit, errors
from recruitment.audit_check import Anchor
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.models import Application, Position, Round
from recruitment.reasons import check as check_reason
from recruitment.scores import Round1Result, Round2Score

from . import reasons, ties
from .models import ResultVersion, TieDecision
from .ranking import Blocker, Candidate, Part, Row, rank

CSV_COLUMNS = ["position_code", "rank", "candidate_number", "national_id", "full_name", "round1", "round2_written",
               "round2_interview", "round2_score", "priority_points", "total", "status", "reason"]


class PublicationBlocked(Exception):
    def __init__(self, blockers: list[Blocker]):
        super().__init__(f"{len(blockers)} blocker(s)")
        self.blockers = blockers


# E3: the reasons of the rows of a tie straddling the last place (ranking._select).
TIE_REASONS = ("tie_pending", "tie_decided_selected", "tie_decided_not_selected")


class DecisionRefused(errors.Refused):
    """E3: a decision is for a candidate tied at the last place."""


class NothingToPublish(Exception):
    """E5: a version is published for a change; the list is the same as the latest version's. `pending`
    says what is still awaited (ties.pending), so that the reader knows why nothing changed."""
    def __init__(self, version: int, pending: list[str]):
        super().__init__(f"unchanged since version {version}")
        self.version, self.pending = version, pending


class VersionMoved(errors.Refused):
    """E5: the confirmation named a version number that is no longer the next (another chair published)."""


@dataclass
class Computation:
    round: Round
    rows: list[Row]
    blockers: list[Blocker]


def load_candidates(round_: Round) -> tuple[list[Candidate], dict[str, int]]:
    positions = {p.id: p for p in db.session.scalars(select(Position).filter_by(round_id=round_.id))}
    applications = db.session.scalars(select(Application).filter_by(round_id=round_.id, status="admitted")).all()
    parts: dict[int, dict[str, Part]] = {}
    for r in db.session.scalars(select(Round1Result).join(Application).where(Application.round_id == round_.id)):
        parts.setdefault(r.application_id, {})[r.part] = Part(r.correct, r.total, r.absent, r.sanction)
    round2 = {s.application_id: s for s in db.session.scalars(
        select(Round2Score).join(Application).where(Application.round_id == round_.id))}
    decisions = {d.application_id: d.decision for d in db.session.scalars(
        select(TieDecision).join(Application).where(Application.round_id == round_.id))}
    candidates = []
    for a in applications:
        s = round2.get(a.id)
        position = positions[a.position_id]
        candidates.append(Candidate(
            application_id=a.id, position_code=position.code, candidate_number=a.candidate_number,
            national_id=a.national_id, full_name=a.full_name, grade=position.grade, round2_form=position.round2_form,
            parts=parts.get(a.id, {}), exempt_language=a.exempt_language,
            written=s.written if s else None, written_absent=bool(s and s.written_absent),
            written_voided=bool(s and s.written_voided), written_pending=bool(s and s.written_pending),
            interview=s.interview if s else None,
            interview_absent=bool(s and s.interview_absent), interview_pending=bool(s and s.interview_pending),
            priority_codes=tuple(a.priority_list), priority_rejected=tuple(a.priority_rejected_list), cancelled=a.cancelled,
            cancel_reason=a.cancel_reason, was_selected=a.selected_at is not None, decision=decisions.get(a.id)))
    return candidates, {p.code: p.quota for p in positions.values()}


def compute(round_: Round) -> Computation:
    candidates, quotas = load_candidates(round_)
    rows, blockers = rank(candidates, quotas, round_.rules, round_.promote_after_cancellation)
    return Computation(round_, rows, blockers)


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


def csv_record(row: Row) -> list[str]:
    """formats.md: scores with 2 decimals and a decimal point, empty where not applicable."""
    c = row.candidate
    applicable_interview = c.round2_form in ("interview", "written_interview") and c.grade != "nhan_vien"
    return [c.position_code, "" if row.rank is None else str(row.rank),
            "" if c.candidate_number is None else str(c.candidate_number), c.national_id, c.full_name, row.round1,
            _decimal(row.written) if row.round1 in ("pass", "not_required") else "",
            _decimal(row.interview) if applicable_interview and row.round1 in ("pass", "not_required") else "",
            _decimal(row.round2), _decimal(row.priority) if row.total is not None else "", _decimal(row.total), row.status,
            reasons.sentence(row.reason)]


def snapshot_rows(rows: list[Row]) -> list[dict]:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the round's language
        return [dict(zip(CSV_COLUMNS, csv_record(r), strict=True), application_id=r.candidate.application_id)
                for r in rows]


def canonical(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def versions(round_: Round) -> list[ResultVersion]:
    return list(db.session.scalars(select(ResultVersion).filter_by(round_id=round_.id).order_by(ResultVersion.number)))


def latest(round_: Round) -> ResultVersion | None:
    return db.session.scalar(select(ResultVersion).filter_by(round_id=round_.id)
                             .order_by(ResultVersion.number.desc()).limit(1))


def rows_of(version: ResultVersion) -> list[dict]:
    rows = json.loads(version.snapshot)
    if hashlib.sha256(version.snapshot.encode()).hexdigest() != version.digest:
        raise ValueError(f"version {version.number} does not match its digest: it was altered")
    return rows


def _to_publish(round_: Round) -> tuple[Computation, str, ResultVersion | None, int]:
    """The version a publication would write now (the computation, its snapshot, the version it follows,
    its number), refused while something blocks the list (E1-E4) or when nothing changed (E5)."""
    computation = compute(round_)
    if computation.blockers:
        raise PublicationBlocked(computation.blockers)
    snapshot = canonical(snapshot_rows(computation.rows))
    previous = latest(round_)
    if previous is not None and previous.snapshot == snapshot:
        raise NothingToPublish(previous.number, ties.pending(computation))
    number = (db.session.scalar(select(func.max(ResultVersion.number)).filter_by(round_id=round_.id)) or 0) + 1
    return computation, snapshot, previous, number


def publication_preview(round_: Round) -> tuple[int, str, str] | None:
    """What the chair's confirmation names before publishing (E5): the version's number, the digest of the
    list it would freeze (sent back with the confirmation: the list published is the one confirmed) and
    the sentence of its consequence; None when publish would refuse (the page goes straight to it, and it
    says why)."""
    try:
        computation, snapshot, _previous, number = _to_publish(round_)
    except (PublicationBlocked, NothingToPublish):
        return None
    selected = sum(1 for r in computation.rows if r.status == "selected")
    return number, hashlib.sha256(snapshot.encode()).hexdigest(), _(
        "Publish version %(n)d of the results of round %(round)s, %(selected)d candidate(s) selected. A "
        "published version is frozen: it is never changed, and a later change is published as a new "
        "version beside it (E5).", n=number, round=round_.code, selected=selected)


def publish(round_: Round, actor: str, note: str = "", expected: int | None = None,
            expected_digest: str | None = None) -> ResultVersion:
    """E5: a frozen, numbered version; selected applications get their selection time (F1). One
    publication at a time per round: the round's row is held until the commit, so a second one (another
    chair, another batch of cancellations) computes after the first's version and finds nothing to
    publish, rather than failing on the number or publishing the same list again. `expected` is the
    number the chair's confirmation named: another number is another list, not the one confirmed;
    `expected_digest` the digest of the list it showed: a decision, a re-mark or a score recorded since
    changes the list under the same number, and that list was not the one confirmed either."""
    as_it_stands(round_)
    computation, snapshot, previous, number = _to_publish(round_)
    if expected is not None and number != expected:
        raise VersionMoved(_("Version %(n)d was published meanwhile: the list to publish is now version %(next)d; "
                             "look at it again before publishing (E5).", n=expected, next=number))
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    if expected_digest is not None and digest != expected_digest:
        raise VersionMoved(_("The list changed after the confirmation was shown (a decision or a score recorded "
                             "meanwhile): look at it again before publishing version %(n)d (E5).", n=number))
    version = ResultVersion(round_id=round_.id, number=number, published_by=actor, note=note, snapshot=snapshot,
                            digest=digest)
    db.session.add(version)
    now = utcnow()
    if round_.results_published_at is None:  # no application is taken from now on (check_open)
        round_.results_published_at = now
    selected = {r.candidate.application_id for r in computation.rows if r.status == "selected"}
    for application in db.session.scalars(select(Application).filter_by(round_id=round_.id, status="admitted")):
        if application.id in selected and application.selected_at is None:
            application.selected_at = now
        elif application.id not in selected and not application.cancelled:
            application.selected_at = None
    db.session.flush()
    audit.record("results_published", "round", round_.id,  # before: the version it follows, none for the first
                 before={"version": previous.number if previous else None, "digest": previous.digest if previous else None},
                 after={"version": number, "digest": version.digest, "selected": len(selected)}, reason=note or None)
    version.audit_seq, version.audit_hash = audit.head()
    return version


def audit_anchors() -> list[Anchor]:
    """G6: each published version's record of the audit head (registered with `audit verify`)."""
    rows = db.session.execute(select(ResultVersion.audit_seq, ResultVersion.audit_hash, ResultVersion.number, Round.code)
                              .join(Round, Round.id == ResultVersion.round_id)
                              .where(ResultVersion.audit_seq.is_not(None))).all()
    return [Anchor(seq, digest, _l("version %(n)d of round %(round)s", n=number, round=code))
            for seq, digest, number, code in rows]


def diff(old: list[dict], new: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Rows that differ between two versions, matched by application."""
    before = {r["application_id"]: r for r in old}
    after = {r["application_id"]: r for r in new}
    keys = [k for k in CSV_COLUMNS if k != "reason"]
    changed = []
    def order(app_id: int) -> tuple:  # as the list reads: position, then rank (unranked last), then number
        row = after.get(app_id) or before[app_id]
        return row["position_code"], int(row["rank"]) if row["rank"] else 10**9, int(row["candidate_number"] or 0)

    for app_id in sorted(set(before) | set(after), key=order):
        a, b = before.get(app_id), after.get(app_id)
        if a is None or b is None or any(a[k] != b[k] for k in keys):
            changed.append((a, b))
    return changed


def published_written(round_: Round, application_id: int) -> list[tuple[int, datetime, str]]:
    """C7 asks which version published a written score: (number, published at, the written score it
    shows, empty when none) of every version, oldest first. A provider for the marking."""
    out = []
    for version in versions(round_):
        row = next((r for r in rows_of(version) if r.get("application_id") == application_id), None)
        out.append((version.number, version.published_at, (row or {}).get("round2_written") or ""))
    return out


def changes_since_latest(round_: Round, rows: list[dict] | None = None) -> list[tuple[dict | None, dict | None]]:
    """E5: what the recorded scores change against the latest published version (a re-mark under C7,
    a neutralised question, a decision). The published version stays as it is; the council publishes
    the next one."""
    version = latest(round_)
    if version is None:
        return []
    return diff(rows_of(version), rows if rows is not None else snapshot_rows(compute(round_).rows))


def decide(application: Application, decision: str, reason: str, user_id: int | None, actor: str | None = None) -> None:
    """E3: the head of agency's decision on a tie straddling the last place, with its reason."""
    if decision not in ("selected", "not_selected"):
        raise ValueError("a decision is 'selected' or 'not_selected'")
    if not reason.strip():
        raise DecisionRefused(_("The head of agency's decision needs its reason (E3)."))
    check_reason(reason, DecisionRefused)
    row = db.session.scalar(select(TieDecision).filter_by(application_id=application.id))
    before = {"decision": row.decision, "reason": row.reason} if row else None
    if row is None:
        row = TieDecision(application_id=application.id, decision=decision, reason=reason)
        db.session.add(row)
    row.decision, row.reason, row.decided_by_id, row.decided_at = decision, reason, user_id, utcnow()
    audit.record("tie_decided", "application", application.id, before=before,
                 after={"decision": decision, "reason": reason}, reason=reason, actor=actor)


def _refuse_if_published(application: Application) -> None:
    """E5: a decision that the latest version published as settling the tie stands. One it did not apply
    is still corrected before the next version: one recorded since, and one that left the tie awaiting
    the head of agency (two 'selected' for the one place left), which refused would leave the tie with
    no way to be settled."""
    recorded = db.session.scalar(select(TieDecision).filter_by(application_id=application.id))
    version = latest(application.round) if recorded is not None else None
    if version is None or recorded.decided_at > version.published_at:  # every version computes every decision
        return
    shown = next((r for r in rows_of(version) if r["application_id"] == application.id), None)
    if shown is not None and shown["status"] == recorded.decision:
        raise DecisionRefused(_("This decision was published in version %(n)d: it stands (E5).", n=version.number))


def decide_tie(application: Application, decision: str, reason: str, user_id: int | None) -> None:
    """E3 from the chair's page: only on a candidate the ranking leaves at a tie for the last place,
    awaiting the decision or settled by the decisions already recorded (the chair may correct one).
    Selected or left out by their rank alone is no tie: the status says nothing, the reason does."""
    row = next((r for r in compute(application.round).rows if r.candidate.application_id == application.id), None)
    if row is None or row.reason is None or row.reason.code not in TIE_REASONS:
        raise DecisionRefused(_("This candidate is not tied at the last place."))
    _refuse_if_published(application)
    decide(application, decision, reason, user_id)
    db.session.flush()
