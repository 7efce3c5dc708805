"""The audit log, read-only: the supervisor (G6), the council chair and the administrator."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from .. import audit, audit_check, registry
from ..access import roles
from ..extensions import db

bp = Blueprint("audit_log", __name__, url_prefix="/audit")


def init_nav(app) -> None:
    registry.add_nav(app, "audit_log.index", _l("Audit log"), order=95)


@bp.route("/")
@roles("admin", "council_chair", "supervisor")
def index():
    query = db.select(audit.AuditEntry).order_by(audit.AuditEntry.seq.desc())
    for field in ("action", "object_type", "actor"):
        value = request.args.get(field, "").strip()
        if value:
            query = query.where(getattr(audit.AuditEntry, field) == value)
    page = db.paginate(query, per_page=50, error_out=False)
    report = audit_check.verify() if request.args.get("verify") else None
    return render_template("recruitment/audit.html", page=page, report=report)
