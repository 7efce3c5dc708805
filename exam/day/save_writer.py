"""The autosaves' writer: one process beside each app server's sync workers. They send it their saves,
and it writes them in groups: one transaction and one flush to disk for all the saves that came in
while the last group was written.

Every acknowledged answer is durable (synchronous=FULL on SQLite, fsync on PostgreSQL), so each commit
waits for the disk. A sync worker that commits its own save also sleeps through its own flush, queued
behind the other workers' (database.one_writer_at_a_time): at a sitting's saturation each save cost its
worker several sleeps and wake-ups (5.7 context switches against 1.2 for the bare endpoint), and with
the flushes off, as a trial, saves went at 0.84-0.90 of the bare endpoint's pace instead of about 0.5
(3 December 2026). Sent here, a save costs its worker one wait, and the group's statements run in a
process that stays awake. Threads of one worker (THREADS > 1) group their saves themselves
(group_commit.py); the writer writes its groups as they do (write_together: a save the database
refuses is written again alone, so that only that one fails).

The line between them is a Unix socket in a directory only the app's user can enter. A worker sends a
save as one line of JSON (the statement's parameters, autosave._params) and waits for one byte: stored,
not stored (the statement's checks refused it), or failed. Nothing is acknowledged before its commit.
When the writer cannot answer (not started, gone, slower than WAIT_SECONDS, the save failed there) the
worker writes the save itself, as without a writer: the statement is idempotent and ordered, so a save
the writer stored meanwhile is harmless, and no save waits for a writer that is not there.

The app server's master starts the writer once the app is built and stops it when it stops
(deploy/gunicorn.conf.py: start, stop); the writer leaves when its master is gone."""
from __future__ import annotations

import json
import logging
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask

from . import group_commit

STORED, NOT_STORED, FAILED = b"1", b"0", b"E"
WAIT_SECONDS = 10.0  # a save waits this long for the writer, then is written by its worker
RETRY_SECONDS = 5.0  # after a writer that did not answer, each process writes alone this long
PROJECT = Path(__file__).resolve().parents[2]  # where `python -m exam.day.save_writer` finds the app
LONGEST_LINE = 16 * 1024  # a save's parameters take at most about 3 KB
_PARAMS = {"attempt": int, "application": int, "slot": int, "seq": int, "now": str, "choice": (int, type(None)),
           "text": (str, type(None)), "flagged": bool, "token": (str, type(None))}
log = logging.getLogger(__name__)


# The worker's side.

_line = threading.local()  # each thread its own connection: one save in flight on each
_down_until = 0.0


def stored_by_writer(path: str, params: dict) -> bool | None:
    """Whether the writer at `path` stored the save (committed: durable); None when it could not say,
    and the caller writes the save itself."""
    global _down_until
    if time.monotonic() < _down_until:
        return None
    connection = getattr(_line, "connection", None)
    if connection is not None and _line.pid != os.getpid():  # inherited across a fork: not this process's
        connection = None
    try:
        if connection is None:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(WAIT_SECONDS)
            _line.connection, _line.pid = connection, os.getpid()
            connection.connect(path)
        connection.sendall(json.dumps({**params, "now": params["now"].isoformat()}).encode() + b"\n")
        answer = connection.recv(1)
    except OSError as error:
        answer, why = b"", str(error)
    else:
        why = "it hung up"
    if answer in (STORED, NOT_STORED):
        return answer == STORED
    if answer != FAILED:  # gone or too slow, rather than this save failing there
        _forget(connection)
        _down_until = time.monotonic() + RETRY_SECONDS
        log.warning("the autosaves' writer did not answer (%s): this process writes its saves itself for %s s",
                    why, RETRY_SECONDS)
    return None


def _forget(connection: socket.socket | None) -> None:
    _line.connection = None  # a late answer must never be read as the next save's
    if connection is not None:
        connection.close()


# The writer's side.

def _parsed(line: bytes) -> dict | None:
    """A save's parameters as a worker sent them, or None for anything else."""
    try:
        params = json.loads(line)
        if not isinstance(params, dict) or params.keys() != _PARAMS.keys() \
                or not all(isinstance(params[name], kind) for name, kind in _PARAMS.items()):
            return None
        params["now"] = datetime.fromisoformat(params["now"])
    except (ValueError, RecursionError):
        return None
    return params


@dataclass(eq=False)
class _Worker:
    connection: socket.socket
    received: bytes = b""


