"""Lossless autosave: one statement stores a candidate's answer, ordered by its sequence number and
only from the attempt's one live session; when it stores nothing, the reason is found."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Boolean, DateTime, bindparam, select
from sqlalchemy import text as sql_text

from recruitment import driver_sql
from recruitment.database import queued_driver_transaction
from recruitment.extensions import db

from .. import draw
from ..models import Attempt, AttemptAnswer
from . import group_commit, save_writer
from .admission import superseded_message
from .answer_check import Save
from .models import Placement
from .seating import Refused


@dataclass(frozen=True)
class Ack:
    slot: int
    seq: int
    stored_seq: int  # the sequence number the database holds for the slot after this save

    def answer(self) -> dict:
        """The page's acknowledgement (static/exam/exam.js)."""
        return {"saved": True, "slot": self.slot, "seq": self.seq, "stored_seq": self.stored_seq}


# The hot path of exam day as one statement: insert the answer, or update it when the save is newer
# than the stored one, and only if the attempt is the candidate's, in progress, before its deadline
# and the slot is on their form (draw.slot_count), and only from the attempt's one live session
# (the placement's token, found by its unique attempt_id: an indexed lookup in the same statement).
# It returns a row when it stored the save.
# On PostgreSQL the statement holds the attempt's row FOR SHARE until its commit. A hand-in claims the
# attempt with an UPDATE of that row, and so waits for a save that checked the attempt and has not
# committed yet; without the lock it graded the answers without that save, which was then
# acknowledged (B3: the score is of what was saved). A save that finds the row locked (a claim, a
# sanction) does not wait, which would hold up its whole group commit: it stores nothing, and the
# page sends it again (NotStored); after a claim it is refused, the attempt being handed in. On
# SQLite the one writer (database.one_writer_at_a_time) puts the save wholly before or after the claim.
# The SQL is written out because SQLAlchemy cannot cache an upsert built from a SELECT, and compiling
# it on every save cost more than running it; it reads the same on SQLite and PostgreSQL but for that
# lock. The casts type what PostgreSQL cannot infer (a NULL choice); :now and :flagged keep their
# column types' own conversions (a CAST to TIMESTAMP would turn an SQLite date into a number).
_SAVE_SQL = """
INSERT INTO exam_answers (attempt_id, slot, choice, text, flagged, seq, saved_at)
SELECT CAST(:attempt AS INTEGER), CAST(:slot AS INTEGER), CAST(:choice AS INTEGER), CAST(:text AS VARCHAR(500)),
       :flagged, CAST(:seq AS INTEGER), :now
WHERE EXISTS (SELECT 1 FROM exam_attempts JOIN exam_forms ON exam_forms.id = exam_attempts.form_id
              JOIN exam_placements ON exam_placements.attempt_id = exam_attempts.id
              WHERE exam_attempts.id = :attempt AND exam_attempts.application_id = :application
                AND exam_placements.session_token = :token
                AND exam_attempts.status = 'in_progress' AND exam_attempts.deadline > :now
                AND :slot >= 0 AND :slot * {slot_bytes} < length(exam_forms.version_ids){lock})
ON CONFLICT (attempt_id, slot) DO UPDATE
SET choice = excluded.choice, text = excluded.text, flagged = excluded.flagged, seq = excluded.seq,
    saved_at = excluded.saved_at
WHERE exam_answers.seq < excluded.seq
RETURNING seq"""
_SAVES = {engine: sql_text(_SAVE_SQL.format(slot_bytes=draw.VERSION_BYTES, lock=lock)).bindparams(
              bindparam("now", type_=DateTime()), bindparam("flagged", type_=Boolean()))
          for engine, lock in (("sqlite", ""), ("postgresql", " FOR SHARE OF exam_attempts SKIP LOCKED"))}


def save_statement():
    """The save's statement for the app's database."""
    return _SAVES[db.engine.dialect.name]


class Superseded(Refused):
    """The attempt was opened again on another computer (a new log-in, a seat move) or logged out."""


class NotStored(Refused):
    """Nothing is wrong with the save, yet the statement stored nothing this time: a passing refusal,
    which the page sends again (the other refusals are final)."""


