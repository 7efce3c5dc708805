"""Flask-WTF's CSRF protection, cheaper for the exam page's JSON calls (an autosave at every change of
every candidate: exam day's commonest request), with the same judgement:

- the token is looked for in the headers first. Flask-WTF looks in the form first, which parses the
  body as a form before the view parses it as JSON; a page sends its token one way or the other.
- a signed token whose signature was checked once is not checked again in this worker process:
  unsigning it was the dearest part of the check, and a page sends the same token with every call.
  What the signature gave (the session's own token) is kept, and it is compared with the session's
  token on every request, as Flask-WTF does, so a token is still refused in any other session.
  Tokens never expire here (WTF_CSRF_TIME_LIMIT is None, config.py); with a time limit every token
  takes the whole check."""
from __future__ import annotations

import hmac

from flask import current_app, g, request, session
from flask_wtf import csrf

from .verified import Verified

VERIFIED_TOKENS = 20_000  # kept per worker: a large sitting's pages, each with its token


class CSRFProtect(csrf.CSRFProtect):
    def __init__(self, app=None):
        self._verified = Verified(VERIFIED_TOKENS)  # (signing key, signed token) -> the session token it carries
        super().__init__(app)

    def _get_csrf_token(self):
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header)
            if token:
                return token
        return super()._get_csrf_token()

    def _signing_key(self):
        return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key

    def _verified_before(self) -> bool:
        """The request's token was verified before, and it is this session's."""
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"] or config["WTF_CSRF_TIME_LIMIT"] is not None:
            return False
        carried = self._verified.get((self._signing_key(), self._get_csrf_token()))
        held = session.get(config["WTF_CSRF_FIELD_NAME"])
        return carried is not None and held is not None and hmac.compare_digest(held, carried)

    def protect(self, apply_exemptions=False):
        # Over HTTPS with WTF_CSRF_SSL_STRICT the referrer is checked as well: that is the whole check.
        if self._verified_before() and not (request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]):
            g.csrf_valid = True
            return
        super().protect(apply_exemptions)
        config = current_app.config
        if g.get("csrf_valid") and config["WTF_CSRF_TIME_LIMIT"] is None:  # it was checked, and passed
            self._verified.keep((self._signing_key(), self._get_csrf_token()), session[config["WTF_CSRF_FIELD_NAME"]])