def serve(app: Flask, path: str, stop: threading.Event | None = None, master: int | None = None) -> None:
    """Takes the workers' saves at `path` and writes them in groups until `stop` is set, or the master
    process is gone."""
    from .autosave import save_statement

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1024)
    listener.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    try:
        with app.app_context():
            while not (stop is not None and stop.is_set()) and (master is None or os.getppid() == master):
                batch: list[tuple[_Worker, group_commit.PendingSave | None]] = []
                ready = [key.data for key, _ in selector.select(timeout=1.0) if key.fileobj is not listener]
                ready += _accepted(listener, selector)  # a new worker sends its first save as it connects
                for worker in ready:
                    batch += [(worker, None if params is None else group_commit.PendingSave(save_statement(), params, _stored))
                              for params in _received(worker, selector)]
                saves = [save for _, save in batch if save is not None]
                if saves:
                    group_commit.write_together(saves)  # the group's commit: durable before any answer
                for worker, save in batch:
                    _answer(worker, save, selector)
    finally:
        selector.close()
        listener.close()


def _stored(row) -> bool:
    return row is not None  # the save returns a row when it stored it


def _accepted(listener: socket.socket, selector: selectors.BaseSelector) -> list[_Worker]:
    """The workers that connected since the last look, each now watched."""
    workers = []
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return workers
        connection.setblocking(False)
        workers.append(_Worker(connection))
        selector.register(connection, selectors.EVENT_READ, workers[-1])


def _received(worker: _Worker, selector: selectors.BaseSelector) -> list[dict | None]:
    """The saves a worker sent, each parsed (None: not a save)."""
    try:
        data = worker.connection.recv(65536)
    except BlockingIOError:
        return []
    except OSError:
        data = b""
    *lines, worker.received = (worker.received + data).split(b"\n")
    if not data or len(worker.received) > LONGEST_LINE:
        _drop(worker, selector)  # gone, or sending what no save is
        return []
    return [_parsed(line) for line in lines]


def _answer(worker: _Worker, save: group_commit.PendingSave | None, selector: selectors.BaseSelector) -> None:
    if save is None or save.failure is not None:
        answer = FAILED
        if save is not None:
            log.warning("a save failed in the autosaves' writer; its worker writes it", exc_info=save.failure)
    else:
        answer = STORED if save.stored else NOT_STORED
    try:
        worker.connection.send(answer)  # one byte into an empty buffer: it never waits
    except OSError:
        _drop(worker, selector)


def _drop(worker: _Worker, selector: selectors.BaseSelector) -> None:
    try:
        selector.unregister(worker.connection)
    except (KeyError, ValueError):
        pass  # dropped already
    worker.connection.close()


# The app server's master: deploy/gunicorn.conf.py.

@dataclass
class Writer:
    process: subprocess.Popen
    directory: str
    path: str


def start(app: Flask, wait_seconds: float = 60.0) -> Writer | None:
    """Starts the writer for this app server and points the app's workers at it (to be forked after);
    None, and the workers write alone, when it did not come up."""
    directory = tempfile.mkdtemp(prefix="recruitment-writer-")  # 0700: only the app's user may connect
    path = os.path.join(directory, "saves")
    process = subprocess.Popen([sys.executable, "-m", __name__, path, str(os.getpid())], cwd=PROJECT)
    deadline = time.monotonic() + wait_seconds
    while not os.path.exists(path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    writer = Writer(process, directory, path)
    if not os.path.exists(path):
        log.warning("the autosaves' writer did not start: each worker writes its saves itself")
        stop(writer)
        return None
    app.config["AUTOSAVE_WRITER_SOCKET"] = path
    return writer


def stop(writer: Writer | None) -> None:
    if writer is None:
        return
    if writer.process.poll() is None:
        writer.process.terminate()
        try:
            writer.process.wait(10)
        except subprocess.TimeoutExpired:
            writer.process.kill()
            writer.process.wait()
    shutil.rmtree(writer.directory, ignore_errors=True)


def main() -> None:
    """python -m exam.day.save_writer PATH MASTER_PID: the app built as the app server builds it (the
    same environment and instance folder)."""
    from recruitment import create_app

    path, master = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the terminal stops the master, which stops this
    logging.basicConfig(level=logging.WARNING)
    serve(create_app(), path, master=master)


if __name__ == "__main__":
    main()
