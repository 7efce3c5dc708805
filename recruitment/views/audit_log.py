"""The audit log, read-only: the supervisor (G6), the council chair and the administrator. Entries
read as words: the action and the object in the reader's language, the before and after as
"field: value" lines with coded values labelled, filters by action, object, person and day."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, audit_check, paging, registry
from ..access import roles
from ..extensions import db
from ..i18n import format_date, format_datetime, format_number, format_utc_datetime, stored_utc
from ..labels import kinds, label

bp = Blueprint("audit_log", __name__, url_prefix="/audit")


def init_nav(app) -> None:
    registry.add_nav(app, "audit_log.index", _l("Audit log"), order=95)


# The canonical JSON keeps days and moments as ISO text and decimals as text with a point (audit._default).
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_DECIMAL = re.compile(r"-?\d+\.\d+")
# The objects whose moments are stored in UTC (a sitting's start and end, an attempt's deadline and the
# time its candidate arrived); the others record a day's wall-clock time as entered (an interview, an
# interviewer's absence), printed as stored.
UTC_OBJECTS = {"exam_sitting", "exam_attempt"}


def _value(value, utc: bool = False, field: str | None = None, own: str | None = None) -> str:
    """A stored value as a reader sees it: a code that one catalogue kind knows is shown as its label,
    a day as dd/mm/yyyy, a moment as dd/mm/yyyy hh:mm, a decimal with the reader's decimal sign. A
    number is a code only in its own field (a difficulty of 1 is "easy"; a user id 1 is not). `own`: the
    catalogue of this field of this object, asked first (OWN_CATALOGUE)."""
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return "; ".join(_value(v, utc, field) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_field(k)}: {_value(v, utc, k)}" for k, v in value.items())
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        catalogues = kinds()
        if own is not None and value in catalogues[own]:
            return str(catalogues[own][value])
        if value.isdigit():
            if field in catalogues and value in catalogues[field]:
                return str(catalogues[field][value])
        else:
            for labels in catalogues.values():
                if value in labels:
                    return str(labels[value])
        try:
            if _DAY.fullmatch(value):
                return format_date(date.fromisoformat(value))
            if _MOMENT.fullmatch(value):
                moment = datetime.fromisoformat(value)
                return format_utc_datetime(moment) if utc else format_datetime(moment)
        except ValueError:
            return value
        if _DECIMAL.fullmatch(value):
            return format_number(Decimal(value), len(value.partition(".")[2]))
    return "" if value is None else str(value)


def _field(key: str) -> str:
    """A field's name in words; a key that is itself a code (a count per status) is labelled as one."""
    return label(key, "audit_field") if key in kinds()["audit_field"] else _value(key).replace("_", " ")


def fields(stored: str | None, object_type: str | None = None) -> list[tuple[str, str]]:
    """The canonical JSON of an entry's before or after, as (field, value) lines."""
    if not stored:
        return []
    try:
        data = json.loads(stored)
    except ValueError:
        return [("", stored)]
    utc = object_type in UTC_OBJECTS
    if not isinstance(data, dict):
        return [("", _value(data, utc))]
    return [(_field(key), _value(v, utc, key, OWN_CATALOGUE.get((object_type, key)))) for key, v in data.items()]


# A code that several catalogues hold is read in its object's own: an application "submitted" is not
# a test "handed in".
OWN_CATALOGUE = {("application", "status"): "application_status", ("exam_attempt", "status"): "attempt_status"}


FIRST_YEAR, LAST_YEAR = 1900, 9000  # the log's days; beyond them the time-zone shift overflows


def _day(text: str) -> datetime | None:
    """A day typed as dd/mm/yyyy or yyyy-mm-dd; None for no day. A day that is not one, or is outside
    the years any entry can have, is refused (ValueError) so that the page says it was ignored."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
    raise ValueError(text)


def _days() -> tuple[datetime | None, datetime | None]:
    """The from/to filter; an impossible value is left out with a note, never a failure."""
    days = []
    for name, shown in (("from", _("from")), ("to", _("to"))):
        try:
            days.append(_day(request.args.get(name, "")))
        except ValueError:
            flash(_("The day \"%(value)s\" (%(which)s) was ignored: write it as dd/mm/yyyy.",
                    value=request.args.get(name, ""), which=shown), "warning")
            days.append(None)
    return days[0], days[1]


@bp.route("/")
@roles("admin", "council_chair", "supervisor")
def index():
    entry = audit.AuditEntry
    query = select(entry).order_by(entry.seq.desc())
    chosen = {field: request.args.get(field, "").strip() for field in ("action", "object_type", "actor", "object_id")}
    for field, value in chosen.items():
        if value:
            query = query.where(getattr(entry, field) == value)
    since, until = _days()
    if since:  # the reader's days, stored as UTC
        query = query.where(entry.at >= stored_utc(since))
    if until:
        query = query.where(entry.at < stored_utc(until + timedelta(days=1)))
    page = paging.paginate(query, per_page=50)
    report = audit_check.verify() if request.args.get("verify") else None
    actions = sorted(db.session.scalars(select(entry.action).distinct()), key=lambda a: label(a, "audit_action"))
    objects = sorted(db.session.scalars(select(entry.object_type).distinct()), key=lambda o: label(o, "object_type"))
    actors = sorted(db.session.scalars(select(entry.actor).distinct()))
    return render_template("recruitment/audit.html", page=page, report=report, fields=fields, chosen=chosen,
                           actions=actions, objects=objects, actors=actors,
                           since=request.args.get("from", ""), until=request.args.get("to", ""))
