"""`flask --app wsgi db upgrade` on an empty database gives exactly the schema of the models,
on SQLite and on PostgreSQL, with the audit chain's head row in place."""
from __future__ import annotations

import os

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from recruitment import create_app
from recruitment.extensions import db
from tests.support.pg import using_postgres


def _empty_database(tmp_path, request) -> str:
    if using_postgres():
        from tests.support.pg import PostgresServer

        server = PostgresServer.__new__(PostgresServer)
        server.port = int(os.environ["TEST_PG_URL"].rsplit(":", 1)[1].split("/")[0])
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
        return server.create_database(f"migrate_{worker}")
    return f"sqlite:///{tmp_path / 'migrated.sqlite'}"


def test_upgrade_builds_the_models_schema(tmp_path, request):
    app = create_app({"SQLALCHEMY_DATABASE_URI": _empty_database(tmp_path, request), "SECRET_KEY": "t"},
                     instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            head = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
        db.engine.dispose()
    assert differences == [], "the models changed without a migration: flask --app wsgi db migrate -m '...'"
    assert head == (0, "0" * 64)
