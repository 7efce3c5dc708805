"""Every signed-in request loads its user with the roles (recruitment/__init__.py load_user). On a city's
exam day the accounts number in thousands (one per candidate), so that load must find the user's roles by
the user, not read every account's: SQLite planned the joined load's nested join (user_roles JOIN roles,
left-joined to users) by materialising the whole of user_roles first, 3.7 ms a request at 5,000 accounts
and growing with them, a quarter of the server's time in a sitting's hand-in minute."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from recruitment.extensions import db
from recruitment.models import Role, User, user_roles, user_with_roles
from tests.support.factories import make_user


@pytest.fixture
def many_accounts(app):
    """400 candidates' accounts and a staff member with two roles."""
    candidate = db.session.scalar(select(Role).where(Role.name == "candidate"))
    db.session.execute(insert(User), [{"username": f"c{i:04d}", "full_name": f"Thí sinh {i}", "password_hash": "-"}
                                      for i in range(400)])
    ids = db.session.scalars(select(User.id).where(User.username.like("c%"))).all()
    db.session.execute(insert(user_roles), [{"user_id": i, "role_id": candidate.id} for i in ids])
    staff = make_user("hr1", "hr", "proctor")
    no_roles = make_user("nobody")
    db.session.commit()
    return staff.id, no_roles.id, ids


def test_sqlite_finds_the_users_roles_by_the_user(app, many_accounts):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    staff, _, _ = many_accounts
    statement = user_with_roles().compile(db.engine)
    plan = [row[3] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", (staff,))]
    assert plan and all(step.startswith("SEARCH") for step in plan), plan


def test_the_user_comes_with_exactly_their_roles(app, many_accounts):
    staff, no_roles, ids = many_accounts
    db.session.expunge_all()
    for user_id, expected in ((staff, {"hr", "proctor"}), (no_roles, set()), (ids[7], {"candidate"})):
        user = db.session.scalar(user_with_roles(), {"user_id": user_id})  # as load_user reads it
        assert {role.name for role in user.roles} == expected
        db.session.expunge_all()
    assert db.session.scalar(user_with_roles(), {"user_id": max(ids) + 999}) is None
