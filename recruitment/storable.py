"""Text no database stores, refused where it comes in. PostgreSQL holds no NUL (U+0000) in any text,
and psycopg refuses one in any parameter of a statement, even a filter's: a NUL in a typed reason, a
note, a name, a search or a URL segment reached a statement and answered 500 (DataError), wherever
it was sent. No one types a NUL; a form field, a query value, a URL part or a file's name holding one is refused
before any view reads it, with a page naming the field, and nothing is done.
A JSON body is checked by the view that reads it (exam/day/answer_check.py)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def field_with_nul() -> str | None:
    """The name of the first URL part, query value, form field (or name) or uploaded file's name
    holding a NUL; None if none."""
    # Each source only when the request has it: an exam page's save (JSON, no query) pays nearly nothing.
    request_ = request._get_current_object()
    sources = [request_.view_args.items()] if request_.view_args else []
    if request_.query_string:
        sources.append(request_.args.items(multi=True))
    # A form's body (its type read from the environ, lower-cased as werkzeug reads it); a JSON save is
    # read as it was.
    if request_.environ.get("CONTENT_TYPE", "").lower().startswith(FORMS):
        sources.append(request_.form.items(multi=True))
        # An uploaded file's name: a big import's job keeps it (import_jobs.start), and the audit log too.
        sources.append((name, upload.filename or "") for name, upload in request_.files.items(multi=True))
    for items in sources:
        for name, value in items:
            if "\x00" in name or (isinstance(value, str) and "\x00" in value):
                return name.replace("\x00", "")
    return None


def refuse_nul():
    name = field_with_nul()
    if name is None:
        return None
    message = _("The field %(field)s holds a character that cannot be stored (a NUL, code 0): nothing was done. "
                "Remove it and send again.", field=name or "?")
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify({"error": message, "field": name}), 400
    return render_template("errors/unstorable.html", message=message), 400


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
