"""No hostile or careless request answers 500 (tests/support/form_fuzz.py). On the demo, every role's
pages are walked; every form found there, every POST route no page showed (its fields read from its
view's source) and every query a view reads is sent the form's own values with one field at a time
replaced by each hostile value (empty, digits that are not ASCII, 1e308, NaN, 5,000 characters, a
NUL, bytes that are not UTF-8, impossible dates, ids of other records), each name sent twice, and its
URL with ids no record has. A refusal is a 4xx or a page that says why; an exception, a 500 or what
PostgreSQL would refuse (form_fuzz.strict_as_postgresql) is listed with where it was raised."""
from __future__ import annotations

import os
import time
from collections import deque

import pytest
from flask import url_for

from recruitment.access import PUBLIC, may_use
from recruitment.candidates import candidate_user
from recruitment.extensions import db
from recruitment.models import ROLES, Application, User
from tests.support.auth import login_as
from tests.support.demo_cache import demo_loaded
from tests.support.form_fuzz import (
    MISSING_IDS,
    PATH_TEXT,
    FoundForm,
    Sender,
    endpoint_of,
    forms_of,
    links_of,
    names_read_by,
    strict_as_postgresql,
    variants,
)

SEEDS = ["/", "/login", "/exam/candidate/login", "/verification/candidate/login", "/public/results/", "/exam/board/"]
SKIP = {"static", "auth.logout"}  # logout ends the walking session
PAGES_PER_ENDPOINT = 2  # URLs of one endpoint walked per role: ids differ, forms seldom do
WALKERS = [None, *(r for r in ROLES if r != "supervisor")]  # the supervisor reads what others read (G6)
LAST = ("admin.", "auth.")  # forms that change accounts go after the others, which log in with them
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".docx", ".xml", ".json", ".jpg")


def _users() -> dict[str, int]:
    first = db.session.scalar(db.select(Application).filter_by(status="admitted").order_by(Application.candidate_number))
    candidate_user(first)
    db.session.commit()
    return {role: db.session.scalar(db.select(User.id).where(User.roles.any(name=role)).order_by(User.id))
            for role in ROLES}


def _as(client, role: str | None, users: dict) -> str:
    with client.session_transaction() as sess:
        sess.clear()
    if role:
        login_as(client, db.session.get(User, users[role]))
    return client.csrf_token()


def _walk(app, sender: Sender) -> tuple[list[str], list[FoundForm]]:
    """The pages a role reaches from the seeds (a few per endpoint, downloads included), the forms on
    them, and each page with a query as a GET form of its own. A page that fails is a crash."""
    pages, forms, per_endpoint = [], [], {}
    queue, seen = deque(SEEDS), set(SEEDS)
    while queue:
        url = queue.popleft()
        sender.send("GET", url, [], None)
        pages.append(url)
        if "?" in url:
            forms.append(FoundForm(url, "GET", [tuple(p.split("=", 1)) if "=" in p else (p, "")
                                                for p in url.partition("?")[2].split("&")]))
        if not sender.page:
            continue
        forms += forms_of(sender.page, url)
        for link in links_of(sender.page):
            match = endpoint_of(app, link)
            if link in seen or match is None or match[0] in SKIP:
                continue
            seen.add(link)
            if per_endpoint.get(match[0], 0) < PAGES_PER_ENDPOINT:
                per_endpoint[match[0]] = per_endpoint.get(match[0], 0) + 1
                queue.append(link)
    return pages, forms


def _other_urls(app, url: str, method: str, arg_values: dict) -> list[str]:
    """The URL with each id in it replaced by ids no record has and by the last id of its kind the walk
    saw (another record, often of another round), and each text part by hostile text."""
    match = endpoint_of(app, url, method)
    if match is None:
        return []
    endpoint, args = match
    out = []
    with app.test_request_context():
        for name, value in args.items():
            if isinstance(value, int):
                out += [url_for(endpoint, **{**args, name: 0}).replace("/0", f"/{missing}", 1) if missing != "0"
                        else url_for(endpoint, **{**args, name: 0}) for missing in MISSING_IDS]
                other = max((v for v in arg_values.get(name, ()) if isinstance(v, int)), default=value)
                if other != value:
                    out.append(url_for(endpoint, **{**args, name: other}))
            elif isinstance(value, str) and not hasattr(app.url_map._rules_by_endpoint[endpoint][0]._converters[name], "items"):
                out += [url_for(endpoint, **{**args, name: text}) for text in PATH_TEXT]
    return out


