"""`audit verify` (G6): walks the whole chain and names every kind of damage it finds, rather than
stopping at the first: an edited entry, a broken link, missing entries, a truncation before a
record kept outside the log (each published results version keeps the head it saw), a head that
does not match, or a key other than the one the log was written with."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from . import labels, registry
from .audit import GENESIS, AuditEntry, AuditHead, entry_hash, key, key_check
from .extensions import db

DAMAGE = labels.register("audit_damage", {
    "edited": _l("edited entry"), "broken_link": _l("broken link"), "missing": _l("missing entries"),
    "truncated": _l("entries removed at the end"), "rewritten": _l("log rewritten since a publication"),
    "head_mismatch": _l("head does not match"), "key_mismatch": _l("key does not match"),
})
MAX_PROBLEMS = 200  # a log rewritten under another key would otherwise list every entry


@dataclass(frozen=True)
class Anchor:
    """A head recorded outside the log (a published results version): the log must still hold it."""
    seq: int
    hash: str
    what: object  # who recorded it, for the message ("version 2 of HP2026")


@dataclass(frozen=True)
class Problem:
    kind: str  # a key of DAMAGE
    seq: int | None
    message: object  # a lazy translated sentence

    @property
    def label(self) -> str:
        return labels.label(self.kind, "audit_damage")


@dataclass
class ChainReport:
    entries: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_seq(self) -> int | None:
        return next((p.seq for p in self.problems if p.seq is not None), None)


def anchors() -> list[Anchor]:
    return [a for provider in registry.audit_anchors(current_app) for a in provider()]


def verify(batch: int = 5000) -> ChainReport:
    secret = key()
    head = db.session.get(AuditHead, 1)
    if head is not None and head.key_check and head.key_check != key_check(secret):
        return ChainReport(0, [Problem("key_mismatch", None, _l(
            "the log was written with another key: check AUDIT_KEY or instance/audit_key on this machine"))])
    report = ChainReport(0)
    problems = report.problems
    hashes: dict[int, str] = {}
    prev, expected, last = GENESIS, 1, 0
    while len(problems) < MAX_PROBLEMS:
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.seq >= expected)
                                  .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected:
                problems.append(Problem("missing", expected, _l("entries %(first)d to %(last)d are missing",
                                                                 first=expected, last=e.seq - 1)))
            elif e.prev_hash != prev:
                problems.append(Problem("broken_link", e.seq, _l("entry %(seq)d: its link to the previous entry "
                                                                 "does not match", seq=e.seq)))
            if entry_hash(secret, e) != e.hash:
                problems.append(Problem("edited", e.seq, _l("entry %(seq)d was changed after it was written",
                                                            seq=e.seq)))
            hashes[e.seq] = e.hash
            prev, expected, last = e.hash, e.seq + 1, e.seq
            report.entries += 1
    for anchor in anchors():
        if anchor.seq > last:
            problems.append(Problem("truncated", last + 1, _l(
                "%(what)s recorded entry %(seq)d, but the log ends at entry %(last)d: entries were removed",
                what=anchor.what, seq=anchor.seq, last=last)))
        elif anchor.seq in hashes and hashes[anchor.seq] != anchor.hash:
            problems.append(Problem("rewritten", anchor.seq, _l(
                "%(what)s recorded another hash for entry %(seq)d: the log was rewritten since",
                what=anchor.what, seq=anchor.seq)))
    if head is not None and head.seq > last:
        problems.append(Problem("truncated", last + 1, _l(
            "the head counts %(head)d entries but the log ends at entry %(last)d: entries were removed",
            head=head.seq, last=last)))
    elif head is not None and (head.seq != last or head.hash != prev):
        problems.append(Problem("head_mismatch", None, _l(
            "the head (entry %(head)d) does not match the last entry (%(last)d)", head=head.seq, last=last)))
    return report
