"""E3 as the council sees it: each tie at the last place, the decisions recorded so far and who
still awaits one, in plain sentences for the round page and for a refused publication."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import labels
from recruitment.extensions import db

from .models import TieDecision
from .ranking import Row


@dataclass
class TieGroup:
    position_code: str
    rank: int
    places: int  # how many of the group the quota still takes
    rows: list[Row] = field(default_factory=list)
    decisions: dict[int, TieDecision] = field(default_factory=dict)  # application id -> decision

    @property
    def waiting(self) -> list[Row]:
        return [r for r in self.rows if r.candidate.application_id not in self.decisions]


def open_groups(computation) -> list[TieGroup]:
    """The ties still awaiting the head of agency (status tie_pending), with the decisions so far."""
    groups: dict[tuple[str, int], TieGroup] = {}
    for row in computation.rows:
        if row.status == "tie_pending":
            key = (row.candidate.position_code, row.rank)
            group = groups.setdefault(key, TieGroup(key[0], key[1], row.reason.params[1]))
            group.rows.append(row)
    ids = [r.candidate.application_id for g in groups.values() for r in g.rows]
    if ids:
        for decision in db.session.scalars(select(TieDecision).where(TieDecision.application_id.in_(ids))):
            for group in groups.values():
                if any(r.candidate.application_id == decision.application_id for r in group.rows):
                    group.decisions[decision.application_id] = decision
    return list(groups.values())


def _who(rows: list[Row]) -> str:
    return ", ".join(f"{r.candidate.full_name} ({r.candidate.candidate_number})" for r in rows)


def describe(group: TieGroup) -> str:
    """One sentence: the tie, the decisions so far, and what remains."""
    text = _("%(position)s: %(n)d candidates tied at rank %(rank)d for %(places)d place(s) (E3).",
             position=group.position_code, n=len(group.rows), rank=group.rank, places=group.places)
    decided = [r for r in group.rows if r.candidate.application_id in group.decisions]
    if decided:
        text += " " + _("Decided: %(list)s.", list="; ".join(
            f"{r.candidate.full_name}: {labels.label(group.decisions[r.candidate.application_id].decision, 'result_status')}"
            f" ({group.decisions[r.candidate.application_id].reason})" for r in decided))
    if group.waiting:
        text += " " + _("Still awaiting the head of agency's decision: %(who)s.", who=_who(group.waiting))
    else:
        text += " " + _("The decisions do not fill the %(places)d place(s) exactly: correct one of them.",
                        places=group.places)
    return text


def pending(computation) -> list[str]:
    return [describe(g) for g in open_groups(computation)]
