"""Autosave under load: the real app under gunicorn, simulated candidates saving answers.

    python -m bench.autosave --candidates N --interval S [--database-url URL] [--duration D]
                             [--workers W] [--saturation-clients C] [--saturation-seconds T]

Builds a round of N admitted candidates, an active 20-question test drawn for them (single-choice,
true/false and fill-in questions, as a real paper mixes them) and an opened
sitting, on a fresh SQLite file (default) or on the PostgreSQL database given (a throw-away one: its
tables are dropped and recreated). Then, against gunicorn with W sync workers:

1. every candidate logs in through the real log-in form (candidate number + access code), begins and
   fetches the paper, which says each slot's type and options;
2. open loop for D seconds: each candidate saves an answer every S seconds, the candidates spread
   evenly over the interval; a save is sent at its intended time whether or not earlier ones have
   returned, and its latency is measured from that intended time (no coordinated omission);
3. saturation: C clients send saves back to back for T seconds (autosave throughput at saturation);
4. the ceiling: the same C clients against a bare Flask endpoint that parses and returns JSON, under
   the same gunicorn settings;
5. the servers are stopped and every acknowledged save is looked for in the database.

The last line is one JSON object: saves_per_s, p50_ms, p99_ms, errors, lost, ceiling_rps, ratio
(saturated autosave throughput / ceiling throughput), and the settings."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = 20
SECRET = "bench-autosave-secret"


def bare():
    """The ceiling: gunicorn loads it as 'bench.autosave:bare()'."""
    from flask import Flask, jsonify, request

    app = Flask(__name__)

    @app.post("/save")
    def save():
        data = request.get_json(silent=True) or {}
        return jsonify({"saved": True, "slot": data.get("slot"), "seq": data.get("seq")})

    return app


def bank_question(i: int) -> dict:
    """The bank the bench draws from: three in five single-choice, one true/false, one fill-in."""
    kind = ("single", "single", "single", "truefalse", "fill")[i % 5]
    base = {"topic": "Tin học", "difficulty": 1, "type": kind}
    if kind == "fill":
        return {**base, "stem": f"Câu hỏi số {i}: ___", "answer": [f"đáp án {i}"]}
    if kind == "truefalse":
        return {**base, "stem": f"Mệnh đề số {i}.", "options": ["Đúng", "Sai"], "answer": [i % 2]}
    return {**base, "stem": f"Câu hỏi số {i}?", "options": ["Một", "Hai", "Ba", "Bốn"], "answer": [i % 4]}


@dataclass
class Candidate:
    number: int
    code: str
    attempt_id: int
    cookies: dict = field(default_factory=dict)
    token: str = ""
    login_token: str = ""  # the log-in form's CSRF token (bench.examday)
    seq: int = 0
    options: list[int] = field(default_factory=list)  # per slot, from the paper: options shown, 0 = fill-in

    def take_paper(self, paper: dict) -> None:
        """What the page keeps of /api/paper: each slot's layout, and the highest stored seq to count on from."""
        questions = sorted(paper["questions"], key=lambda q: q["slot"])
        self.options = [0 if q["type"] == "fill" else len(q["options"]) for q in questions]
        self.seq = max([self.seq, *(q["answer"]["seq"] for q in questions if q["answer"])])

    def next_answer(self, rng: random.Random) -> dict:
        """The next change as static/exam/exam.js sends it: a choice among the slot's options for a
        single-choice or true/false question, a text for a fill-in one, with a newer seq."""
        if not self.options:
            raise RuntimeError(f"candidate {self.number} answers before holding the paper")
        self.seq += 1
        slot = self.seq % len(self.options)
        n = self.options[slot]
        choice, text = (None, rng.choice(["Hà Nội", "đáp án", "12", "Luật Cán bộ, công chức"])) if n == 0 else (rng.randrange(n), None)
        return {"slot": slot, "seq": self.seq, "choice": choice, "text": text, "flagged": rng.random() < 0.05}


