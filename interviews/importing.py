"""`scores import --kind interview` (formats.md): interview sheets, into the hub's Round2Score
(`--kind written` is marking_import.py, C3's marks). Interview rows (one per interviewer, or 'head' for the
board head's reconciled score) are combined by the rules of C4."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit
from recruitment import tabular as t
from recruitment.extensions import db
from recruitment.labels import label
from recruitment.models import Round, User
from recruitment.score_files import (
    IDENTITY_COLUMNS,
    Report,
    find_applications,
    finish,
    refuse_once_published,
    score_100,
)
from recruitment.scores import Round2Score, round1_parts, round2_score
from recruitment.tabular import Column, RowError

from . import reconciliation, service
from .models import Relation

INTERVIEW_COLUMNS = [*IDENTITY_COLUMNS, Column("interviewer", "nguoi_cham", True, t.required_text, "interviewer"),
                     Column("score", "diem", False, score_100, "80"),
                     Column("absent", "vang_thi", False, t.parse_bool, "no")]


def _read(round_, filename, data, columns):
    table = t.read_table(filename, data, columns)
    errors = list(table.errors)
    found = find_applications(round_, table.rows, errors)
    for number, row in table.rows:
        if number in found and not row.get("absent") and row.get("score") is None:
            errors.append(RowError(number, "score", _("a score is needed unless the candidate was absent")))
    return table, found, errors


def _waits_for_the_head(application_id: int) -> bool:
    score = db.session.scalar(select(Round2Score).filter_by(application_id=application_id))
    return score is not None and bool(score.interview_pending)


def _scored_on_the_platform(application_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(Round2Score.application_id).where(
        Round2Score.application_id.in_(application_ids), Round2Score.interview_source == "interviews")))


def _snapshot(score) -> dict:
    return {"written": score.written, "written_absent": score.written_absent, "interview": score.interview,
            "interview_absent": score.interview_absent, "interview_pending": score.interview_pending}


def import_interview(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> Report:
    refuse_once_published(round_, _("An interview score is final once published (C4): it is not marked again."))
    table, found, errors = _read(round_, filename, data, INTERVIEW_COLUMNS)
    users = {u.username.lower(): u for u in db.session.scalars(select(User))}
    sheets: dict[int, dict] = defaultdict(lambda: {"scores": {}, "head": None, "absent": False, "absent_rows": [],
                                                   "rows": [], "named": False})
    named = {e.row for e in errors}
    on_the_platform = _scored_on_the_platform([a.id for a in found.values()])
    parts = round1_parts(round_.id)
    related = {(r.user_id, r.application_id) for r in db.session.scalars(select(Relation).where(
        Relation.application_id.in_([a.id for a in found.values()])))}
    for number, row in table.rows:
        if number in found and number not in named and (why := service.refusal(found[number], parts.get(found[number].id, {}))):
            errors.append(RowError(number, "candidate_number", why))  # as the board's list would not have them
            named.add(number)
        if number in found and found[number].id in on_the_platform and number not in named:
            # The platform's interview stands (its boards, its head's decision), as the computer's round 1
            # does against a round-1 file: a file never replaces it.
            errors.append(RowError(number, "candidate_number", _(
                "this candidate's interview was scored on the platform: its result stands and a file never "
                "replaces it (C4)")))
            named.add(number)
        if number not in found or number in named:  # its error is named already; the other rows are still checked
            if number in found:
                sheets[found[number].id]["named"] = True
            continue
        sheet = sheets[found[number].id]
        sheet["rows"].append(number)
        who = row["interviewer"]
        if row["absent"] and row.get("score") is not None:  # absent, or scored? the file must say which
            errors.append(RowError(number, "score", _(
                "this row says the candidate was absent and gives a score: leave the score empty, or write 'no' "
                "under absent")))
            sheet["named"] = True
        elif row["absent"]:
            sheet["absent"] = True
            sheet["absent_rows"].append(number)
        elif who.lower() == "head":
            sheet["head"], sheet["head_row"] = row["score"], number
        elif (user := users.get(who.lower())) is None or not user.active or not user.has_role("interviewer"):
            errors.append(RowError(number, "interviewer", _("%(name)s is not a user with the role %(role)s (C4)",
                                                            name=who, role=label("interviewer", "role"))))
            sheet["named"] = True
        elif (user.id, found[number].id) in related:  # C4, G5: as a board never seats them
            errors.append(RowError(number, "interviewer", _(
                "%(name)s is related to this candidate (C4, G5): another interviewer scores them", name=who)))
            sheet["named"] = True
        elif user.id in sheet["scores"]:  # one user, however the file spells the name
            errors.append(RowError(number, "interviewer", _("%(who)s scored this candidate twice", who=who)))
            sheet["named"] = True
        else:
            sheet["scores"][user.id] = row["score"]
    for app_id, sheet in sheets.items():
        scored = [n for n in sheet["rows"] if n not in sheet["absent_rows"]]
        if sheet["absent"] and scored:  # absent here, scored there: the file is all or nothing, never guessed
            errors += [RowError(n, "absent", _("the candidate is absent on this row and scored on row(s) %(rows)s: "
                                               "the file must say one or the other",
                                               rows=", ".join(str(r) for r in scored))) for n in sheet["absent_rows"]]
            continue
        if sheet["absent"] or sheet["named"]:  # a row of it is wrong already: its count follows from that row
            continue
        if not sheet["scores"] and sheet["head"] is not None:
            # The head decides between the interviewers' scores (C4): theirs in this file, or imported
            # before and waiting for the head; never a score that no interviewer gave.
            if not _waits_for_the_head(app_id):
                errors.append(RowError(sheet["rows"][0], "interviewer", _(
                    "the board head decides between the interviewers' scores (C4): give them in the file too")))
        elif len(sheet["scores"]) < round_.rules.interview_min_interviewers:  # C4: at least 2 interviewers
            errors.append(RowError(sheet["rows"][0], "interviewer", _("at least %(n)d interviewers must score each candidate",
                                                                      n=round_.rules.interview_min_interviewers)))
        elif sheet["head"] is not None and reconciliation.interview(list(sheet["scores"].values()),
                                                                    round_.rules).needs != "head":
            errors.append(RowError(sheet["head_row"], "interviewer", _(
                "the board head decides only where the interviewers' scores differ by more than %(n)s points (C4)",
                n=round_.rules.interview_max_spread)))
    if errors:
        raise table.rejected(errors)
    report = Report(rows=len(table.rows))
    for app_id, sheet in sheets.items():
        score = round2_score(app_id)
        before = _snapshot(score)
        score.interview_source = "import"
        if sheet["absent"]:
            score.interview, score.interview_absent, score.interview_pending = None, True, False
        else:
            outcome = reconciliation.interview(list(sheet["scores"].values()), round_.rules, sheet["head"])
            score.interview_absent = False
            score.interview, score.interview_pending = outcome.score, outcome.needs == "head"
            if outcome.needs == "head":
                report.messages.append(_("row %(row)d: interview scores differ by more than %(n)s points: the board head must decide (C4)",
                                         row=sheet["rows"][0], n=round_.rules.interview_max_spread))
        audit.record("interview_imported", "application", app_id, before=before, after=_snapshot(score), reason=filename)
    finish(dry_run)
    return report
