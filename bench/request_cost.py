"""What each request of an exam day's peaks costs the server, independent of the machine's load: SQL
statements and commits per request, CPU milliseconds per request (this process's CPU time, so
other processes on the machine do not inflate it), and the milliseconds it holds SQLite's writers'
queue (database.one_writer_at_a_time: the one writer every log-in, save and hand-in of every app
worker waits for in turn, so what bounds a peak on SQLite as much as the CPU does).

    python -m bench.request_cost [--candidates N] [--profile PATH]

Set-up as bench.autosave (a round of N seated candidates, a drawn 20-question test, an opened
sitting) on a fresh SQLite file. Then, through the Flask test client (the whole app: session,
CSRF token, templates), every candidate: the log-in form (GET), the log-in (POST), which answers
with the exam page and the paper of the attempt it began (the start of a sitting is this one
request), the exam page again (a reload), then the state and the paper as a waiting page asks
them, five autosaves; then every candidate hands in but the last quarter, whom the
collection at the deadline (`flask exam collect`) hands in. --profile writes cProfile's stats of
the whole run.

Statements are counted as SQLAlchemy sends them: those sent through the driver itself
(recruitment/driver_sql.py: the autosave's one statement, the audit entries' executemany) are not;
the commits of the driver's own transactions (the autosave's) are.

The last line is one JSON object: per step, statements and commits per request, cpu_ms and
queue_ms per request; collect_statements and collect_cpu_ms for the whole collection."""
from __future__ import annotations

import argparse
import cProfile
import json
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .autosave import SECRET, Candidate, build

SAVES = 5  # answers each candidate saves before handing in (the sitting's answers are what grading reads)
PAGE_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Meter:
    """Statements, commits and CPU time of whatever runs between start() and stop()."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        self._count_driver_commits()
        self._time_the_queue()
        self.queued = 0.0
        self.totals: dict[str, list[float]] = {}

    def _statement(self, *args):
        self.statements += 1

    def _commit(self, *args):
        self.commits += 1

    def _count_driver_commits(self) -> None:
        """A commit made straight through the driver (driver_sql.driver_transaction) sends no event."""
        from recruitment import driver_sql

        commit = driver_sql.DriverTransaction.commit

        def counted(transaction):
            self._commit()
            commit(transaction)

        driver_sql.DriverTransaction.commit = counted

    def _time_the_queue(self) -> None:
        """The time from taking the writers' queue to leaving it, wherever a request takes it (the
        modules that imported it by name, and the autosave's, which looks it up in its module)."""
        from exam.day import candidate
        from recruitment import database, throttle

        queue = database.one_writer_at_a_time

        @contextmanager
        def timed():
            with queue():
                began = time.perf_counter()
                try:
                    yield
                finally:
                    self.queued += time.perf_counter() - began

        for module in (database, candidate, throttle):
            module.one_writer_at_a_time = timed

    def measure(self, step: str, call):
        statements, commits, cpu, queued = self.statements, self.commits, time.process_time(), self.queued
        result = call()
        total = self.totals.setdefault(step, [0, 0, 0.0, 0.0, 0])
        total[0] += self.statements - statements
        total[1] += self.commits - commits
        total[2] += time.process_time() - cpu
        total[3] += self.queued - queued
        total[4] += 1
        return result

    def summary(self) -> dict:
        return {step: {"statements": round(s / n, 1), "commits": round(c / n, 2), "cpu_ms": round(t / n * 1000, 2),
                       "queue_ms": round(q / n * 1000, 2)}
                for step, (s, c, t, q, n) in self.totals.items()}


def run(url: str, tmp: str, round_id: int, candidates: list[Candidate]) -> dict:
    from sqlalchemy import update

    from exam.day import handing_in as hand_ins
    from exam.day.models import Placement
    from recruitment import create_app
    from recruitment.database import utcnow
    from recruitment.extensions import db

    from .sitting_db import move_deadline

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=tmp)
    with app.app_context():
        # One by one on a loaded machine the log-ins may outlast late entry (B4): the proctor admits them.
        db.session.execute(update(Placement).values(late_admitted=True))
        db.session.commit()
        meter = Meter(db.engine)
    clients = []
    for c in candidates:
        client = app.test_client()
        page = meter.measure("login_form", lambda client=client: client.get("/exam/candidate/login").get_data(as_text=True))
        token = LOGIN_TOKEN.search(page).group(1)
        response = meter.measure("login", lambda client=client, c=c, token=token: client.post("/exam/candidate/login", data={
            "csrf_token": token, "round_id": str(round_id), "candidate_number": str(c.number), "access_code": c.code}))
        assert response.status_code == 200 and 'id="exam-paper"' in response.get_data(as_text=True), \
            response.get_data(as_text=True)[:300]
        page = meter.measure("exam_page", lambda client=client: client.get("/exam/candidate/").get_data(as_text=True))
        c.token = PAGE_TOKEN.search(page).group(1)
        state = meter.measure("state", lambda client=client: client.get("/exam/candidate/api/state").get_json())
        assert state["status"] == "in_progress", state
        paper = meter.measure("paper", lambda client=client: client.get("/exam/candidate/api/paper").get_json())
        c.take_paper(paper)
        clients.append(client)
    import random

    rng = random.Random(3)
    for _ in range(SAVES):
        for c, client in zip(candidates, clients, strict=True):
            answer = c.next_answer(rng)
            saved = meter.measure("save", lambda client=client, c=c, answer=answer: client.post(
                "/exam/candidate/api/answer", json=answer, headers={"X-CSRFToken": c.token}).get_json())
            assert saved.get("saved"), saved
    handing_in = len(candidates) - len(candidates) // 4
    for c, client in list(zip(candidates, clients, strict=True))[:handing_in]:
        result = meter.measure("handin", lambda client=client, c=c: client.post(
            "/exam/candidate/api/submit", headers={"X-CSRFToken": c.token}).get_json())
        assert result["status"] == "submitted", result
    move_deadline(url, tmp, -1)
    with app.app_context():
        collection = meter.measure("collection", lambda: (hand_ins.collect_overdue(utcnow()), db.session.commit())[0])
        db.engine.dispose()
    summary = meter.summary()
    collected = summary.pop("collection")
    return {"steps": summary, "collected": collection.count,
            "collect_statements": round(collected["statements"]), "collect_commits": round(collected["commits"]),
            "collect_cpu_ms": collected["cpu_ms"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--profile", default=None, help="write cProfile stats of the requests to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        round_id, candidates = build(url, tmp, args.candidates)
        profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
        if profile:
            profile.enable()
        result = run(url, tmp, round_id, candidates)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        for step, cost in result["steps"].items():
            print(f"{step:11s} {cost['statements']:5.1f} statements {cost['commits']:4.2f} commits "
                  f"{cost['cpu_ms']:7.2f} ms CPU {cost['queue_ms']:6.2f} ms in the writers' queue per request")
        print(f"collection of {result['collected']}: {result['collect_statements']} statements, "
              f"{result['collect_commits']} commits, {result['collect_cpu_ms']:.0f} ms CPU")
        result.update({"candidates": args.candidates, "database": "sqlite"})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