def build(url: str, instance: str, candidates: int) -> tuple[int, list[Candidate]]:
    """The data, written directly (not timed)."""
    from sqlalchemy import select

    from exam import blueprints, form_draws
    from exam.day import seating
    from exam.day.models import Placement, Sitting
    from exam.models import ExamTest
    from questionbank import api as bank
    from recruitment import create_app
    from recruitment.database import utcnow
    from recruitment.extensions import db
    from recruitment.models import Application

    from .draw import seed_round

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context():
        db.drop_all()
        db.create_all()
        author, reviewer, round_ = seed_round(candidates)
        bank.create_approved_questions([bank_question(i) for i in range(QUESTIONS * 4)], author.id, reviewer.id)
        test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Vòng 1 — bench", minutes=60,
                        pass_fraction=round_.rules.round1_pass_fraction,
                        cells=json.dumps([{"topic": "Tin học", "difficulty": 1, "count": QUESTIONS, "points": 1}]))
        db.session.add(test)
        db.session.flush()
        assert not blueprints.activate(test)
        form_draws.draw_test(test.id)
        now = utcnow()
        rooms = [seating.RoomPlan(f"R{r:02d}", 50, 0) for r in range((candidates + 49) // 50)]
        sitting, code = seating.create_sitting(test, "Bench", now - timedelta(minutes=1), now + timedelta(hours=3), rooms)
        codes = seating.issue_access_codes(sitting)
        seating.open_sitting(sitting, code)
        db.session.commit()
        rows = db.session.execute(select(Placement.id, Placement.attempt_id, Application.candidate_number)
                                  .join(Placement.attempt).join(Application)
                                  .where(Placement.sitting_id == sitting.id)).all()
        assert db.session.get(Sitting, sitting.id).opened_at is not None
        return round_.id, [Candidate(number, codes[pid], attempt_id) for pid, attempt_id, number in rows]


def stored_seqs(url: str, instance: str) -> dict[tuple[int, int], int]:
    from sqlalchemy import select

    from exam.models import AttemptAnswer
    from recruitment import create_app
    from recruitment.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context():
        rows = db.session.execute(select(AttemptAnswer.attempt_id, AttemptAnswer.slot, AttemptAnswer.seq)).all()
        db.engine.dispose()
    return {(a, s): q for a, s, q in rows}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--backlog", "4096", "--timeout", "60",
         "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Client:
    """HTTP as the exam page does it: each candidate's own session cookie and CSRF token."""

    def __init__(self, http, base: str):
        self.http, self.base = http, base

    async def request(self, c: Candidate, method: str, path: str, **kw):
        headers = kw.pop("headers", {})
        if c.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        async with self.http.request(method, self.base + path, headers=headers, allow_redirects=False, **kw) as r:
            body = await r.text()
            for name, morsel in r.cookies.items():
                c.cookies[name] = morsel.value
            return r.status, body

    async def login(self, c: Candidate, round_id: int) -> None:
        _, page = await self.request(c, "GET", "/exam/candidate/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, page = await self.request(c, "POST", "/exam/candidate/login", data={
            "csrf_token": token, "round_id": str(round_id), "candidate_number": str(c.number), "access_code": c.code})
        found = re.search(r'name="csrf-token" content="([^"]+)"', page)
        if status != 200 or found is None:  # the log-in answers with the exam page
            raise RuntimeError(f"candidate {c.number} could not log in ({status})")
        c.token = found.group(1)
        status, body = await self.request(c, "GET", "/exam/candidate/api/state")
        if status != 200 or json.loads(body)["status"] != "in_progress":
            raise RuntimeError(f"candidate {c.number} did not begin: {body[:200]}")
        status, body = await self.request(c, "GET", "/exam/candidate/api/paper")
        if status != 200:
            raise RuntimeError(f"candidate {c.number} got no paper: {body[:200]}")
        c.take_paper(json.loads(body))

    async def save(self, c: Candidate, rng: random.Random, path: str = "/exam/candidate/api/answer") -> tuple[int, int, bool]:
        answer = c.next_answer(rng)
        status, body = await self.request(c, "POST", path, json=answer, headers={"X-CSRFToken": c.token})
        return answer["slot"], answer["seq"], status == 200 and json.loads(body).get("saved") is True


async def run(args, round_id: int, candidates: list[Candidate], app_port: int, bare_port: int | None) -> dict:
    import aiohttp

    rng = random.Random(5)
    acked: dict[tuple[int, int], int] = {}
    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        client = Client(http, f"http://127.0.0.1:{app_port}")
        gate = asyncio.Semaphore(64)

        async def login(c):
            async with gate:
                await client.login(c, round_id)

        start = time.perf_counter()
        await asyncio.gather(*(login(c) for c in candidates))
        print(f"{len(candidates)} candidates logged in and began ({time.perf_counter() - start:.1f} s)", flush=True)

        async def closed(path: str, base: str) -> tuple[int, int, float]:
            done, failed = 0, 0
            end = time.perf_counter() + args.saturation_seconds
            target = Client(http, base)

            async def worker(w: int):
                nonlocal done, failed
                mine = candidates[w::args.saturation_clients] or candidates
                n = 0
                while time.perf_counter() < end:
                    c = mine[n % len(mine)]
                    n += 1
                    try:
                        slot, seq, ok = await target.save(c, rng, path)
                    except (TimeoutError, aiohttp.ClientError):
                        ok = False
                    if ok:
                        done += 1
                        if path.endswith("/answer"):
                            acked[(c.attempt_id, slot)] = max(acked.get((c.attempt_id, slot), 0), seq)
                    else:
                        failed += 1

            began = time.perf_counter()
            await asyncio.gather(*(worker(w) for w in range(args.saturation_clients)))
            return done, failed, time.perf_counter() - began

        done, sat_errors, sat_s = await closed("/exam/candidate/api/answer", client.base)
        saturation = done / sat_s
        print(f"saturation: {done} saves in {sat_s:.1f} s with {args.saturation_clients} clients = {saturation:.0f}/s, "
              f"{sat_errors} errors", flush=True)
        ceiling = 0.0
        if bare_port is not None:
            bare_done, bare_errors, bare_s = await closed("/save", f"http://127.0.0.1:{bare_port}")
            ceiling = bare_done / bare_s
            print(f"ceiling (bare Flask endpoint): {bare_done} requests in {bare_s:.1f} s = {ceiling:.0f}/s, "
                  f"{bare_errors} errors", flush=True)

        # Open loop.
        latencies: list[float] = []
        errors = 0

        async def one(c: Candidate, intended: float):
            nonlocal errors
            try:
                slot, seq, ok = await client.save(c, rng)
            except (TimeoutError, aiohttp.ClientError):
                ok = False
            if ok:
                acked[(c.attempt_id, slot)] = max(acked.get((c.attempt_id, slot), 0), seq)
                latencies.append(time.perf_counter() - intended)
            else:
                errors += 1

        tasks = []
        t0 = time.perf_counter() + 0.5
        schedule = sorted((t0 + i * args.interval / len(candidates) + k * args.interval, i)
                          for i in range(len(candidates)) for k in range(int(args.duration / args.interval)))
        for intended, i in schedule:
            delay = intended - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(candidates[i], intended)))
        await asyncio.gather(*tasks)
        open_s = time.perf_counter() - t0
        latencies.sort()
        sent = len(schedule)
        print(f"open loop: {sent} saves over {open_s:.1f} s ({len(latencies) / open_s:.0f} acknowledged/s), "
              f"{errors} errors", flush=True)

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else 0.0

    return {"saves_per_s": round(len(latencies) / open_s, 1), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "errors": errors + sat_errors, "saturation_saves_per_s": round(saturation, 1),
            "ceiling_rps": round(ceiling, 1), "ratio": round(saturation / ceiling, 3) if ceiling else None,
            "acked": acked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between one candidate's saves")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the open-loop phase")
    parser.add_argument("--database-url", default=None, help="a throw-away PostgreSQL database (default: SQLite file)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--connections", type=int, default=512, help="the client's connection pool")
    parser.add_argument("--saturation-clients", type=int, default=32)
    parser.add_argument("--saturation-seconds", type=float, default=10.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        round_id, candidates = build(url, tmp, args.candidates)
        print(f"setup: {len(candidates)} seated candidates, {QUESTIONS} questions each "
              f"({time.perf_counter() - start:.1f} s) on {url.split(':')[0]}", flush=True)
        log = Path(tmp) / "gunicorn.log"
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET}
        app_port, bare_port = free_port(), free_port()
        server = serve("wsgi:app", app_port, args.workers, env, log)
        ceiling_server = serve("bench.autosave:bare()", bare_port, args.workers, env, log)
        try:
            result = asyncio.run(run(args, round_id, candidates, app_port, bare_port))
        finally:
            stop(server)
            stop(ceiling_server)
        if result["errors"]:
            print("server log (last lines):\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        acked = result.pop("acked")
        stored = stored_seqs(url, tmp)
        result["lost"] = sum(1 for key, seq in acked.items() if stored.get(key, 0) < seq)
        print(f"durability: {len(acked)} (attempt, question) pairs acknowledged, {result['lost']} missing from the database")
        result.update({"candidates": args.candidates, "interval_s": args.interval, "workers": args.workers,
                       "database": url.split(":")[0], "cpus": os.cpu_count()})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
