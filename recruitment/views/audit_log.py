"""The audit log, read-only: the supervisor (G6), the council chair and the administrator. Entries
read as words: the action and the object in the reader's language, the before and after as
"field: value" lines with coded values labelled, filters by action, object, person and day."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, audit_check, registry
from ..access import roles
from ..extensions import db
from ..i18n import stored_utc
from ..labels import kinds, label

bp = Blueprint("audit_log", __name__, url_prefix="/audit")


def init_nav(app) -> None:
    registry.add_nav(app, "audit_log.index", _l("Audit log"), order=95)


def _value(value) -> str:
    """A stored value as a reader sees it: a code that one catalogue kind knows is shown as its label."""
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_field(k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, str):
        for labels in kinds().values():
            if value in labels:
                return str(labels[value])
    return "" if value is None else str(value)


def _field(key: str) -> str:
    """A field's name in words; a key that is itself a code (a count per status) is labelled as one."""
    return label(key, "audit_field") if key in kinds()["audit_field"] else _value(key).replace("_", " ")


def fields(stored: str | None) -> list[tuple[str, str]]:
    """The canonical JSON of an entry's before or after, as (field, value) lines."""
    if not stored:
        return []
    try:
        data = json.loads(stored)
    except ValueError:
        return [("", stored)]
    if not isinstance(data, dict):
        return [("", _value(data))]
    return [(_field(key), _value(v)) for key, v in data.items()]


def _day(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            return None


@bp.route("/")
@roles("admin", "council_chair", "supervisor")
def index():
    entry = audit.AuditEntry
    query = select(entry).order_by(entry.seq.desc())
    chosen = {field: request.args.get(field, "").strip() for field in ("action", "object_type", "actor", "object_id")}
    for field, value in chosen.items():
        if value:
            query = query.where(getattr(entry, field) == value)
    since, until = _day(request.args.get("from", "")), _day(request.args.get("to", ""))
    if since:  # the reader's days, stored as UTC
        query = query.where(entry.at >= stored_utc(since))
    if until:
        query = query.where(entry.at < stored_utc(until + timedelta(days=1)))
    page = db.paginate(query, per_page=50, error_out=False)
    report = audit_check.verify() if request.args.get("verify") else None
    actions = sorted(db.session.scalars(select(entry.action).distinct()), key=lambda a: label(a, "audit_action"))
    objects = sorted(db.session.scalars(select(entry.object_type).distinct()), key=lambda o: label(o, "object_type"))
    actors = sorted(db.session.scalars(select(entry.actor).distinct()))
    return render_template("recruitment/audit.html", page=page, report=report, fields=fields, chosen=chosen,
                           actions=actions, objects=objects, actors=actors,
                           since=request.args.get("from", ""), until=request.args.get("to", ""))
