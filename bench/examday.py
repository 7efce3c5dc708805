"""A whole sitting, compressed: the log-in peak, answering with autosave, the hand-in peak, the
collection at the deadline; on SQLite, or PostgreSQL, with one app server or several behind nginx.

    python -m bench.examday [--candidates N] [--login-window S] [--answer-seconds S] [--interval S]
                            [--postgresql | --database-url URL] [--servers K] [--kill-one] [--workers W]
                            [--boards B] [--board-poll S]

Set-up as bench.autosave (a round of N seated candidates, a drawn 20-question test, an opened sitting).
Then, against gunicorn (deploy/gunicorn.conf.py; with --servers K > 1, K of them behind nginx,
deploy/recruitment.nginx.conf), each simulated candidate does what the exam page does
(static/exam/exam.js), retrying as it does: a failed save stays pending and is resent every 1.5 s,
a failed hand-in is resent after 2 s, the paper and the state are asked again after 2 s. All along,
from before the first log-in until the collection is done, --boards hall screens (default 20) show
the sitting's results board, polling it every --board-poll seconds as its page does (bench/boards.py),
through the screens' socket of the app servers (SCREENS_BIND; nginx routes them there, and with one
app server the screens are pointed at it), over connections of their own (a screen is its own computer,
not one of the candidates'); at the end each must show every candidate who handed in.

1. Start: each lab computer shows the log-in page as its candidate sits down (before the start, not
   timed). The N candidates then send the log-in form within --login-window seconds (default 0: all
   at once); it answers with the exam page, which carries the paper of the attempt the log-in began
   (when it does not, they ask the state and fetch the paper, as the page does). begun_s runs from
   the first log-in until the last candidate holds their paper; paper_p99_ms is the time from the
   exam page to the paper (the state and the paper asked, or a reload).
2. Saturation, as bench.autosave: 32 clients save back to back for 10 s, and the same against a bare
   Flask endpoint served the same way, in turns of 2.5 s (saves, bare, bare, saves...: the machine's
   drift falls on both alike): ratio = saves at saturation / the bare endpoint.
3. The sitting, compressed: its end is moved to --answer-seconds from now (the bench's only direct
   write). Each candidate saves an answer every --interval seconds (jittered); 3% reload the page
   once; 95% hand in during the last minute (all pending saves first, as the page does); the rest
   are handed in by their page at the deadline, which collects every overdue attempt.
   --kill-one: SIGKILL to one app server halfway through; the others carry on.
4. The servers are stopped; every acknowledged save is looked for in the database, and every attempt
   must be handed in or collected.

The last line is one JSON object: begun_s, login_p99_ms, paper_p99_ms, save_p99_ms, handin_p99_ms,
handin_window_s, collect_s, errors (of which handed_in_late: a hand-in sent before the deadline but
stored after it, so collected; a board that could not open or misses a candidate is one too; not a save
sent after the deadline by a page whose clock runs late, refused as B4 says: saves_sent_late), lost,
unfinished, retries, ceiling_rps, ratio, board_p99_ms (a board's poll, 304 or not), board_fresh_p99_s
(from a hand-in's answer until a board shows it, over every hand-in and board: "updates within 5 s"), board_polls,
board_not_modified (share of 304s), and the settings."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from pathlib import Path

from exam.day.board import POLL_SECONDS

from .autosave import SECRET, Candidate, Client, build, stored_seqs
from .boards import Boards
from .cluster import Cluster
from .exam_page import GaveUp, Sim
from .sitting_db import attempts_by_status, board_code, in_progress_counter, move_deadline


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1) if values else 0.0


async def saturate(http, base: str, path: str, candidates: list[Candidate], clients: int, seconds: float,
                   acked: dict | None) -> float:
    """Closed loop, as bench.autosave: `clients` senders back to back; returns requests per second."""
    import aiohttp

    client, rng, done = Client(http, base), random.Random(3), 0
    end = time.perf_counter() + seconds

    async def worker(w: int):
        nonlocal done
        mine = candidates[w::clients] or candidates
        n = 0
        while time.perf_counter() < end:
            c = mine[n % len(mine)]
            n += 1
            try:
                slot, seq, ok = await client.save(c, rng, path)
            except (TimeoutError, aiohttp.ClientError):
                ok = False
            if ok:
                done += 1
                if acked is not None:
                    acked[(c.attempt_id, slot)] = max(acked.get((c.attempt_id, slot), 0), seq)

    began = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(clients)))
    return done / (time.perf_counter() - began)


TURNS = 4  # the saturation's turns on each side


async def side_by_side(http, front: str, bare_front: str, seated: list[Candidate], args, acked: dict) -> tuple[float, float]:
    """Saves per second at saturation and requests per second of the bare endpoint, measured in turns
    (saves, bare, bare, saves, ...: --saturation-seconds in all on each side) rather than one after the
    other: this machine's speed drifts by up to 30% within minutes, and taken in turns the drift falls on
    both sides alike. Each figure is over all its turns (the turns are equally long)."""
    rates: dict[str, list[float]] = {"saves": [], "bare": []}
    seconds = args.saturation_seconds / TURNS
    for turn in range(TURNS):
        for side in (("saves", "bare") if turn % 2 == 0 else ("bare", "saves")):
            if side == "saves":
                rate = await saturate(http, front, "/exam/candidate/api/answer", seated, args.saturation_clients, seconds, acked)
            else:
                rate = await saturate(http, bare_front, "/save", seated, args.saturation_clients, seconds, None)
            rates[side].append(rate)
    return sum(rates["saves"]) / TURNS, sum(rates["bare"]) / TURNS


async def run(args, url: str, tmp: str, round_id: int, candidates: list[Candidate], app: Cluster, bare: Cluster,
              board: tuple[int, str]) -> dict:
    import aiohttp

    front = await asyncio.to_thread(app.start)
    connector = aiohttp.TCPConnector(limit=args.connections)
    # As a browser: no limit on waiting for a connection (the pool stands for the lab computers' own
    # connections, queued here rather than in the server's backlog), a minute for an answer.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=60)
    # The hall screens are computers of their own: their connections never wait in the candidates' pool.
    screens = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=max(1, args.boards)), timeout=timeout,
                                    cookie_jar=aiohttp.DummyCookieJar())
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http, screens:
        sim = Sim(http, front, round_id)
        boards = Boards(screens, app.screens_base, *board, count=args.boards, poll=args.board_poll)
        await boards.open()
        boards.start()

        # 1. The start of the sitting. Each lab computer shows the log-in page as its candidate sits
        # down, before the start (as many at once as the client's connections allow).
        await asyncio.gather(*(sim.show_login(c) for c in candidates))
        t0 = time.perf_counter()

        async def start_one(i: int, c: Candidate) -> bool:
            intended = t0 + (i * args.login_window / len(candidates) if args.login_window else 0)
            await asyncio.sleep(max(0.0, intended - time.perf_counter()))
            try:
                return await sim.login(c, intended)
            except GaveUp as gave_up:
                sim.error(c, f"gave up on {gave_up}")
                return False

        began = await asyncio.gather(*(start_one(i, c) for i, c in enumerate(candidates)))
        begun_s = time.perf_counter() - t0
        seated = [c for c, ok in zip(candidates, began, strict=True) if ok]
        print(f"start: {len(seated)} of {len(candidates)} candidates hold their paper after {begun_s:.1f} s "
              f"(log-in p99 {pct(sim.latency['login'], 0.99):.0f} ms, paper p99 {pct(sim.latency['paper'], 0.99):.0f} ms)",
              flush=True)

        # 2. Saturation and the ceiling (--saturation-seconds 0: skipped).
        saturation = ceiling = 0.0
        if args.saturation_seconds > 0:
            bare_front = await asyncio.to_thread(bare.start)
            saturation, ceiling = await side_by_side(http, front, bare_front, seated, args, sim.acked)
            await asyncio.to_thread(bare.stop)
            print(f"saturation: {saturation:.0f} saves/s; bare endpoint {ceiling:.0f}/s; ratio {saturation / ceiling:.2f}",
                  flush=True)

        # 3. The sitting, compressed to --answer-seconds.
        await asyncio.to_thread(move_deadline, url, tmp, args.answer_seconds)
        s0 = time.perf_counter()
        deadline = sim.deadline = s0 + args.answer_seconds
        last_minute = min(60.0, args.answer_seconds / 2)  # the hand-in window (shorter in a short test run)
        handed: list[tuple[float, float]] = []  # (sent, acknowledged)
        wrong_status = 0

        async def sit(i: int, c: Candidate) -> None:
            nonlocal wrong_status
            rng = random.Random(i)
            hands_in = rng.random() < 0.95
            hand_in_at = deadline - rng.uniform(1, last_minute) if hands_in else deadline + rng.uniform(0, 1.5)
            reload_at = rng.uniform(s0, hand_in_at - 10) if rng.random() < 0.03 else None
            pending: list[asyncio.Task] = []
            t = s0 + rng.uniform(0, args.interval)
            try:
                while t < hand_in_at - 1:
                    await asyncio.sleep(max(0.0, t - time.perf_counter()))
                    if reload_at is not None and t >= reload_at:
                        reload_at = None
                        await asyncio.gather(*pending)  # the page warns while a save is unsent
                        await sim.open_paper(c)
                    pending.append(asyncio.create_task(sim.save(c, rng, t)))
                    t += args.interval * rng.uniform(0.5, 1.5)
                await asyncio.sleep(max(0.0, hand_in_at - time.perf_counter()))
                status = await sim.hand_in(c, pending, hand_in_at if hands_in else None)
            except GaveUp as gave_up:
                sim.error(c, f"gave up on {gave_up}")
                return
            if hands_in and status is not None:
                handed.append((hand_in_at, time.perf_counter()))
            if status is not None and status != ("submitted" if hands_in else "collected"):
                wrong_status += 1

        killed_at: list[float] = []

        async def kill_halfway() -> None:
            await asyncio.sleep(args.answer_seconds / 2)
            killed_at.append(time.perf_counter())
            port = await asyncio.to_thread(app.kill_one)
            print(f"killed the app server on port {port} (SIGKILL) at {time.perf_counter() - s0:.0f} s", flush=True)

        count_in_progress, dispose = in_progress_counter(url)

        async def collection() -> float | None:
            await asyncio.sleep(max(0.0, deadline - time.perf_counter()))
            while time.perf_counter() - deadline < 120:
                if await asyncio.to_thread(count_in_progress) == 0:
                    return time.perf_counter() - deadline
                await asyncio.sleep(0.25)
            return None

        extra = [asyncio.create_task(kill_halfway())] if args.kill_one else []
        collector = asyncio.create_task(collection())
        await asyncio.gather(*(sit(i, c) for i, c in enumerate(seated)), *extra)
        collect_s = await collector
        dispose()
        await boards.stop(expected=len(seated))
        sim.errors += boards.errors
        shown = boards.figures([a for _, a in handed])
        print(f"boards: {shown['board_polls']} polls by {args.boards} boards, {shown['board_not_modified']:.0%} unchanged "
              f"(304), p99 {shown['board_p99_ms']:.0f} ms; a hand-in is on every board within {shown['board_fresh_p99_s']} s "
              f"(p99); every board shows {shown['board_shown']}", flush=True)
        window = (max(a for _, a in handed) - min(s for s, _ in handed)) if handed else 0.0
        print(f"sitting: {len(sim.latency['save'])} saves acknowledged, {len(handed)} handed in within {window:.1f} s, "
              f"collection done {collect_s if collect_s is None else round(collect_s, 1)} s after the deadline, "
              f"{sim.retries} requests resent", flush=True)

    for line in sim.errors[:10]:
        print("error:", line)
    return {"begun_s": round(begun_s, 1), "login_p99_ms": pct(sim.latency["login"], 0.99),
            "paper_p99_ms": pct(sim.latency["paper"], 0.99), "save_p99_ms": pct(sim.latency["save"], 0.99),
            "handin_p99_ms": pct(sim.latency["handin"], 0.99), "handin_window_s": round(window, 1),
            "collect_s": None if collect_s is None else round(collect_s, 1),
            "errors": len(sim.errors) + wrong_status, "handed_in_late": wrong_status, "saves_sent_late": sim.sent_late,
            "retries": sim.retries, "resent": sim.resent,
            "saves_after_kill": sum(1 for t in sim.acked_at if killed_at and t > killed_at[0]) if args.kill_one else None,
            "saturation_saves_per_s": round(saturation, 1), "ceiling_rps": round(ceiling, 1),
            "ratio": round(saturation / ceiling, 3) if ceiling else None, **shown, "acked": sim.acked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--login-window", type=float, default=0.0, help="seconds over which the log-ins spread")
    parser.add_argument("--answer-seconds", type=float, default=120.0, help="the compressed sitting, after the start")
    parser.add_argument("--interval", type=float, default=15.0, help="mean seconds between one candidate's saves")
    db_choice = parser.add_mutually_exclusive_group()
    db_choice.add_argument("--postgresql", action="store_true", help="a throw-away PostgreSQL server, fsync on")
    db_choice.add_argument("--database-url", default=None, help="an existing PostgreSQL database (its tables are dropped)")
    parser.add_argument("--servers", type=int, default=1, help="app servers; more than one: behind nginx")
    parser.add_argument("--kill-one", action="store_true", help="SIGKILL one app server halfway through the sitting")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers per app server")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread; saves commit in groups)")
    parser.add_argument("--connections", type=int, default=512, help="the client's connection pool")
    parser.add_argument("--saturation-clients", type=int, default=32)
    parser.add_argument("--saturation-seconds", type=float, default=10.0)
    parser.add_argument("--boards", type=int, default=20, help="hall screens showing the results board")
    parser.add_argument("--board-poll", type=float, default=POLL_SECONDS, help="seconds between a board's polls (as its page)")
    args = parser.parse_args()
    if args.kill_one and args.servers < 2:
        parser.error("--kill-one needs --servers 2 or more")
    cpus = os.cpu_count() or 1
    workers = args.workers or (2 * cpus + 1 if args.servers == 1 else cpus + 1)

    with tempfile.TemporaryDirectory() as tmp:
        pg = None
        if args.postgresql:
            from tests.support.pg import PostgresServer

            pg = PostgresServer(durable=True)
            pg.start()
            url = pg.create_database("examday")
        else:
            url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        try:
            start = time.perf_counter()
            round_id, candidates = build(url, tmp, args.candidates)
            board = board_code(url, tmp)
            print(f"setup: {len(candidates)} seated candidates ({time.perf_counter() - start:.1f} s) on "
                  f"{url.split(':')[0]}, {args.servers} app server(s) x {workers} workers x {args.threads} threads", flush=True)
            env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "TRUSTED_PROXIES": "1" if args.servers > 1 else "0",
                   "THREADS": str(args.threads)}
            app = Cluster(tmp, "wsgi:app", args.servers, workers, env, name="app")
            bare = Cluster(tmp, "bench.autosave:bare()", args.servers, workers, env, name="bare")
            try:
                result = asyncio.run(run(args, url, tmp, round_id, candidates, app, bare, board))
            finally:
                app.stop()
                bare.stop()
            if result["errors"]:
                print("server logs (last lines):\n" + app.log_tail())
            acked = result.pop("acked")
            stored = stored_seqs(url, tmp)
            result["lost"] = sum(1 for key, seq in acked.items() if stored.get(key, 0) < seq)
            statuses = attempts_by_status(url, tmp)
            result["unfinished"] = sum(n for status, n in statuses.items() if status not in ("submitted", "collected"))
            print(f"durability: {len(acked)} (attempt, question) pairs acknowledged, {result['lost']} missing; "
                  f"attempts by status {statuses}")
        finally:
            if pg is not None:
                pg.stop()
        result.update({"candidates": args.candidates, "servers": args.servers, "workers": workers, "threads": args.threads,
                       "killed_one": args.kill_one, "boards": args.boards, "interval_s": args.interval, "answer_s": args.answer_seconds,
                       "database": url.split(":")[0], "cpus": cpus})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
