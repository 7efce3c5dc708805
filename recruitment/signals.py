"""Events that let a package react to another without importing it (dependencies point one way)."""
from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class Reply:
    """What a receiver did, in the reader's words, for the sender to pass on (a flash, a report)."""
    ok: bool
    message: str


# sender: the Flask app; kwargs: application_ids (one decision batch: a confirmation, an import, the
# deadline). Sent by verification (F3) after commit; results answers with one recomputation and, for
# a published round, ONE new version per round (E5, F4), returning Replies that name it or say why not.
selections_cancelled = _signals.signal("selections-cancelled")
# sender: the Flask app; kwargs: round_id, what (str). Sent after scores change (B7 neutralisation,
# C7 re-marking) so that results can mark its published list as out of date.
scores_changed = _signals.signal("scores-changed")
