"""The CSRF check (recruitment/csrf.py) judges as Flask-WTF's: a token verified once in a worker is
not unsigned again, but it still passes only in the session whose token it carries, and over HTTPS
the referrer is still checked; the header's token is taken before the form's."""
from __future__ import annotations

from flask import session
from itsdangerous import URLSafeTimedSerializer

from recruitment.access import public
from recruitment.extensions import csrf


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


def _counting(monkeypatch) -> list:
    """Each check of a CSRF token's signature (Flask-WTF's salt), by Flask-WTF or by recruitment/csrf.py."""
    unsigned = []
    loads = URLSafeTimedSerializer.loads

    def counted(serializer, *args, **kwargs):
        if serializer.salt in (b"wtf-csrf-token", "wtf-csrf-token"):
            unsigned.append(1)
        return loads(serializer, *args, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counted)
    return unsigned


def test_a_token_is_unsigned_once_unless_padded_or_given_a_time_limit(app, monkeypatch):
    _routes(app)
    unsigned = _counting(monkeypatch)
    client = app.test_client()
    client.get("/_test/csrf/start")
    token = client.csrf_token()
    for _ in range(3):
        assert client.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 200
    assert len(unsigned) == 1
    for _ in range(2):  # itsdangerous's decoder drops the padding: valid, but never kept
        assert client.post("/_test/csrf", headers={"X-CSRFToken": token + "~~"}).status_code == 200
    assert len(unsigned) == 3
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # a token that may expire takes the whole check every time
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 200
    assert len(unsigned) == 4


def test_a_known_token_is_refused_once_the_secret_key_changes(app):
    _routes(app)
    client = app.test_client()
    client.get("/_test/csrf/start")
    token = client.csrf_token()
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 200
    app.config["WTF_CSRF_SECRET_KEY"] = "another key for the CSRF tokens alone"
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 400


def test_an_exempt_view_is_not_checked_even_with_a_known_token(app):
    """As Flask-WTF: an exempt view's request is not judged at all, and so not marked valid."""
    _routes(app)

    @app.route("/_test/csrf/exempt", methods=["POST"])
    @public
    def exempt():
        from flask import g
        return "valid" if g.get("csrf_valid") else "not checked"

    csrf.exempt(exempt)
    client = app.test_client()
    client.get("/_test/csrf/start")
    token = client.csrf_token()
    assert client.post("/_test/csrf", headers={"X-CSRFToken": token}).status_code == 200  # now known
    assert client.post("/_test/csrf/exempt", csrf=False).get_data(as_text=True) == "not checked"
    assert client.post("/_test/csrf/exempt", headers={"X-CSRFToken": token}).get_data(as_text=True) == "not checked"
