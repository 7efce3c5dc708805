"""The HR imports of formats.md: job positions and applications, from .xlsx or .csv.

Both validate every row first and write nothing unless all rows are valid (ImportRejected carries
every error, each naming its row, column and cause)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from . import applications, audit, audit_bulk, labels, national_ids, numbering, person_cells, rulesets
from . import positions as positions_ops
from . import tabular as t
from .bulk_rows import insert_rows
from .database import utcnow
from .eligibility import Candidate, Requirement
from .extensions import db
from .models import Application, Position, Round
from .tabular import CellError, Column, ImportRejected, RowError
from .vietnamese import fold

Progress = Callable[[int, int], None]  # (steps done, steps in all), for a background job's bar
CHUNK = 5_000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    admitted: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, name, reason)
    messages: list[str] = field(default_factory=list)


def _positive_int(value) -> int:
    number = t.parse_int(value)
    if number is None or number < 1:
        raise CellError(_("must be a whole number of at least 1"))
    return number


def _priority_codes(value) -> list[str]:
    # A code written twice counts once: kept as written, a repeated code could outgrow the column the
    # codes are stored in (Application.priority_codes); the distinct codes all fit in it.
    codes = list(dict.fromkeys(t.split_list(value)))
    unknown = [c for c in codes if c not in rulesets.PRIORITY_CODES]
    if unknown:
        raise CellError(_("unknown priority code %(codes)s; the codes are: %(known)s",
                          codes=", ".join(unknown), known=", ".join(rulesets.PRIORITY_CODES)))
    return codes


POSITION_COLUMNS = [
    Column("code", "ma_vi_tri", True, t.required_text, "CV-TC-01", max_length=t.length_of(Position.code)),
    Column("name", "ten_vi_tri", True, t.required_text, "Chuyên viên tài chính", max_length=t.length_of(Position.name)),
    Column("agency", "co_quan", True, t.required_text, "Sở Tài chính", max_length=t.length_of(Position.agency)),
    Column("grade", "ngach", True, t.one_of(*rulesets.GRADES), "chuyen_vien"),
    Column("quota", "chi_tieu", True, _positive_int, "2"),
    Column("round2_form", "hinh_thuc_vong2", True, t.one_of(*rulesets.ROUND2_FORMS), "written_interview"),
    Column("degree_level", "trinh_do", True, t.one_of(*rulesets.DEGREE_LEVELS), "dai_hoc"),
    Column("majors", "chuyen_nganh", False, t.split_list, "Tài chính; Kế toán"),
]

APPLICATION_COLUMNS = [
    Column("national_id", "so_cccd", True, person_cells.national_id, "031095001234"),
    Column("full_name", "ho_ten", True, person_cells.full_name, "Nguyễn Văn An", max_length=t.length_of(Application.full_name)),
    Column("date_of_birth", "ngay_sinh", True, person_cells.date_of_birth, "15/03/1995"),
    Column("gender", "gioi_tinh", True, t.one_of("nam", "nu"), "nam"),
    Column("email", "email", False, person_cells.email, "an.nguyen@example.vn", max_length=t.length_of(Application.email)),
    Column("phone", "so_dien_thoai", False, t.text, "0912345678", max_length=t.length_of(Application.phone)),
    Column("position_code", "ma_vi_tri", True, t.required_text, "CV-TC-01"),
    Column("degree_level", "trinh_do", True, t.one_of(*rulesets.DEGREE_LEVELS), "dai_hoc"),
    Column("major", "chuyen_nganh", False, t.text, "Tài chính", max_length=t.length_of(Application.major)),
    Column("priority", "uu_tien", False, _priority_codes, ""),
    Column("exempt_language", "mien_ngoai_ngu", False, t.parse_bool, "no"),
]


def _reject_if(errors: list[RowError], table: t.Table) -> None:
    if errors:
        raise table.rejected(errors)


def import_positions(round_: Round, filename: str, data: bytes, *, dry_run: bool = False,
                     progress: Progress | None = None) -> ImportReport:
    """A new code creates a position; a known code changes its position as the position form
    would (positions.edit: the publication lock of E5, an audit entry with before and after), and
    a row equal to its position changes nothing, so the same file may be sent again at any time."""
    table = t.read_table(filename, data, POSITION_COLUMNS)
    errors = list(table.errors)
    unreadable = {e.row for e in table.errors}  # a cell that did not parse is already reported
    existing = {p.code: p for p in db.session.scalars(db.select(Position).filter_by(round_id=round_.id))}
    seen: dict[str, int] = {}
    created: list[dict] = []
    changed: list[tuple[Position, dict]] = []
    for number, row in table.rows:
        code = row.get("code")
        if code in seen:
            errors.append(RowError(number, "code", _("code %(code)s is already on row %(row)d", code=code, row=seen[code])))
        elif code:
            seen[code] = number
        form = row.get("round2_form")
        if form and form not in round_.rules.allowed_round2_forms:  # C1, L2
            errors.append(RowError(number, "round2_form", _("'%(form)s' is not allowed under %(rules)s",
                                                            form=form, rules=labels.label(round_.rules_code, "rule_set"))))
        if number in unreadable or not code or seen[code] != number:
            continue
        values = {k: row[k] for k in ("name", "agency", "grade", "quota", "round2_form", "degree_level")}
        values["majors"] = "; ".join(row["majors"] or [])
        position = existing.get(code)
        if position is None:
            try:  # E5: nor does a published round take a new position
                positions_ops.check_open_for_positions(round_)
            except positions_ops.PositionRefused as refused:
                errors.append(RowError(number, table.header_of("code"), _("position %(code)s is new, but %(reason)s",
                                                                          code=code, reason=str(refused))))
                continue
            created.append({"code": code, **values})
            continue
        differences = _position_changes(position, values)
        if not differences:
            continue
        try:  # E5: the lock the position form applies (B0: the grade; E3: the quota); A2 for the admitted
            positions_ops.check_editable(position)
            positions_ops.check_admitted_stay_eligible(position, values)
        except positions_ops.PositionRefused as refused:
            errors += [RowError(number, table.header_of(column), _(
                "position %(code)s would change from '%(before)s' to '%(after)s', but %(reason)s",
                code=code, before=before, after=after, reason=str(refused)))
                for column, (before, after) in differences.items()]
            continue
        changed.append((position, values))
    _reject_if(errors, table)
    report = ImportReport(rows=len(table.rows), created=len(created), updated=len(changed))
    if dry_run:
        return report
    for values in created:
        db.session.add(Position(round_id=round_.id, **values))
    for position, values in changed:
        positions_ops.edit(position, values)  # position_edited, with before and after, as the form audits
    db.session.flush()
    audit.record("positions_imported", "round", round_.id, after={"file": filename, "created": report.created,
                                                                   "updated": report.updated})
    db.session.commit()
    if progress:
        progress(1, 1)
    return report


def _position_changes(position: Position, values: dict) -> dict[str, tuple]:
    """column -> (as recorded, as in the file) for each cell that differs from the position: text
    as the file's cells are read and majors as lists, so that a file read back unchanged differs
    in nothing (and a published round takes it again, E5)."""
    differences = {}
    for column, value in values.items():
        recorded = getattr(position, column)
        if column == "majors":
            same = [t.text(major) for major in position.major_list] == t.split_list(value)
        elif isinstance(value, str):
            same = t.text(recorded) == value
        else:
            same = recorded == value
        if not same:
            differences[column] = (recorded, value)
    return differences


def import_applications(round_: Round, filename: str, data: bytes, *, dry_run: bool = False,
                        received_on: date | None = None, progress: Progress | None = None) -> ImportReport:
    """Eligible rows are admitted and numbered (A3); ineligible ones, and a person barred after fraud
    in an earlier round (F3), are kept as rejected with their reason (A2, A4); malformed rows or a
    duplicate (A1) refuse the whole file, and so does a file that comes after the deadline or the
    first publication (applications.check_open). `received_on` is today unless a round is replayed
    (the demo).

    Built for 100,000 rows: the checks are set-based (one query each, never one per row), the rows
    go in with executemany through SQLAlchemy Core and their audit entries through
    audit_bulk, all in the caller's one transaction, so a failure anywhere writes nothing."""
    try:
        applications.check_open(round_, received_on)
    except applications.ApplicationRefused as refused:
        raise ImportRejected([RowError(None, None, str(refused))]) from None
    progress = progress or (lambda _done, _total: None)
    table = t.read_table(filename, data, APPLICATION_COLUMNS)
    progress(1, 4)
    errors = list(table.errors)
    positions = {p.code: p for p in db.session.scalars(db.select(Position).filter_by(round_id=round_.id))}
    seen: dict[tuple, int] = {}
    for number, row in table.rows:
        born = row.get("date_of_birth")
        refusal = born and applications.birth_refusal(born, round_)
        if refusal:
            errors.append(RowError(number, "date_of_birth", refusal))
        code = row.get("position_code")
        if code and code not in positions:
            errors.append(RowError(number, "position_code", _("no position %(code)s in round %(round)s",
                                                              code=code, round=round_.code)))
        nid = row.get("national_id")
        if not nid:
            continue
        key = (nid,) if not round_.several_positions else (nid, code)
        if key in seen:  # A1
            errors.append(RowError(number, "national_id", _("national ID %(id)s is already on row %(row)d",
                                                            id=nid, row=seen[key])))
        else:
            seen[key] = number
    _reject_if(errors + _applied_already(round_, table.rows), table)
    report = ImportReport(rows=len(table.rows))
    new = _decide(round_, positions, table.rows, report)
    progress(2, 4)
    if dry_run:
        return report
    # Another import of this round (the command, another HR page) may have written since the checks:
    # the round's writers queue here, and A1 and the last candidate number are read again behind them.
    _queue_round_writers(round_)
    _reject_if(_applied_already(round_, table.rows), table)
    numbers = _numbers(round_, new)
    ids = _insert(round_, new, numbers)
    progress(3, 4)
    changes = (_admission_change(a, app_id, numbers.get(i)) for i, (a, app_id) in enumerate(zip(new, ids, strict=True)))
    audit_bulk.record_many(changes, len(new))
    if numbers:
        audit.record("candidate_numbers_assigned", "round", round_.id,
                     after={"first": min(numbers.values()), "last": max(numbers.values()), "count": len(numbers)})
    audit.record("applications_imported", "round", round_.id,
                 after={"file": filename, "rows": report.rows, "admitted": report.admitted,
                        "rejected": len(report.rejected)})
    db.session.commit()
    progress(4, 4)
    return report


