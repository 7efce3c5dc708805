"""Trusted proxies (TRUSTED_PROXIES): behind nginx the throttles and the audit log see the client's
address from X-Forwarded-For; without a configured proxy a client cannot forge its address."""
from __future__ import annotations

import pytest

from recruitment import create_app
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import ThrottleEvent


def _fail_login(client, addr: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", data={"username": "nobody", "password": "wrong"}, headers=headers,
                       environ_base={"REMOTE_ADDR": addr})


def _seen_addresses() -> tuple[set[str], set[str]]:
    keys = {k for k in db.session.scalars(db.select(ThrottleEvent.key)) if k.startswith("ip:")}
    audited = set(db.session.scalars(db.select(AuditEntry.ip).where(AuditEntry.action == "login_failed")))
    return {k[3:] for k in keys}, audited


def test_without_a_trusted_proxy_a_forged_forwarded_header_is_ignored(app_factory):
    app = app_factory()
    assert app.config["TRUSTED_PROXIES"] == 0
    with app.app_context():
        _fail_login(app.test_client(), "203.0.113.7", forwarded="198.51.100.1")
        assert _seen_addresses() == ({"203.0.113.7"}, {"203.0.113.7"})


def test_behind_one_trusted_proxy_the_client_address_is_the_one_nginx_saw(app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    with app.app_context():
        client = app.test_client()
        # nginx appends the address it saw; a client's own forged entries come before it.
        _fail_login(client, "127.0.0.1", forwarded="10.9.9.9, 198.51.100.1")
        _fail_login(client, "127.0.0.1", forwarded="198.51.100.2")
        assert _seen_addresses() == ({"198.51.100.1", "198.51.100.2"}, {"198.51.100.1", "198.51.100.2"})


def test_the_lock_out_per_address_counts_each_client_behind_the_proxy_apart(app_factory, make_user):
    app = app_factory(TRUSTED_PROXIES=1, LOGIN_MAX_FAILURES=1, LOGIN_ADDRESS_MAX_FAILURES=20)
    with app.app_context():
        client = app.test_client()
        for i in range(25):  # past the per-address limit (LOGIN_ADDRESS_MAX_FAILURES); each user name is fresh
            client.post("/login", data={"username": f"u{i}", "password": "x"}, headers={"X-Forwarded-For": "198.51.100.9"})
        blocked = client.post("/login", data={"username": "other", "password": "x"},
                              headers={"X-Forwarded-For": "198.51.100.9"})
        other = client.post("/login", data={"username": "other", "password": "x"},
                            headers={"X-Forwarded-For": "198.51.100.10"})
        assert blocked.status_code == 429 and other.status_code == 200


def test_the_environment_sets_the_count_and_a_negative_count_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert create_app(instance_path=str(tmp_path)).config["TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "-1")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app(instance_path=str(tmp_path))
