"""The session cookie's serializer is built once per secret key (recruitment/session_cookies.py): a
new key still refuses the cookies signed with the old one, unless the old one is a fallback."""
from __future__ import annotations

from flask import session

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
