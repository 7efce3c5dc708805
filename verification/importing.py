"""`flask --app wsgi verification import --round CODE FILE` (formats.md): the outcome of each selected
candidate's dossier check, all or nothing."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruitment import audit, labels, reasons
from recruitment import tabular as t
from recruitment.extensions import db
from recruitment.i18n import local_today
from recruitment.models import Application, Round
from recruitment.score_files import IDENTITY_COLUMNS, Report, find_applications, finish
from recruitment.tabular import Column, RowError

from . import dossiers, outcomes
from .models import Dossier

OUTCOMES = ("verified", "rejected", "incomplete", "fraud", "no_show")
OUTCOME_LABELS = labels.register("dossier_outcome", {
    "verified": _l("verified"), "rejected": _l("rejected (invalid diploma or certificate)"),
    "incomplete": _l("dossier incomplete"), "fraud": _l("fraud"), "no_show": _l("did not report for work"),
})
COLUMNS = [*IDENTITY_COLUMNS, Column("outcome", "ket_qua", True, t.one_of(*OUTCOMES), "verified"),
           # the reason of a cancellation, printed in the results list: the reasons' limit, not a cell's 32,767
           Column("reason", "ly_do", False, t.text, "", max_length=reasons.MAX_CHARS)]


def import_outcomes(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> Report:
    table = t.read_table(filename, data, COLUMNS)
    errors = list(table.errors)
    found = find_applications(round_, table.rows, errors)
    first: dict[int, tuple[int, str]] = {}  # application -> (row, outcome) of its first row
    # a reason that was given but refused (too long) is reported once, not again as a missing one
    refused_reason = {e.row for e in table.errors if e.column == table.header_of("reason")}  # as read_table names it
    for number, row in table.rows:
        application = found.get(number)
        if application is None:
            continue
        outcome = row.get("outcome")
        earlier = first.setdefault(application.id, (number, outcome))
        if outcome and earlier[1] and earlier[1] != outcome:  # which of the two is true? refuse, naming both
            errors.append(RowError(number, "outcome", _(
                "candidate %(n)s is '%(outcome)s' here but '%(earlier)s' on row %(row)d: keep one of the two rows",
                n=application.number_label, outcome=labels.label(outcome, "dossier_outcome"),
                earlier=labels.label(earlier[1], "dossier_outcome"), row=earlier[0])))
        if outcome == "verified" and application.cancelled:  # the file contradicts the record: say so
            errors.append(RowError(number, "outcome", _(
                "candidate %(n)s's selection is cancelled (%(reason)s): the dossier is not verified (F3)",
                n=application.number_label, reason=application.cancel_reason or "")))
        if application.selected_at is None and not application.cancelled:
            errors.append(RowError(number, "candidate_number", _("candidate %(n)s is not selected in a published result",
                                                                 n=application.number_label)))
        if row.get("outcome") in outcomes.CANCELLING and not row.get("reason") and number not in refused_reason:
            errors.append(RowError(number, "reason", _("a cancellation needs its reason (F3)")))
        if row.get("outcome") == "incomplete" and application.selected_at is not None:
            deadline = dossier_deadline(round_, application)
            if local_today() <= deadline:  # F1, F3: the candidate still has until the end of that day
                errors.append(RowError(number, "outcome", _(
                    "candidate %(n)s's dossier is due by %(day)s: it is incomplete only after that day (F1, F3)",
                    n=application.number_label, day=deadline.strftime("%d/%m/%Y"))))
    if errors:
        raise table.rejected(errors)
    cancelled = []
    for number, row in table.rows:
        application = found[number]
        if row["outcome"] in outcomes.CANCELLING and not application.cancelled:
            outcomes.cancel(application, row["outcome"], row["reason"])
            cancelled.append(application.id)
        elif row["outcome"] == "fraud":  # F3: cancelled already for another reason, still barred
            outcomes.fraud_after_cancellation(application, row["reason"])
        elif row["outcome"] == "verified":
            audit.record("dossier_verified", "application", application.id, after={"outcome": "verified"},
                         reason=row.get("reason") or filename)
    finish(dry_run)
    messages = [_("%(n)d selection(s) cancelled", n=len(cancelled))] if cancelled else []
    if not dry_run:  # the whole file is one decision batch: one version (E5)
        messages += [reply.message for reply in outcomes.announce_cancellations(cancelled)]
    return Report(rows=len(table.rows), messages=messages)


def dossier_deadline(round_: Round, application: Application) -> date:
    """The day the dossier is due: its own (opened on the platform), else counted from the selection
    as the platform counts it (F1: 15 days, 30 under vn-2020)."""
    kept = db.session.scalar(db.select(Dossier.deadline).filter_by(application_id=application.id))
    return kept or dossiers.deadline_from_selection(round_, application)