def _unseen(app, plan: dict, arg_values: dict) -> dict:
    """A form for each POST route (and each GET route reading a query) that no walked page showed: its
    URL with ids the walk saw, its fields the names its view reads, empty."""
    planned = {key[0] for key in plan}
    made = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        read = names_read_by(view)
        text_in_path = any(not hasattr(rule._converters[a], "items") and type(rule._converters[a]).__name__
                           in ("UnicodeConverter", "PathConverter") for a in rule.arguments)
        for method, where in (("POST", "form"), ("GET", "args")):
            if rule.endpoint in planned or rule.endpoint in SKIP or method not in rule.methods \
                    or (method == "GET" and not read.get("args") and not text_in_path):
                continue
            allowed = view.access
            role = None if allowed == PUBLIC else min(allowed - {"supervisor"}, default=None)
            if allowed != PUBLIC and role is None:
                continue
            values = {}
            for arg in rule.arguments:
                converter = rule._converters[arg]
                seen = sorted(arg_values.get((rule.endpoint, arg)) or arg_values.get(arg, []), key=str)
                values[arg] = seen[0] if seen else (sorted(converter.items)[0] if hasattr(converter, "items") else 1)
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            made[(rule.endpoint, method, ())] = (role, FoundForm(url, method, [(n, "") for n in sorted(read.get(where, ()))]))
    return made


def _spread(ids: list[str]) -> list[str]:
    """The first, the last and two between: ids of records far apart (other rounds, other positions)."""
    return list(dict.fromkeys(ids[i * (len(ids) - 1) // 3] for i in range(4))) if ids else []


def _plan(app, client, sender: Sender, users: dict, log) -> tuple[dict, dict, dict, int]:
    """What to send: (endpoint, method, names) -> (role, form), the ids seen in form fields and in
    URLs, and how many pages were walked."""
    plan, id_values, arg_values, pages_walked = {}, {}, {}, 0
    for role in WALKERS:
        _as(client, role, users)
        sender.who = role or "anonymous"
        pages, forms = _walk(app, sender)
        pages_walked += len(pages)
        print(f"walked {role}: {len(pages)} pages, {len(forms)} forms", file=log)
        for url, method in [(page, "GET") for page in pages] + [(form.url, form.method) for form in forms]:
            endpoint, args = endpoint_of(app, url, method) or ("", {})
            for name, value in args.items():
                arg_values.setdefault(name, set()).add(value)
                arg_values.setdefault((endpoint, name), set()).add(value)
        for form in forms:
            match = endpoint_of(app, form.url, form.method)
            if match is None or match[0] in SKIP:
                continue
            for name, value in form.fields:
                if value.isascii() and value.isdigit():
                    id_values.setdefault(name, set()).add(value)
            allowed = app.view_functions[match[0]].access
            if allowed != PUBLIC and (role is None or not may_use({role}, allowed, form.method)):
                continue
            plan.setdefault((match[0], form.method, tuple(sorted({n for n, _ in form.fields}))), (role, form))
    # A query that is part of a larger one of the same page (?page=2 of the filter form) is sent with it.
    for key in [k for k in plan if k[1] == "GET"]:
        if any(o != key and o[:2] == key[:2] and set(key[2]) <= set(o[2]) for o in plan):
            del plan[key]
    return plan, {n: _spread(sorted(v, key=int)) for n, v in id_values.items()}, arg_values, pages_walked


@pytest.mark.slow
def test_no_hostile_form_answers_500(app, client):
    """FUZZ_LOG=path writes each form as it is done and each crash as it is found (for a long hunt)."""
    started = time.monotonic()
    demo_loaded(app)
    users = _users()
    with open(os.environ.get("FUZZ_LOG", os.devnull), "w", buffering=1) as log:
        sender = Sender(client, log=log)
        plan, id_values, arg_values, pages_walked = _plan(app, client, sender, users, log)
        found = len(plan)
        plan.update(_unseen(app, plan, arg_values))
        for key, (_role, form) in plan.items():  # the names a view reads that its form does not send
            read = names_read_by(app.view_functions[key[0]]).get("args" if form.method == "GET" else "form", set())
            form.fields += [(n, "") for n in sorted(read - {n for n, _ in form.fields})]
        with strict_as_postgresql(db.engine):
            for (endpoint, method, _names), (role, form) in sorted(plan.items(),
                                                                   key=lambda kv: (kv[0][0].startswith(LAST), kv[0])):
                sender.who = role or "anonymous"
                token = _as(client, role, users)
                quick = form.url.split("?")[0].endswith(DOWNLOADS) or "export" in endpoint
                for fields in variants(form.fields, id_values, quick=quick):
                    sender.send(method, form.url, fields, token, form.files)
                for url in _other_urls(app, form.url, method, arg_values):
                    sender.send(method, url, form.fields, token, form.files)
                print(f"{time.monotonic() - started:.1f} {role} {method} {form.url}: sent {sender.sent}", file=log)
            for role in WALKERS:  # what the hostile values left stored is read on every page, and printed
                _as(client, role, users)
                sender.who = f"{role or 'anonymous'} (pages after)"
                pages_walked += len(_walk(app, sender)[0])
    print(f"\nform fuzz: {pages_walked} pages walked, {found} forms found and {len(plan) - found} made from views, "
          f"{sender.sent} requests, {time.monotonic() - started:.0f} s")
    assert not sender.crashes, f"{len(sender.crashes)} crashes:\n" + "\n\n".join(map(str, sender.crashes))
