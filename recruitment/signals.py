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
# sender: the Flask app; kwargs: round_id, what (str). Sent by the exam after it commits a B7
# neutralisation; results answers with a Reply saying whether the published version still matches the
# scores, and records in the audit log when it does not (E5: the council publishes the next version).
# (The marking's C7 re-marks ask the results directly, through the `results_changes` provider.)
scores_changed = _signals.signal("scores-changed")
