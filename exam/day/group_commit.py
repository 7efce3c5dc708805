"""Group commit for autosaves: the saves that the threads of one app server bring while a commit is
being made to disk go to disk together, in the next transaction and its one flush.

Every acknowledged answer is durable (synchronous=FULL on SQLite, fsync on PostgreSQL), so each
commit waits for the disk; at the peak of a sitting that wait, not the work, bounds how many saves a
server takes. Here a save joins the batch waiting for the writer; the first thread to find no batch
being written becomes the leader: it writes the whole batch (each save its own statement, one
transaction, one commit) under the writer queue (database.one_writer_at_a_time), tells every thread
of the batch whether its save was stored, then hands the lead to the next batch's first thread.
Should the database refuse one save, the batch is written again save by save, so that only that
save fails, as it would have alone.
With one thread per worker (gunicorn's sync workers) a batch is one save, as before.

A batch belongs to one database: the leader writes it with its own session, so a save may only join
the saves bound for the same engine. A process can serve several apps, each on its own database (the
test suite makes one app per test; a production worker serves one); with one batch per process a save
of one app was written into another app's database, found not stored there, and refused. The batches
are therefore kept per engine (_Batches).

Nothing is acknowledged before its commit: a thread waits for the commit of its own batch."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recruitment import driver_sql
from recruitment.database import queued_driver_transaction
from recruitment.extensions import db


@dataclass(eq=False)
class PendingSave:
    statement: Any
    params: dict
    stored_by: Callable[[Any], bool]
    woken: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to write the next batch rather than with an outcome
    stored: bool = False
    failure: BaseException | None = None


@dataclass(eq=False)
class _Batches:
    """The batch state of one database (engine): the saves waiting for the writer, and whether a
    leader is writing a batch now."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    waiting: list[PendingSave] = field(default_factory=list)
    writing: bool = False


_registry_lock = threading.Lock()
# Weak keys: an app (and its engine) that goes away takes its batch state with it.
_batches: weakref.WeakKeyDictionary[Any, _Batches] = weakref.WeakKeyDictionary()


def batches_of(engine: Any) -> _Batches:
    """The batch state of `engine`, made the first time a save goes to it."""
    with _registry_lock:
        batches = _batches.get(engine)
        if batches is None:
            batches = _batches[engine] = _Batches()
        return batches


def store(statement: Any, params: dict, stored: Callable[[Any], bool]) -> bool:
    """Runs `statement` with `params` in a batch of saves to the app's database and commits it;
    `stored(row)` says from the statement's first row whether the save was stored. Returns that,
    after the commit."""
    batches = batches_of(db.engine)
    me = PendingSave(statement, params, stored)
    with batches.lock:
        batches.waiting.append(me)
        if not batches.writing:
            batches.writing = me.lead = True
    if not me.lead:
        me.woken.wait()
    if me.lead:
        _lead(batches)
    if me.failure is not None:
        raise me.failure
    return me.stored


def _lead(batches: _Batches) -> None:
    """Writes the batch waiting now (this thread's save among it), then passes the lead on."""
    with batches.lock:
        batch = list(batches.waiting)
        batches.waiting.clear()
    written = False
    try:
        write_together(batch)
        written = True
    finally:
        if not written:  # interrupted: nothing of the batch may be acknowledged
            for save in batch:
                save.stored, save.failure = False, save.failure or RuntimeError("the batch was not written")
        with batches.lock:
            if batches.waiting:  # the next batch gathered meanwhile: its first thread writes it
                batches.waiting[0].lead = True
                batches.waiting[0].woken.set()
            else:
                batches.writing = False
        for save in batch:
            if not save.lead:
                save.woken.set()


def write_together(batch: list[PendingSave]) -> None:
    """Writes the batch in one transaction, each save's outcome in its `stored` (or its `failure`). Also
    the batches of the autosaves' writer process (save_writer.py)."""
    # Always the same order of rows: two servers' batches on PostgreSQL never wait on each other
    # in a circle.
    batch.sort(key=lambda save: (save.params.get("attempt", 0), save.params.get("slot", 0)))
    try:
        _write(batch)
    except Exception:  # noqa: BLE001 - one save the database refuses must not fail the others
        for save in batch:  # each alone, as without group commit: only the bad one fails
            try:
                _write([save])
            except Exception as failure:  # noqa: BLE001 - raised in the thread of that save
                save.failure, save.stored = failure, False


def _write(batch: list[PendingSave]) -> None:
    """One transaction for the batch, in the writers' queue, as a save alone (autosave._store)."""
    with queued_driver_transaction() as transaction:
        for save in batch:
            save.stored = save.stored_by(driver_sql.first_row(transaction, save.statement, save.params))
