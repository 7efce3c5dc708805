"""Creating an interview board: its head and members are interviewers, at least as many as the
round's rule set asks (C4); audited, then flushed; the page commits."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment import audit, tabular
from recruitment.extensions import db
from recruitment.models import Round, User

from .models import Board
from .service import Refused


def create(round_: Round, name: str, room: str, head: User, members: list[User], positions: str) -> Board:
    """`members` other than the head who are not interviewers are left out; `positions` the codes
    the board interviews for, separated by ';'."""
    members = [m for m in members if m.has_role("interviewer") and m.id != head.id]
    if len(members) + 1 < round_.rules.interview_min_interviewers:  # C4
        raise Refused(_("A board needs at least %(n)d interviewers (C4).", n=round_.rules.interview_min_interviewers))
    board = Board(round_id=round_.id, name=name or _("Board"), room=room, head_id=head.id,
                  positions="; ".join(tabular.split_list(positions)))
    board.members = [head, *members]
    db.session.add(board)
    db.session.flush()
    audit.record("board_created", "interview_board", board.id,
                 after={"name": board.name, "room": board.room, "head": head.id,
                        "members": sorted(m.id for m in members), "positions": board.position_list})
    return board
