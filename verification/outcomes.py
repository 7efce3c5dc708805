"""What a dossier check decides for a selected candidate (F2, F3, D5): the hub fields the ranking
reads, the audit entry, and the signal that lets results publish the next version (E5, F4)."""
from __future__ import annotations

from flask import current_app

from recruitment import audit, signals
from recruitment.extensions import db
from recruitment.models import Application, PersonFlag

CANCELLING = ("rejected", "incomplete", "fraud", "no_show")  # F3


def cancel(application: Application, outcome: str, reason: str) -> None:
    """F3: the selection is cancelled with its reason; fraud also flags the person for the next round."""
    before = {"cancelled": application.cancelled, "cancel_reason": application.cancel_reason}
    application.cancelled, application.cancel_reason = True, reason
    if outcome == "fraud":
        _flag(application, reason)
    audit.record("selection_cancelled", "application", application.id, before=before,
                 after={"cancelled": True, "cancel_reason": reason, "outcome": outcome}, reason=reason)


def _flag(application: Application, reason: str) -> None:
    """F3: fraud bars the person from the next round."""
    db.session.add(PersonFlag(national_id=application.national_id, reason=reason, round_id=application.round_id))


def flagged(application: Application) -> bool:
    return db.session.scalar(db.select(PersonFlag.id).filter_by(
        national_id=application.national_id, round_id=application.round_id).limit(1)) is not None


def fraud_after_cancellation(application: Application, reason: str) -> None:
    """F3: fraud found on a selection already cancelled for another reason (a dossier incomplete at the
    deadline, a no-show) still bars the person from the next round; the cancellation stands as it was.
    Flagged once per round, however many files say it."""
    if flagged(application):
        return
    _flag(application, reason)
    audit.record("person_flagged", "application", application.id, before={"flagged": False},
                 after={"flagged": True, "outcome": "fraud"}, reason=reason)


def announce_cancellations(application_ids: list[int]) -> list[signals.Reply]:
    """After the commit, once per decision batch: results recomputes and publishes one version with
    the next candidates promoted (E5, F4). The replies say which version, or why none was."""
    if not application_ids:
        return []
    app = current_app._get_current_object()
    answers = signals.selections_cancelled.send(app, application_ids=list(application_ids))
    return [reply for _receiver, replies in answers for reply in (replies or [])]


def priority_claims_rejected(application: Application, rejected: list[str], reason: str | None) -> None:
    """D5: the declared claims whose evidence stands rejected give 0 from now on; the others still
    count (the highest of them). Taken back, a claim counts again."""
    before = application.priority_rejected_list
    if sorted(before) == sorted(rejected):
        return
    application.priority_rejected_codes = ";".join(rejected)
    action = "priority_rejected" if set(rejected) - set(before) else "priority_restored"
    audit.record(action, "application", application.id, before={"rejected": before}, after={"rejected": rejected},
                 reason=reason)
