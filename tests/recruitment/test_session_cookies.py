"""The session cookie's serializer is built once per secret key (recruitment/session_cookies.py): a
new key still refuses the cookies signed with the old one, unless the old one is a fallback. A cookie
verified once is not verified again, yet judged as before: an expired or altered one is refused, and
a request's in-place change of its session never reaches the next request."""
from __future__ import annotations

import time

from flask import session
from itsdangerous import URLSafeTimedSerializer

from recruitment.access import public


def test_a_new_secret_key_refuses_the_old_cookies_unless_it_falls_back_to_it(app):
    @app.route("/_test/session/<value>")
    @public
    def put(value):
        session["mark"] = value
        return ""

    @app.route("/_test/session")
    @public
    def read():
        return session.get("mark", "")

    client = app.test_client()
    client.get("/_test/session/signed-with-the-first-key")
    assert client.get("/_test/session").get_data(as_text=True) == "signed-with-the-first-key"

    first = app.secret_key
    app.secret_key = "another key altogether, 32 characters or more"
    assert client.get("/_test/session").get_data(as_text=True) == ""  # refused, not read with the old key

    app.secret_key = first
    client.get("/_test/session/signed-with-the-first-key")
    app.config["SECRET_KEY_FALLBACKS"] = [first]
    app.secret_key = "a rotated key, the first one kept as a fallback"
    assert client.get("/_test/session").get_data(as_text=True) == "signed-with-the-first-key"


def _marking(app):
    @app.route("/_test/session/<value>")
    @public
    def put(value):
        session["mark"] = value  # plain values: the cookie is kept once verified
        return ""

    @app.route("/_test/session/listed/<value>")
    @public
    def put_listed(value):
        session["mark"] = value
        session["items"] = ["first"]
        return ""

    @app.route("/_test/session")
    @public
    def read():
        session.get("items", []).append("added in place")  # not saved: no assignment marks it changed
        return f"{session.get('mark', '')} {len(session.get('items', []))}"


def test_a_cookie_verified_before_is_still_refused_once_it_is_too_old(app, monkeypatch):
    _marking(app)
    client = app.test_client()
    client.get("/_test/session/kept")
    for _ in range(2):  # the second time the cookie is known as verified
        assert client.get("/_test/session").get_data(as_text=True) == "kept 0"
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/_test/session").get_data(as_text=True) == " 0"


def test_an_altered_cookie_is_refused_after_the_genuine_one_was_verified(app):
    _marking(app)
    client = app.test_client()
    client.get("/_test/session/genuine")
    assert client.get("/_test/session").get_data(as_text=True) == "genuine 0"
    cookie = client.get_cookie("session").value
    middle = len(cookie) // 3  # in the signed payload: every change there breaks the signature
    client.set_cookie("session", cookie[:middle] + ("B" if cookie[middle] == "A" else "A") + cookie[middle + 1:])
    assert client.get("/_test/session").get_data(as_text=True) == " 0"


def test_a_verified_cookie_is_not_unsigned_again_unless_padded(app, monkeypatch):
    """itsdangerous accepts a signature followed by characters its decoder drops (so does Flask): such
    a cookie is read, but verified every time, never kept."""
    _marking(app)
    client = app.test_client()
    client.get("/_test/session/counted")
    cookie = client.get_cookie("session").value
    unsigned = []
    loads = URLSafeTimedSerializer.loads
    monkeypatch.setattr(URLSafeTimedSerializer, "loads", lambda self, *a, **k: unsigned.append(1) or loads(self, *a, **k))
    for _ in range(3):
        assert client.get("/_test/session").get_data(as_text=True) == "counted 0"
    assert len(unsigned) == 1
    client.set_cookie("session", cookie + "~~")
    for _ in range(2):
        assert client.get("/_test/session").get_data(as_text=True) == "counted 0"
    assert len(unsigned) == 3


def test_a_change_made_in_place_does_not_reach_the_next_request(app):
    _marking(app)
    client = app.test_client()
    client.get("/_test/session/listed/listed")
    for _ in range(3):  # each request gets the session as the cookie holds it
        assert client.get("/_test/session").get_data(as_text=True) == "listed 2"
