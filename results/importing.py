"""`scores import --kind round1` (formats.md): round-1 results from paper or another system, into
the same hub table the computer-graded tests write, so the ranking cannot tell them apart.

A result the computer graded from the exam is never replaced by a file (B3: no re-marking of a
computer test; B6: a proctor's sanction stands with it), as the written-marks file never replaces a
computer-marked test (marking/importing.py): such a row is an error naming it."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment import audit, labels
from recruitment import tabular as t
from recruitment.models import Round
from recruitment.score_files import IDENTITY_COLUMNS, Report, find_applications, finish, refuse_once_published
from recruitment.scores import SANCTIONS, Round1Result, round1_parts, round1_result
from recruitment.tabular import Column, RowError

COLUMNS = [
    *IDENTITY_COLUMNS,    Column("part", "phan_thi", False, lambda v: t.one_of("general", "language")(v) if t.text(v) else "general", "general"),
    Column("correct", "so_cau_dung", False, t.parse_int, "42"),  # B2: a count of answers
    Column("total", "tong_so_cau", False, t.optional(t.parse_int), "60"),
    Column("absent", "vang_thi", False, t.parse_bool, "no"),
    Column("sanction", "ky_luat", False, lambda v: t.one_of(*SANCTIONS)(v) if t.text(v) else None, ""),
]


def _state(result: Round1Result) -> dict:
    """The result as the audit's before and after record it."""
    return {"correct": result.correct, "total": result.total, "absent": result.absent, "sanction": result.sanction,
            "sanction_reason": result.sanction_reason, "source": result.source}


def _questions_of(round_: Round, part: str | None) -> int:
    rules = round_.rules
    return rules.language_questions if part == "language" else rules.round1_questions


def import_round1(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> Report:
    refuse_once_published(round_, _("A round-1 result changes only when a faulty question is neutralised (B7)."))
    table = t.read_table(filename, data, COLUMNS)
    errors = list(table.errors)
    found = find_applications(round_, table.rows, errors)
    recorded = round1_parts(round_.id)
    seen: dict[tuple, int] = {}
    for number, row in table.rows:
        key = (found.get(number) and found[number].id, row.get("part"))
        if key[0] and key in seen:
            errors.append(RowError(number, "candidate_number", _("the same candidate and part is on row %(row)d", row=seen[key])))
        seen.setdefault(key, number)
        graded = recorded.get(key[0], {}).get(row.get("part")) if key[0] else None
        if graded is not None and graded.source == "computer":  # B3, B6: the computer's result stands
            errors.append(RowError(number, "candidate_number", _(
                "this candidate's %(part)s test of round 1 was graded by the computer: the computer's result "
                "stands (B3) and a file never replaces it", part=labels.label(row.get("part"), "round1_part"))))
            continue
        if not row.get("absent") and number in found:
            if row.get("correct") is None or row.get("total") is None:
                errors.append(RowError(number, "correct", _("correct and total are needed unless the candidate was absent")))
            elif not 1 <= row["total"] <= _questions_of(round_, row.get("part")):  # B1, L1
                errors.append(RowError(number, "total", _(
                    "the %(part)s test of round 1 has at most %(n)d questions: total must be 1 to %(n)d",
                    part=labels.label(row.get("part"), "round1_part"), n=_questions_of(round_, row.get("part")))))
            elif not (0 <= row["correct"] <= row["total"]):
                errors.append(RowError(number, "correct", _("correct must be between 0 and total")))
    if errors:
        raise table.rejected(errors)
    for number, row in table.rows:
        result = round1_result(found[number].id, row["part"])
        before = _state(result)
        result.correct, result.total = row.get("correct"), row.get("total")
        result.absent, result.sanction, result.source = bool(row.get("absent")), row.get("sanction"), "import"
        # The file has no reason column (formats.md): a reason left from an earlier sanction would
        # be shown beside a sanction it never explained, or beside none (B6).
        result.sanction_reason = None
        audit.record("round1_imported", "application", found[number].id, before=before, after=_state(result),
                     reason=filename)
    finish(dry_run)
    return Report(rows=len(table.rows))
