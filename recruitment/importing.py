"""The HR imports of formats.md: job positions and applications, from .xlsx or .csv.

Both validate every row first and write nothing unless all rows are valid (ImportRejected carries
every error, each naming its row, column and cause)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from . import applications, audit, rulesets
from . import tabular as t
from .extensions import db
from .models import Application, PersonFlag, Position, Round
from .tabular import CellError, Column, ImportRejected, RowError
from .vietnamese import fold


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


def _national_id(value) -> str:
    raw = t.text(value)
    if isinstance(value, float) and value.is_integer():
        raw = str(int(value))
    if raw.isdigit() and len(raw) == 11 and not raw.startswith("0"):  # a number cell: Excel dropped the leading 0
        raise CellError(_("'%(value)s' is not a national ID (12 digits): the spreadsheet dropped its leading 0; "
                          "format the column as Text and type the IDs again", value=raw))
    if len(raw) != 12 or not raw.isdigit():
        raise CellError(_("'%(value)s' is not a national ID (12 digits)", value=raw))
    return raw


def _required_date(value):
    day = t.parse_date(value)
    if day is None:
        raise CellError(_("is empty"))
    return day


def _priority_codes(value) -> list[str]:
    codes = t.split_list(value)
    unknown = [c for c in codes if c not in rulesets.PRIORITY_CODES]
    if unknown:
        raise CellError(_("unknown priority code %(codes)s; the codes are: %(known)s",
                          codes=", ".join(unknown), known=", ".join(rulesets.PRIORITY_CODES)))
    return codes


POSITION_COLUMNS = [
    Column("code", "ma_vi_tri", True, t.required_text, "CV-TC-01"),
    Column("name", "ten_vi_tri", True, t.required_text, "Chuyên viên tài chính"),
    Column("agency", "co_quan", True, t.required_text, "Sở Tài chính"),
    Column("grade", "ngach", True, t.one_of(*rulesets.GRADES), "chuyen_vien"),
    Column("quota", "chi_tieu", True, _positive_int, "2"),
    Column("round2_form", "hinh_thuc_vong2", True, t.one_of(*rulesets.ROUND2_FORMS), "written_interview"),
    Column("degree_level", "trinh_do", True, t.one_of(*rulesets.DEGREE_LEVELS), "dai_hoc"),
    Column("majors", "chuyen_nganh", False, t.split_list, "Tài chính; Kế toán"),
]

APPLICATION_COLUMNS = [
    Column("national_id", "so_cccd", True, _national_id, "031095001234"),
    Column("full_name", "ho_ten", True, t.required_text, "Nguyễn Văn An"),
    Column("date_of_birth", "ngay_sinh", True, _required_date, "15/03/1995"),
    Column("gender", "gioi_tinh", True, t.one_of("nam", "nu"), "nam"),
    Column("email", "email", False, t.text, "an.nguyen@example.vn"),
    Column("phone", "so_dien_thoai", False, t.text, "0912345678"),
    Column("position_code", "ma_vi_tri", True, t.required_text, "CV-TC-01"),
    Column("degree_level", "trinh_do", True, t.one_of(*rulesets.DEGREE_LEVELS), "dai_hoc"),
    Column("major", "chuyen_nganh", False, t.text, "Tài chính"),
    Column("priority", "uu_tien", False, _priority_codes, ""),
    Column("exempt_language", "mien_ngoai_ngu", False, t.parse_bool, "no"),
]


def _reject_if(errors: list[RowError], table: t.Table) -> None:
    if errors:
        raise ImportRejected(errors, table.order)


def import_positions(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> ImportReport:
    table = t.read_table(filename, data, POSITION_COLUMNS)
    errors = list(table.errors)
    seen: dict[str, int] = {}
    for number, row in table.rows:
        code = row.get("code")
        if code in seen:
            errors.append(RowError(number, "code", _("code %(code)s is already on row %(row)d", code=code, row=seen[code])))
        elif code:
            seen[code] = number
        form = row.get("round2_form")
        if form and form not in round_.rules.allowed_round2_forms:  # C1, L2
            errors.append(RowError(number, "round2_form", _("'%(form)s' is not allowed under %(rules)s",
                                                            form=form, rules=round_.rules_code)))
    _reject_if(errors, table)
    report = ImportReport(rows=len(table.rows))
    existing = {p.code: p for p in db.session.scalars(db.select(Position).filter_by(round_id=round_.id))}
    for _number, row in table.rows:
        values = {k: row[k] for k in ("name", "agency", "grade", "quota", "round2_form", "degree_level")}
        values["majors"] = "; ".join(row["majors"] or [])
        position = existing.get(row["code"])
        if position is None:
            position = Position(round_id=round_.id, code=row["code"], **values)
            db.session.add(position)
            report.created += 1
        else:
            for key, value in values.items():
                setattr(position, key, value)
            report.updated += 1
    if dry_run:
        db.session.rollback()
        return report
    db.session.flush()
    audit.record("positions_imported", "round", round_.id, after={"file": filename, "created": report.created,
                                                                   "updated": report.updated})
    db.session.commit()
    return report


def import_applications(round_: Round, filename: str, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Eligible rows are admitted and numbered (A3); ineligible ones are kept as rejected with
    their reason (A2, A4); malformed rows or a duplicate (A1) refuse the whole file."""
    table = t.read_table(filename, data, APPLICATION_COLUMNS)
    errors = list(table.errors)
    positions = {p.code: p for p in db.session.scalars(db.select(Position).filter_by(round_id=round_.id))}
    existing: dict[str, list[Application]] = {}
    for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        existing.setdefault(a.national_id, []).append(a)
    seen: dict[tuple, int] = {}
    for number, row in table.rows:
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
        for other in existing.get(nid, []):
            if not round_.several_positions or other.position.code == code:  # A1
                errors.append(RowError(number, "national_id", _("national ID %(id)s has already applied in this round (to %(position)s)",
                                                                id=nid, position=other.position.code)))
    _reject_if(errors, table)
    report = ImportReport(rows=len(table.rows))
    flagged = {f.national_id for f in db.session.scalars(db.select(PersonFlag).where(
        PersonFlag.national_id.in_([row["national_id"] for _n, row in table.rows])))}
    for number, row in table.rows:
        application = Application(
            round_id=round_.id, position_id=positions[row["position_code"]].id,
            national_id=row["national_id"], full_name=row["full_name"], name_key=fold(row["full_name"]),
            date_of_birth=row["date_of_birth"], gender=row["gender"], email=row["email"] or None,
            phone=row["phone"] or None, degree_level=row["degree_level"], major=row["major"] or "",
            priority_codes=";".join(row["priority"] or []), exempt_language=bool(row["exempt_language"]),
        )
        application.round, application.position = round_, positions[row["position_code"]]
        db.session.add(application)
        db.session.flush()
        report.created += 1
        reasons = applications.reasons_to_reject(application)
        if reasons:
            reason = "; ".join(reasons)
            applications.reject(application, reason)
            report.rejected.append((number, application.full_name, reason))
            report.messages.append(_("row %(row)d: %(name)s imported as rejected: %(reason)s",
                                     row=number, name=application.full_name, reason=reason))
        else:
            applications.admit(application)
            report.admitted += 1
        if "union_cadre" in application.priority_list and round_.rules.priority_points["union_cadre"] == 0:
            report.messages.append(_("row %(row)d: priority union_cadre gives no points under %(rules)s",
                                     row=number, rules=round_.rules_code))
        if row["national_id"] in flagged:
            report.messages.append(_("row %(row)d: national ID %(id)s is flagged from an earlier round (F3)",
                                     row=number, id=row["national_id"]))
    applications.assign_numbers(round_)
    if dry_run:
        db.session.rollback()
        return report
    audit.record("applications_imported", "round", round_.id,
                 after={"file": filename, "rows": report.rows, "admitted": report.admitted,
                        "rejected": len(report.rejected)})
    db.session.commit()
    return report
