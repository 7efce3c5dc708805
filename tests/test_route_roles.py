"""Every route declares who may use it, and the declaration holds: a test walks app.url_map with
every role (and no log-in) on the loaded demo. Allowed roles get their page, others get 403, the
anonymous get the log-in redirect, and the supervisor never changes anything (G6)."""
from __future__ import annotations

import pytest
from werkzeug.routing import FloatConverter, IntegerConverter

from recruitment.access import PUBLIC, may_use
from recruitment.candidates import candidate_user
from recruitment.extensions import db
from recruitment.models import ROLES, Application, User
from tests.support.auth import login_as
from tests.support.demo_cache import demo_loaded

ARG_VALUES = {"kind": "positions", "fmt": "xlsx", "code": "vi", "filename": "x.png", "lang": "vi"}
SKIP_ENDPOINTS = {"static", "auth.logout"}  # logout ends the walking session; it is tested on its own


def _url(app, rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if hasattr(converter, "items"):  # any(a, b): the first choice
            values[arg] = sorted(converter.items)[0]
        elif isinstance(converter, (IntegerConverter, FloatConverter)):
            values[arg] = 1
        else:
            values[arg] = ARG_VALUES.get(arg, "x")
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def test_every_route_declares_its_roles(app):
    undeclared = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                        if rule.endpoint != "static" and getattr(app.view_functions[rule.endpoint], "access", None) is None)
    assert not undeclared, f"routes without @roles or @public: {undeclared}"


def test_an_undeclared_route_is_refused(app_factory):
    fresh = app_factory()

    @fresh.route("/forgotten")
    def forgotten():
        return "should never be served"

    assert fresh.test_client().get("/forgotten").status_code == 403


@pytest.mark.slow
def test_every_route_with_every_role(app, client):
    demo_loaded(app)
    first = db.session.scalar(db.select(Application).filter_by(status="admitted").order_by(Application.candidate_number))
    candidate_user(first)
    db.session.commit()
    users = {}
    for role in ROLES:
        user = db.session.scalar(db.select(User).where(User.roles.any(name=role)).order_by(User.id))
        assert user is not None, f"the demo has no {role}"
        users[role] = user.id
    problems = []
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS), key=lambda r: r.rule)
    for role in [None, *ROLES]:
        with client.session_transaction() as sess:
            sess.clear()
        if role:
            login_as(client, db.session.get(User, users[role]))
        for rule in rules:
            allowed = app.view_functions[rule.endpoint].access
            url = _url(app, rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                status = response.status_code
                if allowed == PUBLIC:
                    ok = status < 500
                elif role is None:
                    ok = status in (302, 401) and (status == 401 or "login" in response.location)
                elif may_use({role}, allowed, method):
                    ok = status not in (401, 403) and status < 500 and not (response.location or "").startswith("/login")
                else:
                    ok = status == 403
                if not ok:
                    problems.append(f"{role or 'anonymous'} {method} {url} ({rule.endpoint}) -> {status} {response.location or ''}")
                db.session.rollback()
    assert not problems, "\n".join(problems[:40])
