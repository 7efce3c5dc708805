"""The autosaves' writer (exam/day/save_writer.py): the saves the sync workers send while a group is
being written go to disk together, each answered only after the commit that holds it; a save the
database refuses fails alone and its worker writes it; a worker whose writer is missing, slow or gone
writes its saves itself; the app server's master starts the writer and stops it."""
from __future__ import annotations

import logging
import os
import signal
import socket
import tempfile
import threading
import time

import pytest

from exam.day import autosave, save_writer
from exam.models import AttemptAnswer
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.exam.day.test_durability import _commands_in_group, _port, _serve
from tests.exam.day.test_group_commit import _in_threads, _opened, _slow_commits
from tests.support.factories import build_day


@pytest.fixture(autouse=True)
def fresh_lines(monkeypatch):
    """Each test starts with no connection to a writer and no writer found missing."""
    monkeypatch.setattr(save_writer, "_line", threading.local())
    monkeypatch.setattr(save_writer, "_down_until", 0.0)


def _short_socket_path() -> str:
    return os.path.join(tempfile.mkdtemp(prefix="w"), "saves")  # a Unix socket's path is at most 107 bytes


@pytest.fixture
def writer(app, monkeypatch):
    """A writer serving the test's database from a thread, and the app's workers pointed at it."""
    path = _short_socket_path()
    stop = threading.Event()
    thread = threading.Thread(target=save_writer.serve, args=(app, path, stop), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    monkeypatch.setitem(app.config, "AUTOSAVE_WRITER_SOCKET", path)
    yield path
    stop.set()
    thread.join(5)


def _stored() -> dict[int, int]:
    db.session.rollback()  # a fresh read
    return {a.attempt_id: a.seq for a in db.session.scalars(db.select(AttemptAnswer))}


def _params(attempt: int, application: int, token: str, slot: int = 0, seq: int = 1) -> dict:
    return autosave._params(attempt, application, slot, seq, utcnow(), token, 1, None, False)


def test_saves_sent_while_a_group_is_written_go_to_disk_together(app, tmp_path, writer, monkeypatch):
    opened = _opened(build_day(tmp_path, candidates=4), 4)
    commits = _slow_commits(monkeypatch, 0.3)  # the first save's commit: the other three come meanwhile
    acks = _in_threads(app, [lambda o=o: autosave.save_answer(o[0], o[1], 0, 1, utcnow(), token=o[2], choice=1)
                             for o in opened])
    assert [ack.stored_seq for ack in acks] == [1, 1, 1, 1]
    assert len(commits) == 2  # the first alone, the three that came while it was written in one group
    assert _stored() == {attempt: 1 for attempt, _, _ in opened}


def test_the_writer_answers_each_save_for_what_its_statement_did(app, tmp_path, writer):
    (attempt, application, token), = _opened(build_day(tmp_path, candidates=1), 1)
    assert save_writer.stored_by_writer(writer, _params(attempt, application, token, seq=2)) is True
    assert save_writer.stored_by_writer(writer, _params(attempt, application, token, seq=1)) is False  # older
    assert save_writer.stored_by_writer(writer, _params(attempt, application, "not-the-live-session", seq=3)) is False
    # Through the view, a save that is not stored is explained as without a writer.
    with pytest.raises(autosave.Superseded):
        autosave.save_answer(attempt, application, 0, 4, utcnow(), token="not-the-live-session", choice=1)
    assert _stored() == {attempt: 2}


def test_a_save_the_database_refuses_fails_alone_and_its_worker_is_told(app, tmp_path, writer, monkeypatch):
    opened = _opened(build_day(tmp_path, candidates=3), 3)
    _slow_commits(monkeypatch, 0.3)
    first, second, third = opened
    outcomes = _in_threads(app, [
        lambda: save_writer.stored_by_writer(writer, _params(*first)),  # written alone while the rest gather
        lambda: save_writer.stored_by_writer(writer, _params(*second)),
        lambda: save_writer.stored_by_writer(writer, _params(*second, slot=2**70)),  # no integer the database takes
        lambda: save_writer.stored_by_writer(writer, _params(*third)),
    ])
    assert outcomes == [True, True, None, True]  # None: the worker writes it itself, and meets the error
    assert _stored() == {first[0]: 1, second[0]: 1, third[0]: 1}
    assert save_writer._down_until == 0.0  # the writer answered: it is not taken for gone


def test_what_is_not_a_save_is_answered_failed_and_the_line_stays_open(app, tmp_path, writer):
    (attempt, application, token), = _opened(build_day(tmp_path, candidates=1), 1)
    line = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    line.settimeout(5)
    line.connect(writer)
    for junk in (b"not json", b"[1, 2]", b'{"attempt": 1}', b'{"attempt": "1; DROP TABLE exam_answers"}'):
        line.sendall(junk + b"\n")
        assert line.recv(1) == save_writer.FAILED
    line.sendall(b"x" * (save_writer.LONGEST_LINE + 1))  # a line no save is: the writer hangs up
    assert line.recv(1) == b""
    line.close()
    assert save_writer.stored_by_writer(writer, _params(attempt, application, token)) is True


def test_without_its_writer_a_worker_writes_its_saves_itself(app, tmp_path, monkeypatch, caplog):
    (attempt, application, token), = _opened(build_day(tmp_path, candidates=1), 1)
    monkeypatch.setitem(app.config, "AUTOSAVE_WRITER_SOCKET", _short_socket_path())  # nothing listens there
    tries = []
    real_socket = save_writer.socket.socket
    monkeypatch.setattr(save_writer.socket, "socket", lambda *a: tries.append(1) or real_socket(*a))
    with caplog.at_level(logging.WARNING, logger=save_writer.__name__):
        for seq in (1, 2, 3):
            assert autosave.save_answer(attempt, application, 0, seq, utcnow(), token=token, choice=1).stored_seq == seq
    assert _stored() == {attempt: 3}
    assert len(tries) == 1 and "writes its saves itself" in caplog.text  # not tried again for RETRY_SECONDS


def test_a_writer_too_slow_to_answer_leaves_the_save_to_its_worker(app, tmp_path, monkeypatch):
    (attempt, application, token), = _opened(build_day(tmp_path, candidates=1), 1)
    path = _short_socket_path()
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # takes the line and never answers
    silent.bind(path)
    silent.listen(1)
    monkeypatch.setitem(app.config, "AUTOSAVE_WRITER_SOCKET", path)
    monkeypatch.setattr(save_writer, "WAIT_SECONDS", 0.2)
    try:
        assert autosave.save_answer(attempt, application, 0, 1, utcnow(), token=token, choice=1).stored_seq == 1
    finally:
        silent.close()
    assert _stored() == {attempt: 1}
    assert getattr(save_writer._line, "connection", None) is None  # its late answer is never read as another's


@pytest.mark.slow
def test_the_app_servers_master_starts_its_writer_and_stops_it(app, database_uri):
    server = _serve(database_uri, _port(), app.config["SECRET_KEY"], writer=True)  # deploy/gunicorn.conf.py
    try:
        writers = [command for command in _commands_in_group(server.pid) if "exam.day.save_writer" in command]
        assert len(writers) == 1
        socket_path = writers[0].split()[-2]
        assert os.path.exists(socket_path) and os.stat(os.path.dirname(socket_path)).st_mode & 0o077 == 0
        server.send_signal(signal.SIGHUP)  # gunicorn reads its settings again and forks new workers
        time.sleep(3)
        assert [command for command in _commands_in_group(server.pid) if "exam.day.save_writer" in command] == writers
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        assert not any("exam.day.save_writer" in command for command in _commands_in_group(server.pid))
        assert not os.path.exists(os.path.dirname(socket_path))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
