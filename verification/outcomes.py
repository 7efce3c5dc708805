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
        db.session.add(PersonFlag(national_id=application.national_id, reason=reason, round_id=application.round_id))
    audit.record("selection_cancelled", "application", application.id, before=before,
                 after={"cancelled": True, "cancel_reason": reason, "outcome": outcome}, reason=reason)


def announce_cancellations(application_ids: list[int], reasons: dict[int, str]) -> None:
    """After the commit: results recomputes and publishes with the next candidate promoted (F4)."""
    app = current_app._get_current_object()
    for application_id in application_ids:
        signals.application_cancelled.send(app, application_id=application_id, reason=reasons.get(application_id, ""))


def reject_priority(application: Application, reason: str) -> None:
    """D5: a priority claim whose evidence is rejected gives 0 from now on."""
    before = {"priority_rejected": application.priority_rejected}
    application.priority_rejected = True
    audit.record("priority_rejected", "application", application.id, before=before, after={"priority_rejected": True},
                 reason=reason)
