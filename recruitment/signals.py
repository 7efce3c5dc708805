"""Events that let a package react to another without importing it (dependencies point one way)."""
from blinker import Namespace

_signals = Namespace()

# sender: the Flask app; kwargs: application_id, reason. Sent by verification (F3) after commit;
# the results module answers with a recomputation and, for a published round, a new version (E5, F4).
application_cancelled = _signals.signal("application-cancelled")
# sender: the Flask app; kwargs: round_id, what (str). Sent after scores change (B7 neutralisation,
# C7 re-marking) so that results can mark its published list as out of date.
scores_changed = _signals.signal("scores-changed")
