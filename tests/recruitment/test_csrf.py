"""The CSRF check (recruitment/csrf.py) judges as Flask-WTF's: a token verified once in a worker is
not unsigned again, but it still passes only in the session whose token it carries, and over HTTPS
the referrer is still checked; the header's token is taken before the form's."""
from __future__ import annotations

from flask import session

from recruitment.access import public


def _routes(app):
    @app.route("/_test/csrf/start")
    @public
    def start():
        session["mark"] = "here"  # a session of its own, with its own CSRF token
        return ""

    @app.route("/_test/csrf", methods=["POST"])
    @public
    def change():
        return "done"


def test_a_token_verified_in_one_session_is_refused_in_another(app):
    _routes(app)
    first, second = app.test_client(), app.test_client()
    first.get("/_test/csrf/start")
    second.get("/_test/csrf/start")
    token = first.csrf_token()
    for _ in range(2):  # the second time the token is known as verified
        assert first.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 200
    assert second.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 400
    assert second.post("/_test/csrf", headers={"X-CSRFToken": second.csrf_token()}).status_code == 200


def test_over_https_a_known_token_still_needs_the_referrer_of_this_site(app):
    _routes(app)
    client = app.test_client()
    client.get("/_test/csrf/start", base_url="https://localhost")
    token = client.csrf_token()
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token, "Referer": "https://localhost/exam"},
                       base_url="https://localhost").status_code == 200
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token},
                       base_url="https://localhost").status_code == 400  # no referrer
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token, "Referer": "https://elsewhere.example/"},
                       base_url="https://localhost").status_code == 400


def test_the_headers_token_is_taken_before_the_forms(app):
    """A JSON call's body is never parsed as a form to look for a token; the page sends its token one
    way or the other, and a valid header token is proof enough."""
    _routes(app)
    client = app.test_client()
    client.get("/_test/csrf/start")
    assert client.post("/_test/csrf", data={"csrf_token": "not a token"},
                       headers={"X-CSRFToken": client.csrf_token()}).status_code == 200
    assert client.post("/_test/csrf", data={"csrf_token": client.csrf_token()}).status_code == 200  # the form's, alone
    assert client.post("/_test/csrf", data={"csrf_token": "not a token"}, csrf=False).status_code == 400
