"""Flask's signed-cookie sessions, cheaper for the request exam day sends most, the autosave:

- the signing serializer is built once per secret key rather than on every request: Flask builds a
  new one for each request, and building one serializes an empty dict to learn whether its
  serializer writes text; that was a tenth of an autosave's CPU;
- a cookie's signature is checked once per worker process: the exam page sends the same cookie with
  every save (the session is not changed by a save), and checking it and decoding it again was the
  dearest part of opening the session. The same cookie string always verifies to the same data and
  signing time, so what was found is kept (verified.Verified) and only its age is checked again.
A built serializer keeps no state between requests; another key (or other fallback keys) gets its
own serializer and its own verified cookies, so a rotated key still refuses the old cookies."""
from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .verified import Verified

# Cookies kept per worker and per key: a large sitting's candidates, each with the cookie of the
# log-in and the one of the exam page (a candidate's cookie is about 400 characters; with its data,
# an entry takes at most 2.5 KB, 25 MB in all).
VERIFIED_COOKIES, LONGEST_KEPT = 10_000, 1_024


def _flat(data: dict) -> bool:
    """Only sessions of plain values are kept: a session's nested list (the flashed messages) is changed
    in place by the request that uses it, which must not reach the next request's copy."""
    return all(value is None or isinstance(value, (str, int, float)) for value in data.values())


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._verified: dict[tuple, Verified] = {}  # per key: cookie -> (data, signed at)

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ())

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def verified(self, app: Flask, cookie: str) -> dict | None:
        """The data of a cookie signed with the app's key and not too old (as itsdangerous judges its
        age), verified once per worker; None for any other. The dictionary may be the one kept: read
        it, never change it."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        max_age = app.permanent_session_lifetime.total_seconds()
        keys = self._keys(app)
        verified = self._verified.get(keys)
        if verified is None:
            verified = self._verified.setdefault(keys, Verified(VERIFIED_COOKIES, LONGEST_KEPT))
        known = verified.get(cookie, cookie)
        if known is not None and 0 <= time.time() - known[1] <= max_age:
            return known[0]
        try:
            data, signed_at = serializer.loads(cookie, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(data, dict):  # signed with the key, but not by Flask as a session
            return None
        if _flat(data):
            verified.keep(cookie, cookie, (dict(data), signed_at.timestamp()))
        return data

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """As Flask's, but a cookie whose signature was checked before is not checked again."""
        if not app.secret_key:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        data = self.verified(app, cookie) if cookie else None
        return self.session_class(data) if data is not None else self.session_class()  # a copy: the request may change it
