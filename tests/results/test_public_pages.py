"""Results day's pages kept whole per process (recruitment/public_pages.py), each visitor's own token
and result put in, and the latest versions read at most once a second per worker."""
from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import event

from recruitment import public_pages
from recruitment.extensions import db
from recruitment.models import Application
from results import public, published, service
from results.models import ResultVersion

INDEX, LOOKUP = "/public/results/", "/public/results/lookup"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: now[0])
    return now


def _fresh(client, path: str, **kw):
    """A request as a worker serves it: the test keeps one app context, and so one `g`, open across
    requests, where a token of another client's request would otherwise be found."""
    g.pop("csrf_token", None)
    return client.open(path, **kw)


def _people(round_, n=2) -> list[Application]:
    rows = [r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected"][:n]
    return [db.session.get(Application, r["application_id"]) for r in rows]


def test_results_day_reads_the_latest_versions_once_a_second(demo_round, client, clock):
    read = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM result_versions ORDER BY result_versions.round_id" in " ".join(statement.split()):
            read.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        position = service.rows_of(service.latest(demo_round))[0]["position_code"]
        for path in (INDEX, INDEX, f"/public/results/{demo_round.id}/{position}", LOOKUP):
            assert client.get(path).status_code == 200
        assert len(read) == 1
        clock[0] += published.HEADS_FRESH_SECONDS
        assert client.get(INDEX).status_code == 200
        assert len(read) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_each_visitor_gets_the_kept_page_with_a_token_of_their_own(demo_round, app):
    first, second = app.test_client(), app.test_client()
    pages = [_fresh(c, INDEX).get_data(as_text=True) for c in (first, second)]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")  # the rest is the one kept page
    assert all(f'<meta name="csrf-token" content="{t}">' in page for t, page in zip(tokens, pages, strict=True))
    someone = _people(demo_round, 1)[0]
    data = {"round_id": demo_round.id, "candidate_number": someone.candidate_number,
            "date_of_birth": someone.date_of_birth.strftime("%d/%m/%Y")}
    assert _fresh(second, LOOKUP, method="POST", data={**data, "csrf_token": tokens[0]}).status_code == 400
    found = _fresh(first, LOOKUP, method="POST", data={**data, "csrf_token": tokens[0]})
    assert found.status_code == 200 and someone.full_name in found.get_data(as_text=True)


def test_the_look_up_answers_each_visitor_with_their_own_result(demo_round, app):
    people = _people(demo_round)
    pages = []
    for person in people:
        visitor = app.test_client()
        token = TOKEN.search(_fresh(visitor, INDEX).get_data(as_text=True)).group(1)
        pages.append(_fresh(visitor, LOOKUP, method="POST", data={
            "csrf_token": token, "round_id": demo_round.id, "candidate_number": person.candidate_number,
            "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y")}).get_data(as_text=True))
        assert TOKEN.search(pages[-1]).group(1) == token  # the token sent, not one signed anew
    for person, other, page in zip(people, reversed(people), pages, strict=True):
        assert person.full_name in page and other.full_name not in page
        assert page.count('id="own-result"') == 1
        assert re.search(r'<input id="candidate_number"[^>]* value="">', page)  # the form is left empty


