"""Writing an import's questions set-based (100,000 questions from one file): each table gets its
rows with the driver's executemany (recruitment/bulk_rows), the new ids are read back in one query, and each
question gets the same version, history entry and audit entry as a question created one by one
(bank.create), in the caller's one transaction, so a failure anywhere writes nothing."""
from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select, update

from recruitment import audit_bulk
from recruitment.bulk_rows import insert_rows
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import User

from .models import Question, QuestionVersion, ReviewEvent
from .records import QuestionRecord, content_digest

QUESTION_FIELDS = ("code", "section", "positions", "topic", "difficulty", "type", "status", "author_id", "reviewer_id",
                   "search_text", "created_at", "updated_at")
VERSION_FIELDS = ("question_id", "number", "type", "stem_html", "options_json", "answer_json", "points", "explanation",
                  "keep_order", "diacritics_sensitive", "fingerprint", "used", "created_by_id", "created_at")


def stored_positions(positions: list[str]) -> str:
    """';CODE1;CODE2;' so that one LIKE finds a position; '' serves every position."""
    return ";" + ";".join(positions) + ";" if positions else ""


def insert_questions(records: list[QuestionRecord], codes: list[str], prints: list[str],
                     search_text: Callable[[QuestionRecord, str], str], *, author: User | None, status: str,
                     reviewer: User | None, filename: str) -> None:
    """records[i] is stored as codes[i], with its fingerprint prints[i] and search_text(records[i], codes[i])
    (made as it is written, not all kept at once)."""
    db.session.flush()  # whatever the session holds goes first (images of the file, the caller's changes)
    connection, now = db.session.connection(), utcnow()
    author_id = author.id if author else None
    questions, versions, events = Question.__table__, QuestionVersion.__table__, ReviewEvent.__table__
    floor = db.session.scalar(select(db.func.max(questions.c.id))) or 0
    version_floor = db.session.scalar(select(db.func.max(versions.c.id))) or 0
    positions = [stored_positions(r.positions) for r in records]
    reviewer_id = reviewer.id if reviewer else None
    insert_rows(connection, questions, QUESTION_FIELDS, (
        (code, r.section, where, r.topic, r.difficulty, r.type, status, author_id, reviewer_id, search_text(r, code),
         now, now) for r, code, where in zip(records, codes, positions, strict=True)))
    # Codes are unique: the new rows are found by theirs (a concurrent import's rows are not ours).
    ids = dict(connection.execute(select(questions.c.code, questions.c.id).where(questions.c.id > floor)).all())
    question_ids = [ids[code] for code in codes]
    insert_rows(connection, versions, VERSION_FIELDS, (
        (qid, 1, r.type, r.stem, json.dumps(r.options, ensure_ascii=False), json.dumps(r.answer, ensure_ascii=False), r.points,
         r.explanation, r.keep_order or r.type == "truefalse", True, print_, False, author_id, now)
        for r, qid, print_ in zip(records, question_ids, prints, strict=True)))
    version_of = dict(connection.execute(select(versions.c.question_id, versions.c.id)
                                         .where(versions.c.id > version_floor)).all())
    # Every new question points at its first version: one statement, not one per question.
    current = (select(versions.c.id).where(versions.c.question_id == questions.c.id, versions.c.number == 1)
               .scalar_subquery())
    connection.execute(update(questions).where(questions.c.id > floor, questions.c.current_version_id.is_(None))
                       .values(current_version_id=current))
    # Each question's history starts as one created in the form does: who, when, and the file.
    insert_rows(connection, events, ("question_id", "version_id", "user_id", "action", "comment", "at"),
                ((qid, version_of[qid], author_id, "imported", filename, now) for qid in question_ids))
    audit_bulk.record_many(
        (audit_bulk.Change("question_created", "question", qid, after={
            "status": status, "version": 1, "topic": r.topic, "difficulty": r.difficulty, "section": r.section,
            "positions": where, "digest": content_digest(r.type, r.stem, r.options, r.answer, r.points, r.explanation,
                                                         r.keep_order or r.type == "truefalse"),
            "file": filename})  # bank.snapshot + the file
         for r, qid, where in zip(records, question_ids, positions, strict=True)),
        len(records))
