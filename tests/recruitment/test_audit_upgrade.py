"""G6 on an existing database: the upgrade seals an intact legacy chain (plain SHA-256, without the
actor and the address) under the HMAC key, and leaves a chain broken before the upgrade broken."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import flask_migrate
import pytest
from sqlalchemy import text

from recruitment import audit_check, create_app
from recruitment.extensions import db

LEGACY = "e1169446db47"  # the revision before the keyed chain


def _legacy_entries(tamper: bool) -> None:
    prev = "0" * 64
    for seq in (1, 2, 3):
        at = datetime(2026, 11, 1, 10, seq, 0, 123456)
        payload = json.dumps([prev, seq, at.isoformat(), "hr", "score_changed", "application", str(seq), None,
                              '{"score":1}', None], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        db.session.execute(text(
            "INSERT INTO audit_entries (seq, at, actor, action, object_type, object_id, after, ip, prev_hash, hash) "
            "VALUES (:s, :at, 'hr', 'score_changed', 'application', :o, :a, '10.0.0.1', :p, :h)"),
            {"s": seq, "at": at, "o": str(seq), "a": '{"score":9}' if tamper and seq == 2 else '{"score":1}',
             "p": prev, "h": digest})
        prev = digest
    db.session.execute(text("UPDATE audit_head SET seq = 3, hash = :h"), {"h": prev})
    db.session.commit()


@pytest.mark.parametrize("tamper", [False, True])
def test_the_upgrade_seals_an_intact_legacy_chain_and_keeps_a_broken_one(tmp_path, tamper):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}", "SECRET_KEY": "t",
                      "AUDIT_KEY": "upgrade-key"}, instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision=LEGACY)
        _legacy_entries(tamper)
        flask_migrate.upgrade()
        report = audit_check.verify()
        db.engine.dispose()
    if tamper:
        assert ("edited", 2) in [(p.kind, p.seq) for p in report.problems]
    else:
        assert report.ok and report.entries == 3