def _applied_already(round_: Round, rows) -> list[RowError]:
    """A1 against the applications already in the round."""
    existing: dict[str, list[str]] = {}  # canonical national ID -> the positions applied to
    for nid, code in db.session.execute(db.select(Application.national_id, Position.code)
                                        .join(Position, Position.id == Application.position_id)
                                        .where(Application.round_id == round_.id)):
        existing.setdefault(national_ids.canonical(nid), []).append(code)
    errors = []
    for number, row in rows:
        nid, code = row.get("national_id"), row.get("position_code")
        for other in existing.get(nid, []) if nid else []:
            if not round_.several_positions or other == code:
                errors.append(RowError(number, "national_id", _(
                    "national ID %(id)s has already applied in this round (to %(position)s)", id=nid, position=other)))
    return errors


def _queue_round_writers(round_: Round) -> None:
    """A write to the round's row: PostgreSQL locks the row and SQLite takes its one write lock, so a
    second import of the round waits here until this one commits or rolls back."""
    db.session.execute(update(Round).where(Round.id == round_.id).values(code=Round.code)
                       .execution_options(synchronize_session=False))


@dataclass(slots=True)
class _New:
    row: t.Row
    reason: str | None  # None: admitted
    position_id: int


def _decide(round_: Round, positions: dict[str, Position], rows, report: ImportReport) -> list[_New]:
    """A2 for every row, with each position's requirement built once; the report's messages."""
    barred = applications.barred_in(round_)
    rules, on = round_.rules, applications.reference_day(round_)
    requirements = {code: Requirement(p.degree_level, tuple(p.major_list)) for code, p in positions.items()}
    new = []
    # The reasons are stored in the round's language (formats.md), whoever imports: every reader of the
    # application reads them, the candidate first (A4).
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for _number, row in rows:
            reasons = [applications.barred_reason(r) for r in barred.get(national_ids.canonical(row["national_id"]), [])]
            reasons += applications.ineligibility_texts(
                Candidate(row["date_of_birth"], row["degree_level"], row["major"] or ""),
                requirements[row["position_code"]], rules, on)
            new.append(_New(row, "; ".join(reasons) if reasons else None, positions[row["position_code"]].id))
    union_free = rules.priority_points["union_cadre"] == 0
    for (number, row), decided in zip(rows, new, strict=True):
        if decided.reason:
            report.rejected.append((number, row["full_name"], decided.reason))
            report.messages.append(_("row %(row)d: %(name)s imported as rejected: %(reason)s",
                                     row=number, name=row["full_name"], reason=decided.reason))
        else:
            report.admitted += 1
        report.created += 1
        if union_free and "union_cadre" in (row["priority"] or []):
            report.messages.append(_("row %(row)d: priority union_cadre gives no points under %(rules)s",
                                     row=number, rules=labels.label(round_.rules_code, "rule_set")))
    return new


