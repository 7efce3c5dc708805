"""Flask-WTF's CSRF protection, cheaper for the exam page's JSON calls (an autosave at every change of
every candidate: exam day's commonest request), with the same judgement:

- the token is looked for in the headers first. Flask-WTF looks in the form first, which parses the
  body as a form before the view parses it as JSON; a page sends its token one way or the other.
- a signed token whose signature was checked once is not checked again in this worker process:
  unsigning it was the dearest part of the check, and a page sends the same token with every call.
  What the signature gave (the session's own token) is kept, and it is compared with the session's
  token on every request, as Flask-WTF does, so a token is still refused in any other session.
  Tokens never expire here (WTF_CSRF_TIME_LIMIT is None, config.py); with a time limit every token
  takes the whole check.
- the page that answers a checked request carries the token the request sent."""
from __future__ import annotations

import hmac

from flask import Flask, current_app, g, request, session
from flask_wtf import csrf
from itsdangerous import BadData, URLSafeTimedSerializer

from .verified import Verified, signed_shape

SALT = "wtf-csrf-token"  # Flask-WTF's, for the tokens it signs (generate_csrf)
VERIFIED_TOKENS, LONGEST_KEPT = 20_000, 128  # kept per worker: a large sitting's pages, each with its token


class CSRFProtect(csrf.CSRFProtect):
    def __init__(self, app=None):
        # (signing key, signed token) -> the session's token that it carries
        self._verified = Verified(VERIFIED_TOKENS, LONGEST_KEPT)
        self._serializers: dict = {}  # per signing key
        super().__init__(app)

    def _get_csrf_token(self):
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header)
            if token:
                return token
        return super()._get_csrf_token()

    @staticmethod
    def _signing_key(app: Flask):
        return app.config.get("WTF_CSRF_SECRET_KEY", app.secret_key)  # as Flask-WTF finds it

    def carries(self, app: Flask, token: str, held: str | None) -> bool:
        """The token is signed with the app's key and carries `held`, the session's own token: Flask-WTF's
        judgement (validate_csrf), its signature checked once per worker. Never with a time limit:
        every token then takes Flask-WTF's whole check."""
        if app.config["WTF_CSRF_TIME_LIMIT"] is not None or held is None or not token:
            return False
        key = self._signing_key(app)
        carried = self._verified.get((key, token), token)
        if carried is None:
            try:
                carried = self._serializer(key).loads(token)
            except BadData:
                return False
            if not isinstance(carried, str):
                return False
            self._verified.keep((key, token), token, carried)
        return hmac.compare_digest(held, carried)

    def _serializer(self, key) -> URLSafeTimedSerializer:
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = URLSafeTimedSerializer(key, salt=SALT)
        return serializer

    @staticmethod
    def takes_the_whole_check(app: Flask, secure: bool) -> bool:
        """Over HTTPS with WTF_CSRF_SSL_STRICT Flask-WTF checks the referrer as well: its own way only."""
        return secure and app.config["WTF_CSRF_SSL_STRICT"]

    def protect(self, apply_exemptions=False):
        # Flask-WTF checks nothing for an exempt view or an unknown address; over HTTPS with
        # WTF_CSRF_SSL_STRICT it checks the referrer as well: those take Flask-WTF's own way.
        shortened = (not apply_exemptions or (request.endpoint and not self._is_exempt())) \
            and not self.takes_the_whole_check(current_app, request.is_secure)
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return  # as Flask-WTF: a GET has nothing to check (and asked for no token's look-up)
        token = self._get_csrf_token() or ""
        if shortened and self.carries(current_app, token, session.get(config["WTF_CSRF_FIELD_NAME"])):
            g.csrf_valid = True
        else:  # refused (or exempt, or with a time limit): Flask-WTF's own check and its own words
            super().protect(apply_exemptions)
            if not (g.get("csrf_valid") and config["WTF_CSRF_TIME_LIMIT"] is None):
                return
        # The forms and the page that answer carry the token that was sent, rather than one signed anew
        # (Flask-WTF signs one per request, and generate_csrf takes the request's from g): the same
        # session's, and without a time limit as good as a new one. Only a token shaped exactly as
        # signed: itsdangerous also passes one with text after its signature, which a page must never
        # carry. A view that clears the session drops it from g (exam/day/candidate.py).
        if signed_shape(token):
            setattr(g, config["WTF_CSRF_FIELD_NAME"], token)
