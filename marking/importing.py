"""`scores import --kind written` (formats.md): the marks of a paper written test, marked outside the
system, recorded into C3 as the marking page records them.

Design decision (the issue "Paper marks can bypass C3"): a paper test's file names the first and
second markers and their marks (and the third marker and the head marker where C3 asks for them);
each mark becomes one of C3's marks, C3 reconciles them, and `score`, the final mark formats.md
documents, when given, must be C3's result of those marks. A final mark alone is refused: it would
put a score in the results that no marker stands behind. A written test on computer takes its score
from the exam (C2) and is never replaced by a file. The candidate must be admitted to the written
test (service.py's `refusal`), and a script that already has marks keeps them."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit
from recruitment import tabular as t
from recruitment.extensions import db
from recruitment.models import Round, User
from recruitment.score_files import (
    IDENTITY_COLUMNS,
    Report,
    find_applications,
    finish,
    refuse_once_published,
    score_100,
)
from recruitment.scores import round1_parts, round2_score
from recruitment.tabular import Column, RowError

from . import reconciliation
from . import service as marking
from .models import WrittenMark

MARKERS = (("first", "nguoi_cham_1", "diem_cham_1", "gk1", "71"), ("second", "nguoi_cham_2", "diem_cham_2", "gk2", "74"),
           ("third", "nguoi_cham_3", "diem_cham_3", "", ""), ("head", "truong_ban_cham", "diem_truong_ban", "", ""))
WRITTEN_COLUMNS = [*IDENTITY_COLUMNS, Column("score", "diem", False, score_100, "72,5"),
                   Column("absent", "vang_thi", False, t.parse_bool, "no")]
for _which, _vi_marker, _vi_mark, _example_marker, _example_mark in MARKERS:
    WRITTEN_COLUMNS += [Column(f"{_which}_marker", _vi_marker, False, t.text, _example_marker),
                        Column(f"{_which}_mark", _vi_mark, False, score_100, _example_mark)]


def _marks_of_row(row: dict, number: int, users: dict[str, User], errors: list[RowError]) -> dict[str, tuple]:
    """which -> (user or None, mark) for each mark the row gives; errors name the row and column."""
    marks: dict[str, tuple] = {}
    for which, *_rest in MARKERS:
        name, mark = row.get(f"{which}_marker") or "", row.get(f"{which}_mark")
        if not name and mark is None:
            if which in ("first", "second"):
                errors.append(RowError(number, f"{which}_marker", _(
                    "a paper written test's marks come with the first and second markers who gave them (C3): "
                    "fill in first_marker, first_mark, second_marker and second_mark")))
                return {}
            continue
        if not name or mark is None:
            column = f"{which}_mark" if name else f"{which}_marker"
            errors.append(RowError(number, column, _("a mark and the user name of its marker go together (C3)")))
            continue
        if refused := marking.decimals_refusal(mark, marking.MARK_LABELS[which]):
            errors.append(RowError(number, f"{which}_mark", refused))  # C3 judges the marks as recorded
            continue
        user = users.get(name.lower())
        role = "council_chair" if which == "head" else "marker"
        if user is None or not user.active or not user.has_role(role):
            errors.append(RowError(number, f"{which}_marker", _(
                "%(name)s is not a user with the role %(role)s (C3)", name=name,
                role=_("council chair") if role == "council_chair" else _("marker"))))
        elif which != "head" and user.id in {u.id for w, (u, _m) in marks.items() if u is not None and w != "head"}:
            errors.append(RowError(number, f"{which}_marker", _("each mark comes from a different marker (C3)")))
            user = None
        marks[which] = (user, mark)
    return marks


def _check_c3(marks: dict[str, tuple], row: dict, number: int, rules, errors: list[RowError]):
    """C3 step by step: a third mark only where C3 asks for one, the head's only where C3 asks for it,
    and the final mark, when given, C3's result of the marks."""
    if "first" not in marks or "second" not in marks:
        return None
    first, second = marks["first"][1], marks["second"][1]
    before_third = reconciliation.double_marking(first, second, rules)
    third = marks.get("third", (None, None))[1]
    if third is not None and before_third.needs != "third_marker":
        errors.append(RowError(number, "third_mark", _("C3 asks for no third marker for these two marks")))
        return None
    head = marks.get("head", (None, None))[1]
    if head is not None and reconciliation.double_marking(first, second, rules, third).needs != "head":
        errors.append(RowError(number, "head_mark", _("C3 asks for no head marker's decision for these marks")))
        return None
    outcome = reconciliation.double_marking(first, second, rules, third, head)
    if row.get("score") is not None:
        if outcome.needs:
            errors.append(RowError(number, "score", _("C3 still waits for the %(who)s: the final mark is not known yet",
                                                      who=marking.MARK_LABELS["third" if outcome.needs == "third_marker"
                                                                              else "head"])))
        elif rules.round_score(row["score"]) != outcome.score:
            errors.append(RowError(number, "score", _("the final mark %(given)s is not C3's result of the marks, "
                                                      "%(c3)s", given=row["score"], c3=outcome.score)))
    return outcome


