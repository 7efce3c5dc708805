"""Flask's signed-cookie sessions, with the signing serializer built once per secret key rather than
on every request: Flask builds a new one for each request, and building one serializes an empty
dict to learn whether its serializer writes text; that was a tenth of an autosave's CPU, the
commonest request of exam day. A built serializer keeps no state between requests; another key (or
other fallback keys) gets its own."""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer
