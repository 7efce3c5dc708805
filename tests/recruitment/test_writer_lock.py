"""one_writer_at_a_time queues writers on an SQLite file: the threads of one process and separate
processes alike (each process opens its own lock, so a forked worker never shares its parent's)."""
from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from recruitment.database import is_sqlite, one_writer_at_a_time
from recruitment.extensions import db


def _hold(log_path: str, label: str) -> None:
    with one_writer_at_a_time():
        with open(log_path, "a") as log:
            log.write(f"in {label}\n")
            log.flush()
            time.sleep(0.05)
            log.write(f"out {label}\n")


def _check_never_overlapped(lines: list[str], holders: int) -> None:
    assert len(lines) == 2 * holders
    for i in range(0, len(lines), 2):  # every entry is followed by its own exit
        assert lines[i].startswith("in ") and lines[i + 1] == "out " + lines[i][3:]


@pytest.fixture
def sqlite_only(app):
    if not is_sqlite():
        pytest.skip("PostgreSQL locks rows itself: the writer lock does nothing there")


def test_threads_of_one_process_take_turns(app, sqlite_only, tmp_path):
    log = tmp_path / "log"

    def run(label):
        with app.app_context():
            _hold(str(log), label)

    threads = [threading.Thread(target=run, args=(f"t{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _check_never_overlapped(log.read_text().splitlines(), 4)


def _child(app, log: str, label: str) -> None:
    with app.app_context():
        _hold(log, label)


def test_processes_take_turns_even_after_the_parent_held_the_lock(app, sqlite_only, tmp_path):
    log = tmp_path / "log"
    _hold(str(log), "parent")  # the parent's descriptor now exists and is inherited by the children
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_child, args=(app, str(log), f"p{i}")) for i in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    _check_never_overlapped(log.read_text().splitlines(), 4)


def test_in_memory_and_postgresql_databases_need_no_lock(app):
    with one_writer_at_a_time():
        db.session.execute(db.text("SELECT 1"))