def _numbers(round_: Round, new: list[_New]) -> dict[int, int]:
    """A3 for the admitted new rows (keyed by their index in `new`), after the round's last number.
    Admitted applications already in the round without a number are numbered with them."""
    last = db.session.scalar(db.select(db.func.max(Application.candidate_number))
                             .where(Application.round_id == round_.id)) or 0
    waiting = db.session.execute(
        db.select(Application.id, Position.code, Application.full_name, Application.national_id)
        .join(Position, Position.id == Application.position_id)
        .where(Application.round_id == round_.id, Application.status == "admitted",
               Application.candidate_number.is_(None))).all()
    by_position: dict[str, list[numbering.Numberable]] = {}
    for i, a in enumerate(new):
        if a.reason is None:
            by_position.setdefault(a.row["position_code"], []).append(
                numbering.Numberable(-(i + 1), a.row["position_code"], a.row["full_name"], a.row["national_id"]))
    for w in waiting:
        by_position.setdefault(w.code, []).append(numbering.Numberable(*w))
    # The position code is the order's first key: numbering one position at a time gives the same
    # numbers and keeps only one position's name keys (large tuples) in memory at once.
    assigned: dict[int, int] = {}
    for code in sorted(by_position):
        assigned.update(numbering.assign(by_position[code], last + len(assigned)))
    for app_id, number in assigned.items():
        if app_id > 0:  # rare: an admitted application left without a number
            db.session.execute(db.update(Application).where(Application.id == app_id).values(candidate_number=number))
    return {-key - 1: number for key, number in assigned.items() if key < 0}


