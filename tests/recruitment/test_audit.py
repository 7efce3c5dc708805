"""The append-only audit log: a hash chain that `audit verify` walks; any edit or deletion shows."""
from __future__ import annotations

from sqlalchemy import text

from recruitment import audit, audit_check
from recruitment.extensions import db


def _write(n: int) -> None:
    for i in range(n):
        audit.record("score_changed", "application", i, before={"score": i}, after={"score": i + 1}, actor="test")
    db.session.commit()


def test_an_untouched_chain_verifies(app):
    _write(5)
    report = audit_check.verify()
    assert report.ok and report.entries == 5


def test_an_edited_entry_is_found(app):
    _write(5)
    db.session.execute(text("UPDATE audit_entries SET after = :a WHERE seq = 3"), {"a": '{"score":99}'})
    db.session.commit()
    report = audit_check.verify()
    assert not report.ok and report.broken_seq == 3


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(app):
    _write(5)
    entry = db.session.scalar(db.select(audit.AuditEntry).filter_by(seq=2))
    entry.actor = "intruder"
    entry.hash = audit.entry_hash(audit.key(), entry)  # even one who holds the key breaks the next link
    db.session.commit()
    report = audit_check.verify()
    assert not report.ok and report.broken_seq == 3


def test_deleted_entries_are_found(app):
    _write(5)
    db.session.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
    db.session.commit()
    assert audit_check.verify().broken_seq == 2
    db.session.execute(text("DELETE FROM audit_entries WHERE seq >= 3"))
    db.session.commit()
    report = audit_check.verify()
    assert not report.ok


def test_the_command_exits_1_on_a_tampered_log(app):
    _write(3)
    db.session.execute(text("UPDATE audit_entries SET reason = 'changed' WHERE seq = 1"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and ("entry 1" in result.stderr or "bản ghi 1" in result.stderr)  # the command speaks Vietnamese first


def test_the_supervisor_reads_the_log(app, client, make_user, login):
    _write(2)
    login(make_user("giamsat", "supervisor"))
    page = client.get("/audit/?verify=1")
    assert page.status_code == 200 and "score_changed" in page.get_data(as_text=True)


def test_impossible_days_in_the_filter_are_ignored_with_a_note(app, client, make_user, login):
    login(make_user("sup_days", "supervisor"))
    for query in ("from=01/01/0001", "to=31/12/9999", "from=0001-01-01&to=9999-12-31", "from=31/02/2026", "to=abc"):
        reply = client.get(f"/audit/?{query}")
        assert reply.status_code == 200, query
        page = reply.get_data(as_text=True)
        assert "ignored" in page or "bỏ qua" in page, query
    assert client.get("/audit/?from=01/01/2020&to=31/12/2030").status_code == 200
