"""Creating an interview board: its head and members are active interviewers, at least as many as the
round's rule set asks (C4), and it interviews for positions of its own round; audited, then flushed;
the page commits."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment import audit, tabular
from recruitment.extensions import db
from recruitment.labels import label
from recruitment.models import Round, User

from .models import Board
from .service import Refused


def _interviewer(user: User) -> None:
    """The form names users by id: an account closed since the page loaded, or anyone not an interviewer,
    is refused in words rather than seated (or left out unsaid)."""
    if not user.active or not user.has_role("interviewer"):
        raise Refused(_("%(name)s is not an active user with the role %(role)s (C4)", name=user.full_name,
                        role=label("interviewer", "role")))


def _round_codes(round_: Round, positions: str) -> list[str]:
    """The codes typed, as the round spells them (the scheduler matches them exactly); a code that is
    not one of this round's positions is refused, another round's included."""
    known = {p.code.casefold(): p.code for p in round_.positions}
    typed = tabular.split_list(positions)
    unknown = [code for code in typed if code.casefold() not in known]
    if unknown:
        raise Refused(_("not a position of round %(round)s: %(codes)s", round=round_.code, codes="; ".join(unknown)))
    return list(dict.fromkeys(known[code.casefold()] for code in typed))


def create(round_: Round, name: str, room: str, head: User, members: list[User], positions: str) -> Board:
    """`members` may name the head again (they sit on the board anyway); `positions` the codes the board
    interviews for, separated by ';'."""
    for text, column in ((name, Board.name), (room, Board.room)):
        if len(text) > tabular.length_of(column):
            raise Refused(_("%(what)s has at most %(n)d characters.", what=_("The name") if column is Board.name
                            else _("The room"), n=tabular.length_of(column)))
    for user in (head, *members):
        _interviewer(user)
    members = list({m.id: m for m in members if m.id != head.id}.values())
    if len(members) + 1 < round_.rules.interview_min_interviewers:  # C4
        raise Refused(_("A board needs at least %(n)d interviewers (C4).", n=round_.rules.interview_min_interviewers))
    board = Board(round_id=round_.id, name=name or _("Board"), room=room, head_id=head.id,
                  positions="; ".join(_round_codes(round_, positions)))
    board.members = [head, *members]
    db.session.add(board)
    db.session.flush()
    audit.record("board_created", "interview_board", board.id,
                 after={"name": board.name, "room": board.room, "head": head.id,
                        "members": sorted(m.id for m in members), "positions": board.position_list})
    return board
