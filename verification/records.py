"""Import of the issuing records institutions send (.xlsx/.csv), all or nothing."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import func, select

from recruitment import audit
from recruitment import tabular as t
from recruitment.bulk_rows import insert_rows
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.rulesets import DEGREE_LEVELS
from recruitment.score_files import Report
from recruitment.tabular import Column, ImportRejected

from .matching import number_key
from .models import IssuingRecord

COLUMNS = [
    Column("institution", "co_so_cap", True, t.required_text, "Trường Đại học Hàng hải Việt Nam",
           max_length=t.length_of(IssuingRecord.institution)),
    Column("number", "so_hieu", True, t.required_text, "HH-2019-004512", max_length=t.length_of(IssuingRecord.number)),
    Column("holder", "ho_ten", True, t.required_text, "Nguyễn Văn An", max_length=t.length_of(IssuingRecord.holder)),
    Column("date_of_birth", "ngay_sinh", False, t.parse_date, "15/03/1997"),
    Column("level", "trinh_do", False, lambda v: t.one_of(*DEGREE_LEVELS)(v) if t.text(v) else "", "dai_hoc"),
    Column("major", "chuyen_nganh", False, t.text, "Kinh tế", max_length=t.length_of(IssuingRecord.major)),
    Column("date", "ngay_cap", False, t.parse_date, "20/06/2019"),
]


def import_records(filename: str, data: bytes, progress=None) -> Report:
    """A register can hold a university's every diploma (100,000 rows): the rows go to the driver in
    batches (bulk_rows), in one transaction with their audit entry."""
    progress = progress or (lambda _done, _total: None)
    table = t.read_table(filename, data, COLUMNS)
    if table.errors:
        raise ImportRejected(table.errors, table.order)
    progress(1, 2)
    # Each record keeps who imported it, when and from which file: shown beside a match, and a verifier's
    # own import is no check of their own decision (verification/dossiers.py).
    importer, now = (current_user.id if current_user.is_authenticated else None), utcnow()
    insert_rows(db.session.connection(), IssuingRecord.__table__,
                ("institution", "number", "number_key", "holder", "date_of_birth", "level", "major", "issued_on",
                 "source_file", "imported_by_id", "imported_at"),
                ((row["institution"], row["number"], number_key(row["number"]), row["holder"], row["date_of_birth"],
                  row["level"] or "", row["major"] or "", row["date"], filename[:255], importer, now)
                 for _number, row in table.rows))
    first, last = db.session.execute(select(func.min(IssuingRecord.id), func.max(IssuingRecord.id)).where(
        IssuingRecord.imported_at == now, IssuingRecord.imported_by_id == importer,
        IssuingRecord.source_file == filename[:255])).one()
    audit.record("issuing_records_imported", "issuing_records", None,
                 after={"file": filename, "rows": len(table.rows), "first_id": first, "last_id": last})
    db.session.commit()
    return Report(rows=len(table.rows))
