"""The test client, with CSRF on as in production: every state-changing request carries the token
the way the pages send it, so that every POST test also covers CSRF.

A browser gets its token from the page (`<input name="csrf_token">` or `<meta name="csrf-token">`),
which is `generate_csrf()` over the raw token in its signed session cookie. This client does the
same in a request context that carries its own cookies, then keeps the session the way the browser
keeps the cookie. Forms get the `csrf_token` field; JSON and raw bodies the `X-CSRFToken` header
(docs/exam-api.md). `csrf=False` on one request sends none, for the tests that show the refusal.
"""
from __future__ import annotations

from flask import g, session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import Headers, MultiDict

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CSRFClient(FlaskClient):
    def csrf_token(self) -> str:
        """A token for this client's session, as a page served to it now would carry."""
        app = self.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        ctx = app.test_request_context()
        self._add_cookies_to_wsgi(ctx.request.environ)
        with ctx:
            # A test keeps one app context (and so one `g`) open across requests: a token cached
            # there may belong to another client's session.
            g.pop(field, None)
            token = generate_csrf()
            g.pop(field, None)
            response = app.response_class()
            app.session_interface.save_session(app, session._get_current_object(), response)
        self._update_cookies_from_response(ctx.request.host.partition(":")[0], ctx.request.path,
                                           response.headers.getlist("Set-Cookie"))
        return token

    def open(self, *args, csrf: bool = True, **kwargs):
        method = str(kwargs.get("method", "GET")).upper()
        if csrf and method in UNSAFE and self.application.config.get("WTF_CSRF_ENABLED", True) \
                and not (args and not isinstance(args[0], str)):  # a prepared request is sent as it is
            self._add_token(kwargs)
        return super().open(*args, **kwargs)

    def _add_token(self, kwargs: dict) -> None:
        config = self.application.config
        field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        data = kwargs.get("data")
        if "json" not in kwargs and (data is None or isinstance(data, dict | MultiDict)):
            if data is None or field not in data:
                data = MultiDict(data) if isinstance(data, MultiDict) else dict(data or {})
                data[field] = self.csrf_token()
                kwargs["data"] = data
            return
        headers = Headers(kwargs.get("headers") or {})
        names = config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
        if not any(name in headers for name in names):
            headers[names[0]] = self.csrf_token()
        kwargs["headers"] = headers


def client_from(app, address: str) -> CSRFClient:
    """A client whose requests come from address (a lab computer, a public visitor)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def confirmation_fields(page: str):
    """The hidden fields the confirmation page's button sends back (recruitment/actions.ask_confirmation),
    a field given several values keeping them all."""
    import html
    import re

    from werkzeug.datastructures import MultiDict

    form = page.split('id="confirmation"', 1)[1]
    return MultiDict([(name, html.unescape(value)) for name, value in
                      re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form) if name != "csrf_token"])


def through_confirmation(client, path: str, data: dict | None = None, **second):
    """An irreversible act as a person does it (recruitment/actions.ask_confirmation): the first post
    must answer with the page naming the consequence, whose button sends its hidden fields back; the
    answer to that second post (sent with `second`, follow_redirects=True say) is returned."""
    first = client.post(path, data=data or {})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and 'id="confirmation"' in page, f"no confirmation page for {path}"
    return client.post(path, data=confirmation_fields(page), **second)