def import_written(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> Report:
    refuse_once_published(round_, marking.changes_only_by_remarking())
    table = t.read_table(filename, data, WRITTEN_COLUMNS)
    errors = list(table.errors)
    found = find_applications(round_, table.rows, errors)
    users = {u.username.lower(): u for u in db.session.scalars(select(User))}
    parts = round1_parts(round_.id)
    computer = marking.computer_positions(round_.id)
    marked = set(db.session.scalars(select(WrittenMark.application_id).where(
        WrittenMark.application_id.in_([a.id for a in found.values()])))) if found else set()
    seen: dict[int, int] = {}
    plans = {}
    unreadable = {e.row for e in table.errors}  # a cell that did not parse is already reported
    for number, row in table.rows:
        application = found.get(number)
        if application is None:
            continue
        if application.id in seen:
            errors.append(RowError(number, "candidate_number", _("the same candidate is on row %(row)d",
                                                                 row=seen[application.id])))
            continue
        seen[application.id] = number
        if number in unreadable:
            continue
        refused = marking.refusal(application, parts.get(application.id, {}), computer)
        if refused:
            errors.append(RowError(number, "candidate_number", refused))
            continue
        if application.id in marked:
            errors.append(RowError(number, "candidate_number", _(
                "this script's marks are already recorded (C3): a file never replaces them")))
            continue
        if row.get("absent"):
            if any(row.get(f"{w}_marker") or row.get(f"{w}_mark") is not None for w, *_r in MARKERS) \
                    or row.get("score") is not None:
                errors.append(RowError(number, "absent", _("an absent candidate has no marks")))
            plans[number] = None
            continue
        marks = _marks_of_row(row, number, users, errors)
        outcome = _check_c3(marks, row, number, round_.rules, errors)
        plans[number] = (marks, outcome)
    if errors:
        raise table.rejected(errors)
    report = Report(rows=len(table.rows))
    for number, _row in table.rows:
        application, plan = found[number], plans[number]
        score = round2_score(application.id)
        before = {"written": score.written, "absent": score.written_absent, "source": score.written_source}
        score.written_source, score.written_absent = "import", plan is None
        score.written, score.written_pending = None, False
        after: dict = {"absent": plan is None}
        if plan is not None:
            marks, outcome = plan
            for which, (user, mark) in marks.items():
                db.session.add(WrittenMark(application_id=application.id, which=which, marker_id=user.id, score=mark))
            score.written, score.written_pending = outcome.score, bool(outcome.needs)
            after.update(marks={w: [u.username, m] for w, (u, m) in marks.items()}, written=outcome.score,
                         pending=score.written_pending, rule=outcome.rule)
            if outcome.needs:
                report.messages.append(_("row %(row)d: C3 waits for the %(who)s; the results cannot be published meanwhile",
                                         row=number, who=marking.MARK_LABELS["third" if outcome.needs == "third_marker"
                                                                             else "head"]))
        audit.record("written_imported", "application", application.id, before=before, after=after, reason=filename)
    finish(dry_run)
    return report
