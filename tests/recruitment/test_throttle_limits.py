"""throttle.reached: several (scope, key) pairs counted in one query, each against its own limit."""
from __future__ import annotations

from recruitment import throttle
from recruitment.extensions import db


def _fail(scope: str, key: str, times: int) -> None:
    for _ in range(times):
        throttle.note(scope, key)
    db.session.commit()


def test_each_pair_is_held_to_its_own_limit(app):
    limits = {("lookup", "7@203.0.113.5"): 3, ("lookup_address", "203.0.113.5"): 10}
    _fail("lookup", "7@203.0.113.5", 2)
    assert not throttle.reached(limits, 60)
    _fail("lookup", "7@203.0.113.5", 1)
    assert throttle.reached(limits, 60)


def test_a_scope_and_a_key_of_two_different_pairs_never_add_up(app):
    """The query asks scope IN (...) AND key IN (...): the failures of a pair nobody asked about
    (one pair's scope with the other's key) must not count."""
    limits = {("lookup", "7@203.0.113.5"): 3, ("lookup_address", "203.0.113.5"): 10}
    _fail("lookup", "203.0.113.5", 50)
    _fail("lookup_address", "7@203.0.113.5", 50)
    assert not throttle.reached(limits, 60)
    _fail("lookup_address", "203.0.113.5", 10)
    assert throttle.reached(limits, 60)


def test_failures_older_than_the_window_do_not_count(app):
    from datetime import timedelta

    from recruitment.database import utcnow
    from recruitment.models import ThrottleEvent

    db.session.add_all([ThrottleEvent(scope="login", key="a@b", at=utcnow() - timedelta(seconds=120))
                        for _ in range(5)])
    db.session.commit()
    assert not throttle.locked("login", {"a@b": 5}, 60)
    assert throttle.locked("login", {"a@b": 5}, 300)


def test_a_limit_of_zero_allows_no_try(app):
    assert throttle.reached({("lookup", "7@203.0.113.5"): 0}, 60)
    assert throttle.locked("login", {"a@b": 0}, 60)
