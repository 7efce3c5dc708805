"""Configuration: defaults here, then instance/config.py, then the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def instance_secret_key(instance_path: str, name: str = "secret_key") -> str:
    """A key generated once and kept in instance/, so every worker process signs alike."""
    path = Path(instance_path) / name
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def load(app, overrides: dict | None = None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'recruitment.sqlite'}",
        SQLALCHEMY_ENGINE_OPTIONS={},
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        LANGUAGES=("vi", "en"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a CSRF token lives as long as the signed session
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        UPLOAD_MAX_BYTES=10 * 1024 * 1024,
        AUTOSAVE_GROUP_COMMIT=False,  # saves of a server's threads committed in groups (exam/day/group_commit.py)
        AUTOSAVE_WRITER_SOCKET=None,  # the socket of the app server's autosaves' writer, set by its master (exam/day/save_writer.py)
        IMPORT_BACKGROUND_BYTES=256 * 1024,  # an HR or question upload this big runs as background jobs (import_jobs)
        UPLOAD_FOLDER=str(instance / "uploads"),
        # Wrong passwords count per (user, address): an attacker elsewhere never locks the user out.
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCKOUT_SECONDS=15 * 60,
        # and per address, looser: a whole lab may share one address behind NAT.
        LOGIN_ADDRESS_MAX_FAILURES=100,
        # Wrong access codes on exam day: per (candidate number, address), and per address.
        EXAM_LOGIN_MAX_FAILURES=10,
        EXAM_LOGIN_ADDRESS_MAX_FAILURES=100,
        EXAM_LOGIN_LOCKOUT_SECONDS=10 * 60,
        # Wrong dossier codes (F1): per (candidate number, address), and per address.
        DOSSIER_LOGIN_MAX_FAILURES=10,
        DOSSIER_LOGIN_ADDRESS_MAX_FAILURES=100,
        DOSSIER_LOGIN_LOCKOUT_SECONDS=15 * 60,
        PAGE_SIZE=25,
        PUBLIC_LOOKUP_PER_MINUTE=10,
        # How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
        # X-Forwarded-For. 0: the client talks to the app directly, and a forwarded header it sends
        # is ignored (it could name any address). Set it to the real count, never more.
        TRUSTED_PROXIES=0,
    )
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("TRUSTED_PROXIES"):
        app.config["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    if os.environ.get("SCREENS_BIND"):  # the hall screens' socket, as deploy/gunicorn.conf.py binds it
        from .screens_lane import port_of

        app.config["SCREENS_PORT"] = port_of(os.environ["SCREENS_BIND"])
    if os.environ.get("AUTOSAVE_GROUP_COMMIT"):  # set by deploy/gunicorn.conf.py when THREADS > 1
        app.config["AUTOSAVE_GROUP_COMMIT"] = os.environ["AUTOSAVE_GROUP_COMMIT"] == "1"
    if overrides:
        app.config.update(overrides)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgresql"):
        # A database that does not answer is given up after 10 s, not after the system's TCP timeout
        # (minutes): gunicorn's master reads the database before it forks (deploy/gunicorn.conf.py).
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"connect_timeout": 10, **options.get("connect_args", {})}
    if int(app.config["TRUSTED_PROXIES"]) < 0:
        raise ValueError("TRUSTED_PROXIES is a count of proxies: 0 or more")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    # G6: the audit chain's HMAC key lives outside the database (audit.key()).
    if os.environ.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = os.environ["AUDIT_KEY"]
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = instance_secret_key(app.instance_path, "audit_key")
