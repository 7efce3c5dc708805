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


def test_question_versions_take_their_questions_type_when_the_column_comes(tmp_path, request):
    """5d2e7a91c3b4: the versions of a bank that existed before the column keep their questions' types,
    and nothing that points at a version loses it (on SQLite, rebuilding the table with foreign keys
    on would set every question's current version and every review event's version to NULL); and
    back down again."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": _empty_database(tmp_path, request), "SECRET_KEY": "t"},
                     instance_path=str(tmp_path))
    pointers = ("SELECT q.id, q.current_version_id, r.version_id FROM questions q "
                "JOIN question_reviews r ON r.question_id = q.id ORDER BY q.id")
    with app.app_context():
        flask_migrate.upgrade(revision="0acf180b194d")
        with db.engine.begin() as conn:
            for qid, kind in ((1, "fill"), (2, "truefalse")):
                conn.execute(text("INSERT INTO questions (id, code, section, positions, topic, difficulty, type, status, "
                                  "search_text, created_at, updated_at) VALUES (:id, :code, 'general', '', 'Hiến pháp', 2, "
                                  ":kind, 'approved', '', '2026-01-01', '2026-01-01')"), {"id": qid, "code": f"Q{qid}", "kind": kind})
                for number in (1, 2):
                    conn.execute(text("INSERT INTO question_versions (id, question_id, number, stem_html, options_json, "
                                      "answer_json, points, explanation, keep_order, diacritics_sensitive, fingerprint, used, "
                                      "created_at) VALUES (:vid, :qid, :number, 'Câu?', '[]', '[]', 1, '', false, true, 'f', "
                                      "true, '2026-01-01')"), {"vid": 10 * qid + number, "qid": qid, "number": number})
                conn.execute(text("UPDATE questions SET current_version_id = :vid WHERE id = :qid"), {"vid": 10 * qid + 2, "qid": qid})
                conn.execute(text("INSERT INTO question_reviews (question_id, version_id, action, comment, at) "
                                  "VALUES (:qid, :vid, 'approve', '', '2026-01-01')"), {"qid": qid, "vid": 10 * qid + 1})
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            types = conn.execute(text("SELECT question_id, number, type FROM question_versions ORDER BY question_id, number")).all()
            upgraded = conn.execute(text(pointers)).all()
        flask_migrate.downgrade(revision="0acf180b194d")
        with db.engine.connect() as conn:
            downgraded = conn.execute(text(pointers)).all()
        db.engine.dispose()
    assert [tuple(row) for row in types] == [(1, 1, "fill"), (1, 2, "fill"), (2, 1, "truefalse"), (2, 2, "truefalse")]
    assert [tuple(row) for row in upgraded] == [(1, 12, 11), (2, 22, 21)]
    assert [tuple(row) for row in downgraded] == [(1, 12, 11), (2, 22, 21)]
