"""The results module's answers to the other packages' signals (recruitment/signals.py). To a batch of
cancellations (F3, F4, E5): one recomputation, one new version for the whole batch, and a reply that
names the version actually published, or says why none was (what blocks it, or that nothing
changed). To changed scores (B7): whether the published version still matches them."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from recruitment import audit, labels
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.signals import Reply

from . import reasons, service


def changes_text(old: list[dict], new: list[dict]) -> str:
    """'0012 Nguyễn Văn An: selected → cancelled; ...', the rows whose status changed."""
    parts = [f"{(b or a)['candidate_number']} {(b or a)['full_name']}: "
             f"{labels.label(a['status'], 'result_status') if a else '—'} → {labels.label(b['status'], 'result_status') if b else '—'}"
             for a, b in service.diff(old, new) if not a or not b or a["status"] != b["status"]]
    return "; ".join(parts)


def _note(applications: list[Application]) -> str:
    """Stored with the version: in the round's language, every cancellation with its reason."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("Cancelled (F3): %(list)s", list="; ".join(
            f"{a.number_label} {a.full_name}: {a.cancel_reason or ''}" for a in applications))


def on_selections_cancelled(app, application_ids: list[int], **_kwargs) -> list[Reply]:
    """One version per round of the batch (the deadline check may cancel in several rounds)."""
    by_round: dict[int, list[Application]] = {}
    for application in (db.session.get(Application, i) for i in application_ids):
        if application is not None:
            by_round.setdefault(application.round_id, []).append(application)
    return [_publish_batch(applications) for applications in by_round.values()]


def _publish_batch(applications: list[Application]) -> Reply:
    round_ = applications[0].round
    previous = service.latest(round_)
    if previous is None:
        return Reply(True, _("No results version is published yet: the first one will show the cancellation."))
    try:
        version = service.publish(round_, "system", note=_note(applications))
    except service.PublicationBlocked as blocked:
        db.session.rollback()
        return Reply(False, _("Results not published: %(n)d problem(s) must be settled first: %(list)s. "
                              "Version %(v)d stays the published list until then.", n=len(blocked.blockers),
                              list="; ".join(f"{b.position_code} {b.candidate_number}: {reasons.blocker_text(b.code)}"
                                             for b in blocked.blockers[:10]), v=previous.number))
    except service.NothingToPublish as unchanged:
        db.session.rollback()
        return Reply(True, _("The published version %(v)d already shows this.", v=unchanged.version))
    db.session.commit()
    return Reply(True, _("Results version %(n)d published: %(changes)s.", n=version.number,
                         changes=changes_text(service.rows_of(previous), service.rows_of(version))))


def on_scores_changed(app, round_id: int, what: str, **_kwargs) -> Reply:
    """E5: a published version is never rewritten; when changed scores (a neutralised question, B7) move
    the list, the audit log records that the published version no longer matches them, and the reply
    tells the sender's user that the council publishes the next version."""
    round_ = db.session.get(Round, round_id)
    published = service.latest(round_) if round_ is not None else None
    if published is None:
        return Reply(True, _("No results version is published yet: the first one will include these scores."))
    changes = service.changes_since_latest(round_)
    if not changes:
        return Reply(True, _("The published results version %(v)d still matches the scores.", v=published.number))
    audit.record("results_out_of_date", "round", round_.id,
                 after={"version": published.number, "rows_changed": len(changes), "what": what})
    db.session.commit()
    return Reply(False, _("The published results version %(v)d no longer matches the scores (%(n)d rows differ): "
                          "the council publishes the next version (E5).", v=published.number, n=len(changes)))
