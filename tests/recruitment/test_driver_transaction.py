"""driver_sql.driver_transaction, the autosave's transaction straight through the driver: what is
committed stays, what is not is rolled back, and the connection always goes back to the pool, so a
failed save never leaves the database locked for the next one (SQLite) or a transaction open (PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from recruitment import driver_sql
from recruitment.extensions import db
from recruitment.models import Role

_ADD_ROLE = text("INSERT INTO roles (name) VALUES (:name) RETURNING id")


def _names() -> set[str]:
    db.session.rollback()  # a fresh read
    return set(db.session.scalars(db.select(Role.name)))


def test_a_committed_statement_is_stored_and_the_connection_goes_back(app):
    before = db.engine.pool.checkedout()
    with driver_sql.driver_transaction(db.engine) as transaction:
        row = driver_sql.first_row(transaction, _ADD_ROLE, {"name": "driver-saved"})
        transaction.commit()
    assert row is not None and db.engine.pool.checkedout() == before
    assert "driver-saved" in _names()


def test_what_is_not_committed_is_rolled_back_and_the_next_write_goes_through(app):
    before = db.engine.pool.checkedout()
    with pytest.raises(ZeroDivisionError):
        with driver_sql.driver_transaction(db.engine) as transaction:
            driver_sql.first_row(transaction, _ADD_ROLE, {"name": "never-committed"})
            1 / 0  # the request fails after the statement, before the commit  # noqa: B018
    with driver_sql.driver_transaction(db.engine) as transaction:  # the block ended without a commit
        driver_sql.first_row(transaction, _ADD_ROLE, {"name": "uncommitted"})
    assert db.engine.pool.checkedout() == before
    # Not left holding SQLite's write lock, nor a transaction open on PostgreSQL: the next write goes in.
    with driver_sql.driver_transaction(db.engine) as transaction:
        driver_sql.first_row(transaction, _ADD_ROLE, {"name": "after"})
        transaction.commit()
    assert _names() & {"never-committed", "uncommitted", "after"} == {"after"}


def test_a_statement_the_database_refuses_fails_alone(app):
    with driver_sql.driver_transaction(db.engine) as transaction:
        driver_sql.first_row(transaction, _ADD_ROLE, {"name": "once"})
        transaction.commit()
    with pytest.raises(Exception, match="(?i)unique"):  # the name is unique
        with driver_sql.driver_transaction(db.engine) as transaction:
            driver_sql.first_row(transaction, _ADD_ROLE, {"name": "once"})
            transaction.commit()
    with driver_sql.driver_transaction(db.engine) as transaction:
        assert driver_sql.first_row(transaction, _ADD_ROLE, {"name": "twice"}) is not None
        transaction.commit()
    assert {"once", "twice"} <= _names()


def test_in_the_writers_queue_a_block_commits_when_it_ends_and_a_failed_one_leaves_the_queue_free(app):
    """database.queued_driver_transaction, the autosave's (alone or in a group)."""
    from recruitment.database import queued_driver_transaction

    with queued_driver_transaction() as transaction:
        driver_sql.first_row(transaction, _ADD_ROLE, {"name": "queued"})
    with pytest.raises(ZeroDivisionError):
        with queued_driver_transaction() as transaction:
            driver_sql.first_row(transaction, _ADD_ROLE, {"name": "failed-in-queue"})
            1 / 0  # noqa: B018
    with queued_driver_transaction() as transaction:  # neither the queue nor the file is held
        driver_sql.first_row(transaction, _ADD_ROLE, {"name": "next-in-queue"})
    assert _names() & {"queued", "failed-in-queue", "next-in-queue"} == {"queued", "next-in-queue"}
