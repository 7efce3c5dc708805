"""Every answer acknowledged to a candidate survives the server being killed (SIGKILL) mid-stream:
the real app under gunicorn, saves in flight, kill, restart, and the database is checked."""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from exam.day import seating
from exam.day.models import Sitting
from exam.models import AttemptAnswer
from recruitment.extensions import db
from tests.support.factories import build_day

ROOT = Path(__file__).resolve().parents[3]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(database_uri: str, port: int, secret: str, threads: int = 1, writer: bool = False) -> subprocess.Popen:
    # The same secret as the test app: access codes are keyed with it.
    env = {**os.environ, "DATABASE_URL": database_uri, "SECRET_KEY": secret,
           "AUTOSAVE_GROUP_COMMIT": "1" if threads > 1 else "0"}  # as deploy/gunicorn.conf.py sets it
    if writer:  # as deployed: deploy/gunicorn.conf.py starts the autosaves' writer (exam/day/save_writer.py)
        env.update(WORKERS="2", BIND=f"127.0.0.1:{port}", SCREENS_BIND="", AUTOSAVE_WRITER="1")
        command = ["-c", str(ROOT / "deploy/gunicorn.conf.py"), "wsgi:app"]
    else:
        command = ["--workers", "2", "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", *command], cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _commands_in_group(group: int) -> list[str]:
    """The command lines of the processes of a process group (an app server's)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.getpgid(int(pid)) == group:
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            pass
    return found


class Browser:
    """A candidate's HTTP session: cookies and the CSRF token, as the exam page has them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=5).read().decode()

    def login(self, round_id: int, number: int, code: str) -> None:
        page = self.get("/exam/candidate/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "round_id": round_id, "candidate_number": number,
                                       "access_code": code}).encode()
        self.opener.open(self.base + "/exam/candidate/login", data=data, timeout=5)
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', self.get("/exam/candidate/")).group(1)

    def save(self, body: dict) -> dict:
        request = urllib.request.Request(self.base + "/exam/candidate/api/answer", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "X-CSRFToken": self.token})
        return json.loads(self.opener.open(request, timeout=5).read())


@pytest.mark.slow
@pytest.mark.parametrize(("threads", "writer"), [(1, False), (4, False), (1, True)],
                         ids=["sync-workers", "threads-group-commit", "sync-workers-writer"])
def test_acknowledged_answers_survive_sigkill(app, tmp_path, database_uri, threads, writer):
    """With threads, saves sent at once are committed in groups (exam/day/group_commit.py), and with the
    autosaves' writer the saves of all the workers (exam/day/save_writer.py): none may be acknowledged
    before the commit that holds it. The writer dies with its app server."""
    day = build_day(tmp_path, candidates=2)
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    db.session.remove()
    port = _port()
    server = _serve(database_uri, port, app.config["SECRET_KEY"], threads, writer)
    acked: dict[int, int] = {}
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.login(day.round_id, 1, day.access[1])
        browser.get("/exam/candidate/api/state")
        stop = threading.Event()
        senders = 4 if writer else threads  # saves in flight at once; each sender keeps to its own slots

        def candidate(sender: int):
            seq, slots = 0, [slot for slot in range(8) if slot % senders == sender]
            while not stop.is_set():
                seq += 1
                slot = slots[seq % len(slots)]
                try:
                    reply = browser.save({"slot": slot, "seq": seq, "choice": seq % 4})
                except (OSError, urllib.error.URLError, http.client.HTTPException):
                    continue  # the server is gone (or died mid-answer): like the page, keep it and retry
                if reply.get("saved"):
                    acked[slot] = max(acked.get(slot, 0), seq)

        if writer:
            assert any("exam.day.save_writer" in command for command in _commands_in_group(server.pid))
        workers = [threading.Thread(target=candidate, args=(i,)) for i in range(senders)]
        for worker in workers:
            worker.start()
        time.sleep(1.5)
        os.killpg(server.pid, signal.SIGKILL)  # mid-stream, no clean shutdown
        server.wait(10)
        time.sleep(0.5)
        stop.set()
        for worker in workers:
            worker.join(10)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert acked, "no save was acknowledged before the kill"
    restarted = _serve(database_uri, port, app.config["SECRET_KEY"])
    try:
        with app.app_context():
            db.session.remove()
            stored = {a.slot: a.seq for a in db.session.scalars(db.select(AttemptAnswer))}
        missing = {slot: seq for slot, seq in acked.items() if stored.get(slot, 0) < seq}
        assert not missing, f"acknowledged but not in the database: {missing}"
        # the restarted server carries on (on a slot that was acknowledged: a multiple-choice question)
        assert browser.save({"slot": next(iter(acked)), "seq": 10**6, "choice": 1})["saved"]
    finally:
        os.killpg(restarted.pid, signal.SIGKILL)
        restarted.wait(10)
