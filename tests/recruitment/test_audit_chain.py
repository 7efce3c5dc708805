"""G6: the audit chain cannot be rewritten without `audit verify` naming the damage.

Each kind of damage has its test: an edited entry (every field is hashed, the actor and the
address included), a chain recomputed without the key, a broken link, missing entries, a truncation
before a published results version, a head that does not match, and a key that does not match."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from sqlalchemy import text

from recruitment import audit, audit_check, create_app
from recruitment.extensions import db


def _write(n: int) -> None:
    for i in range(n):
        audit.record("score_changed", "application", i, before={"score": i}, after={"score": i + 1}, actor="test")
    db.session.commit()


def _kinds(report) -> list[tuple[str, int | None]]:
    return [(p.kind, p.seq) for p in report.problems]


def _rehash_all(key: bytes) -> None:
    """What an intruder with write access to the database does after an edit: recompute every
    hash and link and the head, with a key of their own (the real one is not in the database)."""
    prev = audit.GENESIS
    for e in db.session.scalars(db.select(audit.AuditEntry).order_by(audit.AuditEntry.seq)):
        e.prev_hash = prev
        e.hash = prev = audit.entry_hash(key, e)
    db.session.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    db.session.commit()


@pytest.mark.parametrize("column, value", [("actor", "intruder"), ("ip", "10.0.0.66"), ("actor_id", 999),
                                           ("action", "score_viewed"), ("reason", "changed")])
def test_editing_any_field_is_found(app, column, value):
    _write(5)
    db.session.execute(text(f"UPDATE audit_entries SET {column} = :v WHERE seq = 3"), {"v": value})
    db.session.commit()
    report = audit_check.verify()
    assert not report.ok and _kinds(report) == [("edited", 3)]


def test_an_edit_with_the_chain_and_head_recomputed_without_the_key_is_found(app):
    _write(5)
    db.session.execute(text("UPDATE audit_entries SET after = :a WHERE seq = 3"), {"a": '{"score":99}'})
    _rehash_all(b"a key the intruder made up")
    report = audit_check.verify()
    assert not report.ok and ("edited", 1) in _kinds(report)  # nothing verifies under the real key


def test_a_chain_forged_with_plain_sha256_does_not_verify(app):
    _write(3)
    prev = audit.GENESIS
    for e in db.session.scalars(db.select(audit.AuditEntry).order_by(audit.AuditEntry.seq)):
        payload = json.dumps(audit.fields(e), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        e.prev_hash, e.hash = prev, hashlib.sha256(payload.encode()).hexdigest()
        prev = e.hash
    db.session.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    db.session.commit()
    assert [k for k, _s in _kinds(audit_check.verify())] == ["edited", "edited", "edited"]


def test_a_broken_link_is_named(app):
    _write(5)
    entry = db.session.scalar(db.select(audit.AuditEntry).filter_by(seq=3))
    entry.prev_hash = "f" * 64
    entry.hash = audit.entry_hash(audit.key(), entry)  # even with the key, the link shows
    db.session.commit()
    assert ("broken_link", 3) in _kinds(audit_check.verify())


def test_missing_entries_in_the_middle_are_named(app):
    _write(6)
    db.session.execute(text("DELETE FROM audit_entries WHERE seq IN (3, 4)"))
    db.session.commit()
    report = audit_check.verify()
    assert ("missing", 3) in _kinds(report) and "3" in str(report.problems[0].message)


def test_a_head_that_does_not_match_is_named(app):
    _write(4)
    db.session.execute(text("UPDATE audit_head SET seq = 2"))
    db.session.commit()
    assert _kinds(audit_check.verify()) == [("head_mismatch", None)]


def test_removing_the_last_entries_and_fixing_the_head_is_found_by_the_published_version(app):
    """The last 50 entries deleted and the head set to the last one left: the results version
    published in between recorded the head, so the truncation shows (E5, G6)."""
    from results import service
    from tests.support.factories import make_round

    round_ = make_round()
    _write(30)
    version = service.publish(round_, "test")
    db.session.commit()
    assert (version.audit_seq, version.audit_hash) == (db.session.scalar(db.select(audit.AuditHead.seq)),
                                                       db.session.scalar(db.select(audit.AuditHead.hash)))
    _write(20)
    last = db.session.scalar(db.select(db.func.max(audit.AuditEntry.seq)))
    db.session.execute(text("DELETE FROM audit_entries WHERE seq > :s"), {"s": last - 50})
    kept = db.session.scalar(db.select(audit.AuditEntry).filter_by(seq=last - 50))
    db.session.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": kept.seq, "h": kept.hash})
    db.session.commit()
    report = audit_check.verify()
    assert [k for k, _s in _kinds(report)] == ["truncated"]
    assert f"{version.audit_seq}" in str(report.problems[0].message)


def test_another_key_is_named_as_such(app):
    _write(3)
    app.config["AUDIT_KEY"] = "another key"
    report = audit_check.verify()
    assert _kinds(report)[0] == ("key_mismatch", None) and len(report.problems) == 1


def test_the_command_names_each_damage_and_exits_1(app):
    _write(4)
    db.session.execute(text("UPDATE audit_entries SET actor = 'x' WHERE seq = 2"))
    db.session.execute(text("UPDATE audit_head SET seq = 9"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and ("entry 2" in result.stderr or "bản ghi 2" in result.stderr)  # the command speaks Vietnamese first and result.stderr.count("\n") >= 2


def test_the_key_comes_from_the_environment_or_is_generated_once_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    first = create_app(instance_path=str(tmp_path))
    assert first.config["AUDIT_KEY"] == create_app(instance_path=str(tmp_path)).config["AUDIT_KEY"]
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("AUDIT_KEY", "from-env")
    assert create_app(instance_path=str(tmp_path)).config["AUDIT_KEY"] == "from-env"


def test_the_hash_is_an_hmac_of_every_field(app):
    _write(1)
    entry = db.session.scalar(db.select(audit.AuditEntry))
    assert set(audit.fields(entry)) >= {"seq", "at", "actor_id", "actor", "action", "object_type", "object_id",
                                        "before", "after", "reason", "ip", "prev_hash"}
    payload = json.dumps(audit.fields(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert entry.hash == hmac.new(audit.key(), payload.encode(), hashlib.sha256).hexdigest()
