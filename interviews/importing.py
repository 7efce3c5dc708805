"""`scores import --kind interview` (formats.md): interview sheets, into the hub's Round2Score
(`--kind written` is marking_import.py, C3's marks). Interview rows (one per interviewer, or 'head' for the
board head's reconciled score) are combined by the rules of C4."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _

from recruitment import audit
from recruitment import tabular as t
from recruitment.models import Round
from recruitment.score_files import IDENTITY_COLUMNS, Report, find_applications, finish, score_100
from recruitment.scores import round2_score
from recruitment.tabular import Column, ImportRejected, RowError

from . import reconciliation

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


def _snapshot(score) -> dict:
    return {"written": score.written, "written_absent": score.written_absent, "interview": score.interview,
            "interview_absent": score.interview_absent, "interview_pending": score.interview_pending}


def import_interview(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> Report:
    table, found, errors = _read(round_, filename, data, INTERVIEW_COLUMNS)
    if errors:
        raise ImportRejected(errors)
    sheets: dict[int, dict] = defaultdict(lambda: {"scores": {}, "head": None, "absent": False, "rows": []})
    for number, row in table.rows:
        sheet = sheets[found[number].id]
        sheet["rows"].append(number)
        who = row["interviewer"]
        if row["absent"]:
            sheet["absent"] = True
        elif who.lower() == "head":
            sheet["head"] = row["score"]
        elif who in sheet["scores"]:
            errors.append(RowError(number, "interviewer", _("%(who)s scored this candidate twice", who=who)))
        else:
            sheet["scores"][who] = row["score"]
    report = Report(rows=len(table.rows))
    for sheet in sheets.values():
        if sheet["absent"]:
            continue
        outcome = reconciliation.interview(list(sheet["scores"].values()), round_.rules, sheet["head"])
        if outcome.needs == "more_interviewers":  # C4: at least 2 interviewers
            errors.append(RowError(sheet["rows"][0], "interviewer", _("at least %(n)d interviewers must score each candidate",
                                                                      n=round_.rules.interview_min_interviewers)))
    if errors:
        raise ImportRejected(errors)
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
