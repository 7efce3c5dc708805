"""G2: the bank is secret, so reading it is recorded like a change: every list, question page and
export writes who read what. The pages call these and commit."""
from __future__ import annotations

from sqlalchemy import select

from recruitment import audit
from recruitment.extensions import db
from recruitment.models import User

from .models import Question


def listed(filters: dict) -> None:
    """A list of questions was shown, with the filters that chose it (only those given); the author's
    by their user name, as the log names everyone (the id alone says nothing to a reader)."""
    given = {k: v for k, v in filters.items() if v}
    if given.get("author"):
        given["author"] = db.session.scalar(select(User.username).where(User.id == int(given["author"]))) or given["author"]
    audit.record("question_list_viewed", "question_bank", None, after=given)
    db.session.flush()


def viewed(question: Question) -> None:
    audit.record("question_viewed", "question", question.id)
    db.session.flush()


def analysed(test_id: int, count: int, stems: bool) -> None:
    """A test's item analysis was shown: its `count` questions, with their stems and keys or without."""
    audit.record("item_analysis_viewed", "exam_test", test_id, after={"questions": count, "stems": stems})
    db.session.flush()


def exported(fmt: str, count: int, keys: bool | None = None) -> None:
    """A file of `count` questions left the bank; for Word, with its keys or without them."""
    after = {"format": fmt, "count": count} if keys is None else {"format": fmt, "keys": keys, "count": count}
    audit.record("questions_exported", "question_bank", None, after=after)
    db.session.flush()
