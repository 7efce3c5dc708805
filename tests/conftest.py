"""Test fixtures: a real database per test (SQLite, or PostgreSQL when TEST_DATABASE=postgresql),
an app per test (CSRF on, as in production; the client sends the token), users per role, log-in,
a served app and a real browser. Fixtures only: the helpers and builders they use live in
tests/support/ (tests import from there, never from a conftest).

The PostgreSQL server is started once by the controlling pytest process (tests/support/pg.py)
and each xdist worker gets a database of its own.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from recruitment import create_app
from recruitment.extensions import db
from recruitment.models import ROLES, Role, Round, User
from tests.support import factories
from tests.support.auth import login_as
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.support.client import CSRFClient
from tests.support.demo_cache import demo_loaded
from tests.support.pg import reset_postgres, using_postgres

SHARED = Path(__file__).resolve().parents[2] / "shared"
_pg_server = None


def pytest_configure(config):
    global _pg_server
    if os.environ.get("TEST_DATABASE") == "postgresql" and not hasattr(config, "workerinput") \
            and not os.environ.get("TEST_PG_URL"):
        from tests.support.pg import PostgresServer

        _pg_server = PostgresServer()
        os.environ["TEST_PG_URL"] = _pg_server.start()


def pytest_unconfigure(config):
    if _pg_server is not None:
        _pg_server.stop()


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE', 'sqlite')}"


def _worker(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _schema_app(uri: str, instance: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "TESTING": True, "SECRET_KEY": "test"},
                     instance_path=str(instance))
    with app.app_context():
        db.create_all()
        for name in ROLES:
            db.session.add(Role(name=name))
        db.session.commit()
        db.engine.dispose()
    return app


@pytest.fixture(scope="session")
def database_template(request, tmp_path_factory):
    """Builds the schema once per worker: a template SQLite file, or a PostgreSQL database."""
    base = tmp_path_factory.mktemp("db")
    if using_postgres():
        from tests.support.pg import PostgresServer

        server = PostgresServer.__new__(PostgresServer)
        admin_url = os.environ["TEST_PG_URL"]
        server.port = int(admin_url.rsplit(":", 1)[1].split("/")[0])
        uri = server.create_database(f"test_{_worker(request)}")
        _schema_app(uri, base)
        return {"kind": "postgresql", "uri": uri}
    template = base / "template.sqlite"
    _schema_app(f"sqlite:///{template}", base)
    return {"kind": "sqlite", "path": template}


@pytest.fixture
def database_uri(database_template, tmp_path) -> str:
    """A clean database for one test."""
    if database_template["kind"] == "postgresql":
        reset_postgres(database_template["uri"])
        return database_template["uri"]
    path = tmp_path / "test.sqlite"
    shutil.copyfile(database_template["path"], path)
    return f"sqlite:///{path}"


def _fresh_g():
    from flask import g

    for name in list(vars(g)):
        delattr(g, name)


@pytest.fixture
def app_factory(database_uri, tmp_path):
    """Makes apps on the test's database; extra config as keyword arguments."""
    made = []

    def make(**config):
        settings = {"SQLALCHEMY_DATABASE_URI": database_uri, "TESTING": True, "SECRET_KEY": "test-secret",
                    "UPLOAD_FOLDER": str(tmp_path / "uploads"), "SERVER_NAME": None}
        settings.update(config)
        new = create_app(settings, instance_path=str(tmp_path / "instance"))
        new.test_client_class = CSRFClient  # CSRF stays on, as in production; the client sends the token
        # Tests keep one app context (and database session) open across requests, so per-request
        # state on `g` (Flask-Login's cached user, the locale) would leak from one request to the
        # next; production gets a fresh `g` per request, and so does every test request.
        new.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
        made.append(new)
        return new

    yield make
    for a in made:
        with a.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    application = app_factory()
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """tests/support/factories.py `make_user`, in the test's app."""
    return factories.make_user


@pytest.fixture
def login(client):
    def do(user: User):
        login_as(client, user)
        return client

    return do


@pytest.fixture
def demo_round(app) -> Round:
    """The demo (`flask demo`) in the test's database (tests/support/demo_cache.py); its main round HP2026."""
    demo_loaded(app)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS


@pytest.fixture
def shared_fixtures() -> Path:
    return SHARED / "fixtures"


# --- a served app and a real browser, for tests/e2e and any test that drives pages ----------

@pytest.fixture
def live_server(app_factory):
    """The app served over HTTP on loopback (CSRF on, as in production) on the test's database."""
    import threading

    from werkzeug.serving import make_server

    # A thread per request, so saves commit in groups, as deploy/gunicorn.conf.py sets it for THREADS > 1.
    served = app_factory(AUTOSAVE_GROUP_COMMIT=True)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(served, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (installed by scripts/system-deps.sh)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        import subprocess

        subprocess.run(["bash", str(Path(__file__).resolve().parents[1] / "scripts/system-deps.sh")], check=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Opens browser contexts (one per person in the test), closed at the end."""
    contexts = []

    def make(**options):
        ctx = browser.new_context(locale="vi-VN", **options)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
