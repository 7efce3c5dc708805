"""The demo (`flask demo`) in a test's database, loaded once every few minutes per test process and
copied into the next tests' databases meanwhile: loading it takes about ten seconds, and some forty
tests start from it on each engine.

A copy is the database as the demo left it (SQLite: the file, through SQLite's backup; PostgreSQL:
a database made from it as a template) with the files it wrote (its uploads) and the audit key its
chain was signed with. The demo places its sitting at the time it runs (under way since 5 minutes,
B4's late entry allowed for 10), so a copy older than MAX_AGE is not used: the demo is loaded again.
A test whose database is not empty when it asks loads the demo itself, as before."""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from recruitment.demo import run as load_demo
from recruitment.extensions import db
from recruitment.models import Round, User
from tests.support.pg import as_admin

MAX_AGE = 180  # seconds

_kept: dict = {}  # this process's copy: built_at, dir (its files), template (PostgreSQL), audit_key


def demo_loaded(app) -> None:
    """The demo in the app's database, as load_demo(app) leaves it."""
    if db.session.scalar(select(func.count()).select_from(User)) or db.session.scalar(select(func.count()).select_from(Round)):
        load_demo(app, echo=lambda *_: None)  # not an empty database: nothing may be overwritten
        return
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if "built_at" in _kept and time.monotonic() - _kept["built_at"] < MAX_AGE:
        _restore(app, url)
    else:
        load_demo(app, echo=lambda *_: None)
        _keep(app, url)


def _files() -> Path:
    if "dir" not in _kept:
        _kept["dir"] = Path(tempfile.mkdtemp(prefix="demo-copy-"))
        atexit.register(shutil.rmtree, _kept["dir"], True)  # the template database goes with the server
    return _kept["dir"]


def _keep(app, url) -> None:
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    kept = _files()
    shutil.rmtree(kept / "uploads", ignore_errors=True)
    if Path(app.config["UPLOAD_FOLDER"]).is_dir():
        shutil.copytree(app.config["UPLOAD_FOLDER"], kept / "uploads")
    if url.drivername.startswith("sqlite"):
        _sqlite_copy(url.database, str(kept / "demo.sqlite"))
    else:
        import psycopg

        template = f"{url.database}_demo"
        try:
            as_admin(url.host, url.port, url.username, f'DROP DATABASE IF EXISTS "{template}"',
                     f'CREATE DATABASE "{template}" TEMPLATE "{url.database}"')
        except psycopg.errors.ObjectInUse:  # another app of the test is connected to it: no copy this time
            _kept.pop("built_at", None)
            return
        _kept["template"] = template
    _kept.update(built_at=time.monotonic(), audit_key=app.config["AUDIT_KEY"])


def _restore(app, url) -> None:
    db.session.remove()
    db.engine.dispose()
    if url.drivername.startswith("sqlite"):
        _sqlite_copy(str(_files() / "demo.sqlite"), url.database)
    else:
        as_admin(url.host, url.port, url.username, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)',
                 f'CREATE DATABASE "{url.database}" TEMPLATE "{_kept["template"]}"')
    if (_files() / "uploads").is_dir():
        shutil.copytree(_files() / "uploads", app.config["UPLOAD_FOLDER"], dirs_exist_ok=True)
    # The chain was signed with the key of the test that loaded the demo: this test's apps take it.
    app.config["AUDIT_KEY"] = _kept["audit_key"]
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "audit_key").write_text(_kept["audit_key"])


def _sqlite_copy(source: str, target: str) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