def test_a_wrong_look_up_keeps_what_was_typed(demo_round, client):
    someone = _people(demo_round, 1)[0]
    page = client.post(LOOKUP, data={"round_id": demo_round.id, "candidate_number": someone.candidate_number,
                                     "date_of_birth": "01/01/1900"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and someone.full_name not in text and 'value="01/01/1900"' in text


def test_a_signed_in_visitor_and_a_waiting_message_get_pages_of_their_own(demo_round, client, make_user, login):
    anonymous = client.application.test_client()
    assert _fresh(anonymous, INDEX).status_code == 200  # the page is kept
    chair = make_user("chair", "council_chair")
    login(chair)
    mine = _fresh(client, INDEX).get_data(as_text=True)
    assert chair.full_name in mine
    assert chair.full_name not in _fresh(anonymous, INDEX).get_data(as_text=True)
    with anonymous.session_transaction() as session:
        session["_flashes"] = [("warning", "Một thông báo đang chờ")]
    assert "Một thông báo đang chờ" in _fresh(anonymous, INDEX).get_data(as_text=True)
    assert "Một thông báo đang chờ" not in _fresh(anonymous, INDEX).get_data(as_text=True)  # shown once


def test_the_master_renders_results_days_pages_before_it_forks(demo_round, app):
    public_pages.forget()
    public.warm(app)
    kept = {(path, language) for _root, path, language, _shows in public_pages._pages}
    positions = {r["position_code"] for r in service.rows_of(service.latest(demo_round))}
    for language in app.config["LANGUAGES"]:
        assert (INDEX, language) in kept
        assert {(f"/public/results/{demo_round.id}/{code}", language) for code in positions} <= kept


def test_a_database_that_cannot_be_read_does_not_stop_the_server(app_factory, monkeypatch):
    broken = app_factory(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/dir/x.sqlite")
    # Told to the app's logger itself: the migrations run in the suite's process (Alembic's fileConfig)
    # disable the loggers that exist, so the log records never reach pytest's capture.
    said = []
    monkeypatch.setattr(broken.logger, "warning", lambda message, *args, **kw: said.append(message))
    public.warm(broken)  # logs, and the master goes on to fork its workers
    assert said and "not rendered ahead" in said[0]


def test_a_posted_token_is_never_put_raw_into_a_page(demo_round, app):
    """itsdangerous passes a token with text after its signature; the page that answers must never
    carry that text (it was put into the kept page as it came)."""
    visitor = app.test_client()
    token = TOKEN.search(_fresh(visitor, INDEX).get_data(as_text=True)).group(1)
    someone = _people(demo_round, 1)[0]
    page = _fresh(visitor, LOOKUP, method="POST", data={
        "csrf_token": token + '="><script>alert(1)</script>', "round_id": demo_round.id,
        "candidate_number": someone.candidate_number,
        "date_of_birth": someone.date_of_birth.strftime("%d/%m/%Y")})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and someone.full_name in text  # the padded token passed the check
    assert "<script>alert(1)</script>" not in text


def test_one_visitor_cannot_empty_every_kept_page(demo_round, client):
    """A position's page has many spellings (/1/X, /01/X, /001/X...): only its own is kept, and the
    least recently shown page goes first."""
    code = service.rows_of(service.latest(demo_round))[0]["position_code"]
    canonical = f"/public/results/{demo_round.id}/{code}"
    assert client.get(canonical).status_code == 200
    for zeros in range(1, 300):
        assert client.get(f"/public/results/{'0' * zeros}{demo_round.id}/{code}").status_code == 200
    assert any(key[1] == canonical for key in public_pages._pages), "the real page was thrown out"
    assert not any(key[1].startswith("/public/results/0") for key in public_pages._pages)


def test_a_request_under_another_script_root_does_not_set_the_links_of_everyone(demo_round, app):
    """gunicorn takes SCRIPT_NAME from a header of a peer it trusts (127.0.0.1 by default)."""
    public_pages.forget()
    poisoner, visitor = app.test_client(), app.test_client()
    assert _fresh(poisoner, INDEX, base_url="http://localhost/elsewhere").status_code == 200
    assert "/elsewhere/" not in _fresh(visitor, INDEX).get_data(as_text=True)


def test_a_publication_shows_on_its_worker_once_committed_and_not_if_rolled_back(demo_round, client, clock):
    before = published.latest_heads()[demo_round.id]

    def next_version() -> ResultVersion:
        return ResultVersion(round_id=demo_round.id, number=before.number + 1, published_by="t", note="",
                             snapshot=service.latest(demo_round).snapshot, digest=before.digest)
    db.session.add(next_version())
    db.session.flush()
    clock[0] += published.HEADS_FRESH_SECONDS  # read again inside the publication's transaction
    assert published.latest_heads()[demo_round.id].number == before.number + 1
    db.session.rollback()
    assert published.latest_heads()[demo_round.id] == before  # at once, the clock unmoved
    db.session.add(next_version())
    db.session.commit()
    assert published.latest_heads()[demo_round.id].number == before.number + 1
