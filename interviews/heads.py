"""Who acts for an interview's board (C4, G5): the board head decides a spread, corrects a locked
score and appoints a replacement, unless the head has a conflict with the candidate; then the council
chair acts in their place. Read by the service's actions and by the interview page."""
from __future__ import annotations

from sqlalchemy import select

from recruitment.extensions import db
from recruitment.models import User

from .models import Interview, Relation, Score, Substitute


def has_conflict(interview: Interview, user: User) -> bool:
    """C4, G5: declared a conflict on this interview, related to its candidate, or replaced on it."""
    return bool(db.session.scalar(select(Score.conflict).filter_by(interview_id=interview.id, user_id=user.id))) \
        or db.session.scalar(select(Relation.id).filter_by(user_id=user.id,
                                                           application_id=interview.application_id)) is not None \
        or db.session.scalar(select(Substitute.id).filter_by(interview_id=interview.id,
                                                             replaced_id=user.id)) is not None


def deciding_head(interview: Interview, user: User) -> bool:
    """Who records C4's final score, corrects a locked score and appoints a replacement: the board head,
    unless they have a conflict with the candidate (G5); then the council chair, in their place (the
    chair heads the boards, as the marking board: marking/service.py), if the chair has none."""
    head = interview.board.head
    if user.id == head.id:
        return not has_conflict(interview, head)
    return user.has_role("council_chair") and has_conflict(interview, head) and not has_conflict(interview, user)


def conflicted_head(interview: Interview, user: User) -> bool:
    """The board head, with a conflict with this candidate: the council chair acts in their place."""
    return user.id == interview.board.head_id and has_conflict(interview, user)
