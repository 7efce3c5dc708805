"""A reason a person gives for a decision (a proctor's sanction, seat move or credited minutes, a
void, a withdrawn sanction, a neutralised question, a board head's score or correction, a declared
conflict, a verifier's rejection, the chair's re-marking or tie decision, an extension, a
cancellation in the verification file): one limit wherever it is typed or imported.
These reasons are printed on papers (the score slip, the interview score summary, the results list)
and shown on pages and in messages; a reason of thousands of characters is no reason a reader can
use, and broke the papers it was printed on."""
from __future__ import annotations

from flask_babel import gettext as _

from .errors import Refused

MAX_CHARS = 1000  # every reason field too (forms.RejectForm, results' DecisionForm)


def fits(reason: str) -> bool:
    return len(reason) <= MAX_CHARS


def check(reason: str, refusal: type[Refused] = Refused) -> None:
    """Raises `refusal` (the caller's own kind, which its page catches) for a reason over the limit."""
    if not fits(reason):
        raise refusal(_("a reason has at most %(max)d characters; this one has %(length)d",
                        max=MAX_CHARS, length=len(reason)), field="reason")
