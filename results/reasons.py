"""Reasons in plain words (E4), in the user's or the round's language."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from recruitment import labels
from recruitment.i18n import format_number
from recruitment.labels import label

from .ranking import Reason

STATUS_LABELS = labels.RESULT_STATUS  # the one catalogue (recruitment/labels.py)


def _n(value) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return format_number(value, 2)


def sentence(reason: Reason | None) -> str:
    if reason is None:
        return ""
    p = reason.params
    match reason.code:
        case "round1_fail":
            part, effective, total, needed, sanction = p
            text = _("round 1 (%(part)s): %(got)s/%(total)d correct, below %(needed)s", part=label(part, "round1_part"),
                     got=_n(effective), total=total, needed=_n(needed))
            return text + (_(" after a %(sanction)s (B6)", sanction=label(sanction, "sanction")) if sanction else "")
        case "round1_absent":
            return _("absent from round 1 (%(part)s)", part=label(p[0], "round1_part"))
        case "round1_voided":
            return _("round 1 (%(part)s) voided by a suspension (B6)", part=label(p[0], "round1_part"))
        case "round1_missing":
            return _("round-1 result not yet recorded")
        case "missing_round2":
            return _("round-2 score not yet recorded")
        case "written_pending":
            return _("written marks awaiting the third marker or head marker (C3)")
        case "interview_pending":
            return _("interview scores differ by more than 10 points: waiting for the board head (C4)")
        case "interview_awaited":
            return _("interview scores not all in: waiting for the interviewers (C4)")
        case "round2_absent":
            return _("absent from round 2")
        case "round2_voided":
            return _("round-2 test voided by a suspension (B6)")
        case "c5_part_below":
            return _("written %(w)s and interview %(i)s: each must be at least %(m)s (C5)", w=_n(p[0]), i=_n(p[1]), m=_n(p[2]))
        case "round2_below":
            return _("round-2 score %(s)s, below %(m)s (E1)", s=_n(p[0]), m=_n(p[1]))
        case "cancelled":
            return _("selection cancelled: %(reason)s (F3)", reason=p[0])
        case "selected":
            return _("rank %(rank)d within the quota, total %(total)s", rank=p[0], total=_n(p[1]))
        case "below_quota":
            return _("rank %(rank)d, outside the quota of %(quota)d", rank=p[0], quota=p[1])
        case "tie_pending":
            return _("%(n)d candidates tied for the last %(left)d place(s): waiting for the head of agency (E3)",
                     n=p[0], left=p[1])
        case "tie_decided_selected":
            return _("tie at rank %(rank)d settled by the head of agency: selected (E3)", rank=p[0])
        case "tie_decided_not_selected":
            return _("tie at rank %(rank)d settled by the head of agency: not selected (E3)", rank=p[0])
    return reason.code


BLOCKERS = {
    "missing_round1": lambda: _("round-1 result missing"),
    "missing_round2": lambda: _("round-2 score missing"),
    "written_pending": lambda: _("written marks awaiting the third marker or head marker (C3)"),
    "interview_pending": lambda: _("interview spread not resolved by the board head (C4)"),
    "interview_awaited": lambda: _("waiting for the interviewers' scores (C4)"),
}


def blocker_text(code: str) -> str:
    return BLOCKERS[code]()