def _store(params: dict) -> bool:
    """Runs the save and commits it: in the app server's writer process with the other workers' saves
    (save_writer) when there is one, with the other threads' saves (group_commit) when the server runs
    threads, else alone, queued for SQLite's one writer."""
    # Every way the statement goes through the driver (driver_sql): SQLAlchemy's own work was a third
    # of the save's cost, and on SQLite all of it was done while holding the one writer's lock.
    writer = current_app.config.get("AUTOSAVE_WRITER_SOCKET")
    if writer:
        stored_there = save_writer.stored_by_writer(writer, params)
        if stored_there is not None:
            return stored_there
    stored = lambda row: row is not None  # noqa: E731 - the save returns a row when it stored it
    if current_app.config.get("AUTOSAVE_GROUP_COMMIT"):
        return group_commit.store(save_statement(), params, stored)
    with queued_driver_transaction() as transaction:  # without the Session's transaction
        return stored(driver_sql.first_row(transaction, save_statement(), params))


def _params(attempt_id: int, application_id: int, slot: int, seq: int, now: datetime, token: str | None,
            choice: int | None, text: str | None, flagged: bool) -> dict:
    return {"attempt": attempt_id, "application": application_id, "slot": slot, "seq": seq, "now": now,
            "choice": choice, "text": (text or None) and text[:500], "flagged": flagged, "token": token}


def stored_at_once(attempt_id: int, application_id: int, save: Save, now: datetime, token: str) -> Ack | None:
    """The save stored and committed by its one statement, or None without looking for why: for the
    autosave's lane (autosave_lane.py), which leaves every save it did not store to the view."""
    if _store(_params(attempt_id, application_id, save.slot, save.seq, now, token, save.choice, save.text, save.flagged)):
        return Ack(save.slot, save.seq, save.seq)
    return None


def save_answer(attempt_id: int, application_id: int, slot: int, seq: int, now: datetime, *, token: str | None,
                choice: int | None = None, text: str | None = None, flagged: bool = False) -> Ack:
    """Idempotent and ordered: the row changes only when seq is newer than what is stored, so a
    late-arriving older save never overwrites a newer one and a repeated save is harmless. The save
    is committed here, with the others of its batch (group_commit): the caller may acknowledge it.
    It runs in a transaction of its own: the caller must hold no uncommitted write (the view holds none).

    One statement stores the save and checks the attempt at once (save_statement): a save racing
    with collection either lands before it or is refused, and the hot path costs no extra query.
    Only when it stored nothing is there a second look, to say why."""
    params = _params(attempt_id, application_id, slot, seq, now, token, choice, text, flagged)
    if _store(params):  # committed: durable
        return Ack(slot, seq, seq)
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.application_id != application_id:
        raise Refused(_("this is not your test"))
    live = db.session.scalar(select(Placement.session_token).filter_by(attempt_id=attempt_id))
    if token is None or live != token:
        raise Superseded(superseded_message(attempt.status))
    if attempt.status != "in_progress":
        raise Refused(_("this test is not in progress"))
    if attempt.deadline is None or now >= attempt.deadline:
        raise Refused(_("time is up: the answer was not saved"))
    if not 0 <= slot < draw.slot_count(attempt.form.version_ids):
        raise Refused(_("no such question"))
    stored = db.session.execute(select(AttemptAnswer.seq, AttemptAnswer.choice, AttemptAnswer.text, AttemptAnswer.flagged)
                                .filter_by(attempt_id=attempt_id, slot=slot)).one_or_none()
    if stored is not None and stored.seq == seq and tuple(stored[1:]) != (choice, params["text"], flagged):
        # The same number for another answer: a second page of this session (another tab) counts on
        # from the same paper. What is stored is the other page's: never acknowledged as this one.
        raise Refused(_("Another page of this test stored a different answer to this question: reload the page "
                        "to see the answers that are stored."))
    if stored is not None and stored.seq >= seq:
        return Ack(slot, seq, stored.seq)  # already stored, or a newer save of this page: nothing to do
    raise NotStored(_("the answer could not be saved; it will be sent again"))
