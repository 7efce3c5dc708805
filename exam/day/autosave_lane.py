"""The autosave's lane: the save that exam day sends most, stored without Flask's request machinery.

An autosave is one statement and its commit (autosave.py), yet through Flask it cost an app server
2.7 times the CPU of a bare Flask endpoint (1.8 ms against 0.8 ms under gunicorn, 3 December 2026):
the request and application contexts, the session, the CSRF check, the hooks before and after every
request and the response object, each small, together most of the save. At a sitting's saturation
that bound a whole city's saves (issue 14, ratio >= 0.5).

This WSGI middleware, inside ProxyFix and around Flask, answers one kind of request only: a POST to
the answer address with a session cookie signed with the app's key and the CSRF token of that
session (each checked as Flask and Flask-WTF check them, once per worker: SessionCookies.verified,
CSRFProtect.carries), in a sitting's session as the log-in left it, with a body that fits the
candidate's form (answer_check, as the view checks it), and which the save's statement stored
(autosave.stored_at_once: ownership, the live session, the status, the deadline, the slot, the
order of saves, all in the statement). Its answer is the view's, byte for byte.

Anything else goes on to Flask unchanged (the body read here is handed on): a refusal, a malformed
body, a cookie or token that does not verify, a session the view would change or send again (permanent, a
remembered log-in, no form layout yet), a request on the screens' socket (screens_lane), HTTPS with
Flask-WTF's referrer check, an error. The view then answers it as before, in the reader's language;
its statement runs again, which is harmless (a save is idempotent and ordered by its number)."""
from __future__ import annotations

import io
import json
import logging
from typing import Any

from flask import Flask
from werkzeug.http import parse_cookie, parse_options_header

from recruitment.database import utcnow
from recruitment.screens_lane import came_by_screens

from . import answer_check, autosave
from .candidate import API_PREFIX

PATH = f"{API_PREFIX}answer"  # exam/day/candidate.py answer
LONGEST_BODY = 4096  # a save's 500 characters of text take at most 3,000 bytes of JSON; a longer body takes the view
log = logging.getLogger(__name__)


class AutosaveLane:
    def __init__(self, app: Flask, inner):
        self.app, self.inner = app, inner

    def __call__(self, environ: dict, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.inner(environ, start_response)
        body = _body(environ)
        answer = None if body is None else self._stored(environ, body)
        if answer is None:
            return self.inner(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(answer))),
                                  ("Cache-Control", "no-store"),  # B3, as candidate._no_store
                                  ("Vary", "Cookie")])
        return [answer]

    def _stored(self, environ: dict, body: bytes) -> bytes | None:
        """The view's answer to a save stored here, or None for the view to answer."""
        app = self.app
        session = self._verified_session(environ)
        if session is None or not self._verified_token(environ, session):
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        with app.app_context():  # the engine, the group commit's setting, the messages of a refusal
            try:
                save = answer_check.check(data, session["layout"])
            except answer_check.Malformed:
                return None
            try:
                ack = autosave.stored_at_once(session["attempt_id"], session["application_id"], save, utcnow(),
                                              session["session_token"])
            except Exception:  # the view runs the save again and answers the error as every request's
                log.warning("a save failed in the autosave's lane; the view answers it", exc_info=True)
                return None
        if ack is None:
            return None
        return (app.json.dumps(ack.answer(), separators=(",", ":")) + "\n").encode()  # as jsonify

    def _verified_session(self, environ: dict) -> dict[str, Any] | None:
        """The session of a cookie signed with the app's key (SessionCookies.verified), when it is a
        sitting's that a save leaves as it is."""
        app = self.app
        if environ.get("QUERY_STRING") or came_by_screens(app, environ):
            return None  # a query is checked for NUL (storable); the screens' socket refuses a save
        mimetype, _ = parse_options_header(environ.get("CONTENT_TYPE", ""))
        if mimetype != "application/json":
            return None
        cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(app.config["SESSION_COOKIE_NAME"])
        session = app.session_interface.verified(app, cookie) if cookie else None
        if session is None or session.get("_permanent") or "_remember" in session:
            return None  # Flask sends a permanent session again, Flask-Login a remembered log-in
        if any(session.get(key) is None for key in ("attempt_id", "application_id", "session_token")) \
                or not session.get("layout"):
            return None  # no sitting joined, or a session the view completes (candidate.answer)
        return session

    def _verified_token(self, environ: dict, session: dict) -> bool:
        app = self.app
        csrf = app.extensions["csrf"]
        if csrf.takes_the_whole_check(app, environ.get("wsgi.url_scheme") in ("https", "wss")):  # as request.is_secure
            return False
        sent = (environ.get(_environ_key(header)) for header in app.config["WTF_CSRF_HEADERS"])
        token = next((value for value in sent if value), None)  # the first header sent, as csrf.py looks
        return token is not None and csrf.carries(app, token, session.get(app.config["WTF_CSRF_FIELD_NAME"]))


def _environ_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _body(environ: dict) -> bytes | None:
    """The request's body, read once and handed on to Flask; None (nothing read) when its length is
    not given or is not a save's."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= LONGEST_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def init_app(app: Flask) -> None:
    app.wsgi_app = AutosaveLane(app, app.wsgi_app)
