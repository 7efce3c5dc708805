"""What every `scores import --kind K` file shares (formats.md): the candidate named by
candidate_number / so_bao_danh or by national_id / so_cccd, and the report the command prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from . import national_ids
from . import tabular as t
from .database import as_it_stands
from .extensions import db
from .i18n import local_time
from .models import Application, Round
from .tabular import CellError, Column, RowError

IDENTITY_COLUMNS = [
    Column("candidate_number", "so_bao_danh", False, t.optional(t.parse_int), "1"),
    Column("national_id", "so_cccd", False, t.text, ""),
]


@dataclass
class Report:
    rows: int = 0
    messages: list[str] = field(default_factory=list)


def refuse_once_published(round_: Round, how: str) -> None:
    """E5: a published result is never rewritten, and publication waits for every result, so once a
    round's results are published a score file of it can only rewrite them: refused whole, saying
    which way a result may still change (`how`). Read as the round stands: it may have been published
    since the request loaded it."""
    published = as_it_stands(round_).results_published_at
    if published is not None:
        raise t.ImportRejected([RowError(None, None, _(
            "The results of round %(round)s were published on %(day)s: a score file changes them no more (E5). "
            "%(how)s", round=round_.code, day=local_time(published).strftime("%d/%m/%Y"), how=how))])


def score_100(value) -> Decimal | None:
    number = t.parse_decimal(value)
    if number is not None and not (0 <= number <= 100):
        raise CellError(_("a score is between 0 and 100"))
    return number


def find_applications(round_: Round, table_rows, errors: list[RowError]) -> dict[int, Application]:
    """Each row's admitted application (row number -> application); unknown ones become errors."""
    by_number = {a.candidate_number: a for a in db.session.scalars(
        db.select(Application).filter_by(round_id=round_.id, status="admitted"))}
    by_id = {national_ids.canonical(a.national_id): a for a in by_number.values()}
    found = {}
    for number, row in table_rows:
        if row.get("candidate_number") is not None:
            application = by_number.get(row["candidate_number"])
            if application is None:
                errors.append(RowError(number, "candidate_number", _("no admitted candidate number %(n)s in this round",
                                                                     n=row["candidate_number"])))
                continue
        elif row.get("national_id"):
            application = by_id.get(national_ids.canonical(row["national_id"]))
            if application is None:
                errors.append(RowError(number, "national_id", _("no admitted application with national ID %(id)s",
                                                                id=row["national_id"])))
                continue
        else:
            errors.append(RowError(number, "candidate_number", _("give a candidate number or a national ID")))
            continue
        found[number] = application
    return found


def finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