def _insert(round_: Round, new: list[_New], numbers: dict[int, int]) -> list[int]:
    """The driver's executemany (bulk_rows: the ORM's bulk path with RETURNING is several times
    slower); the new ids are then read back in one query, matched by (national ID, position), which
    A1 makes unique among the new rows."""
    table, now = Application.__table__, utcnow()
    floor = db.session.scalar(db.select(db.func.max(Application.id))) or 0
    connection = db.session.connection()
    rows = ((round_.id, a.position_id, a.row["national_id"], a.row["full_name"], fold(a.row["full_name"]),
             a.row["date_of_birth"], a.row["gender"], a.row["email"] or None, a.row["phone"] or None,
             a.row["degree_level"], a.row["major"] or "", ";".join(a.row["priority"] or []),
             bool(a.row["exempt_language"]), "rejected" if a.reason else "admitted", a.reason, numbers.get(i),
             "", False, now, now) for i, a in enumerate(new))
    insert_rows(connection, table, APPLICATION_FIELDS, rows)
    ids = {(nid, pid): app_id for app_id, nid, pid in connection.execute(
        db.select(table.c.id, table.c.national_id, table.c.position_id)
        .where(table.c.round_id == round_.id, table.c.id > floor))}
    return [ids[(a.row["national_id"], a.position_id)] for a in new]


APPLICATION_FIELDS = ("round_id", "position_id", "national_id", "full_name", "name_key", "date_of_birth", "gender",
                      "email", "phone", "degree_level", "major", "priority_codes", "exempt_language", "status",
                      "reject_reason", "candidate_number", "priority_rejected_codes", "cancelled", "created_at",
                      "updated_at")


def _admission_change(a: _New, app_id: int, number: int | None) -> audit_bulk.Change:
    """The entry applications.admit / reject would have written for this application."""
    row = a.row
    before = {"status": "submitted", "reject_reason": None, "candidate_number": None, "position_id": a.position_id,
              "full_name": row["full_name"], "national_id": row["national_id"]}
    after = dict(before, status="rejected" if a.reason else "admitted", reject_reason=a.reason, candidate_number=number)
    if a.reason:
        return audit_bulk.Change("application_rejected", "application", app_id, before, after, a.reason)
    return audit_bulk.Change("application_admitted", "application", app_id, before, after)
