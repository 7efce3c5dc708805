"""Results day: the public looking their results up, from many addresses, through nginx.

    python -m bench.lookup [--lookups N] [--seconds S] [--addresses A] [--candidates C] [--workers W]
                           [--threads T] [--no-proxy] [--database-url URL]

Builds a round of C admitted candidates in 20 positions with a published version (ranked by the
real engine, written as results.service publishes it), then serves the app as deployed: gunicorn
(deploy/gunicorn.conf.py, TRUSTED_PROXIES=1) behind nginx (deploy/recruitment.nginx.conf; with
--no-proxy, none). Open loop: N people arrive evenly over S seconds, each from one of
A addresses (X-Forwarded-For; many people share one address, as on a mobile network). A person opens
the results page (which carries the form and its CSRF token), posts their round, candidate number and
birth date, and one in four also opens their position's published list. One look-up in twenty has a
mistyped birth date (a failure, counted against that number from that address). A look-up's latency
runs from its intended time (no coordinated omission).

The last line is one JSON object: lookups_per_s, p99_ms (the look-up post), list_p99_ms, errors (a
transport error, an unexpected status, a right look-up without its result), wrongly_blocked (a right
look-up refused with 429), and the settings. Aim: 10,000 look-ups in a minute from 500 addresses
with p99 under 200 ms."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from .autosave import Client
from .cluster import Cluster

SECRET = "bench-lookup-secret"
POSITIONS = 20
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Person:
    number: int
    born: date
    position: str
    name: str
    address: str
    mistyped: bool
    cookies: dict = field(default_factory=dict)


def build(url: str, instance: str, candidates: int) -> tuple[int, list[dict]]:
    """A published round (not timed). Returns (round id, its published rows with birth dates)."""
    from sqlalchemy import insert, select, update

    from recruitment import create_app
    from recruitment.extensions import db
    from recruitment.models import Application, Position, Round
    from results import service
    from results.models import ResultVersion
    from results.ranking import rank

    from .draw import seed_round
    from .ranking import make_candidates

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        _author, _reviewer, round_ = seed_round(candidates)
        db.session.execute(insert(Position), [
            {"round_id": round_.id, "code": f"CV-{p + 2:02d}", "name": f"Chuyên viên {p + 2}", "agency": "Sở Nội vụ",
             "grade": "chuyen_vien", "quota": 10, "round2_form": "written", "degree_level": "dai_hoc"}
            for p in range(POSITIONS - 1)])
        positions = {p.code: p.id for p in db.session.scalars(select(Position).filter_by(round_id=round_.id))}
        applications = db.session.execute(select(Application.id, Application.candidate_number)
                                          .order_by(Application.candidate_number)).all()
        db.session.execute(update(Application), [
            {"id": a.id, "position_id": positions[f"CV-{1 + (a.candidate_number - 1) % POSITIONS:02d}"],
             "date_of_birth": date(1980, 1, 1) + timedelta(days=(i * 37) % 7300)} for i, a in enumerate(applications)])
        ranked = [replace(c, application_id=a.id, candidate_number=a.candidate_number,
                          position_code=f"CV-{1 + (a.candidate_number - 1) % POSITIONS:02d}")
                  for c, a in zip(make_candidates(candidates, POSITIONS), applications, strict=True)]
        rows, _blockers = rank(ranked, {code: 10 for code in positions}, db.session.get(Round, round_.id).rules)
        snapshot = service.canonical(service.snapshot_rows(rows))
        import hashlib

        from results.models import ResultVersion

        db.session.add(ResultVersion(round_id=round_.id, number=1, published_by="bench", note="", snapshot=snapshot,
                                     digest=hashlib.sha256(snapshot.encode()).hexdigest()))
        db.session.commit()
        born = dict(db.session.execute(select(Application.id, Application.date_of_birth)).all())
        published = [dict(r, born=born[r["application_id"]]) for r in json.loads(snapshot)]
        db.engine.dispose()
        return round_.id, published


async def run(args, round_id: int, people: list[Person], base: str) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=60)
    lookups: list[float] = []
    lists: list[float] = []
    errors = wrongly_blocked = 0
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        client = Client(http, base)

        async def one(i: int, p: Person, intended: float):
            nonlocal errors, wrongly_blocked
            headers = {"X-Forwarded-For": p.address}
            try:
                status, page = await client.request(p, "GET", "/public/results/", headers=dict(headers))
                token = TOKEN.search(page)
                if status != 200 or token is None:
                    errors += 1
                    return
                born = date(1900, 1, 1) if p.mistyped else p.born
                status, page = await client.request(p, "POST", "/public/results/lookup", headers=dict(headers), data={
                    "csrf_token": token.group(1), "round_id": str(round_id), "candidate_number": str(p.number),
                    "date_of_birth": born.strftime("%d/%m/%Y")})
                lookups.append(time.perf_counter() - intended)
                if status == 429 and not p.mistyped:
                    wrongly_blocked += 1
                elif status != 200 or (not p.mistyped and p.name not in page):
                    errors += 1
                if i % 4 == 0:
                    began = time.perf_counter()
                    status, page = await client.request(p, "GET", f"/public/results/{round_id}/{p.position}",
                                                        headers=dict(headers))
                    lists.append(time.perf_counter() - began)
                    if status != 200 or p.name not in page:
                        errors += 1
            except (TimeoutError, aiohttp.ClientError):
                errors += 1

        tasks = []
        t0 = time.perf_counter() + 0.5
        for i, p in enumerate(people):
            intended = t0 + i * args.seconds / len(people)
            delay = intended - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, p, intended)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t0

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1) if values else 0.0

    return {"lookups_per_s": round(len(lookups) / elapsed, 1), "p50_ms": pct(lookups, 0.5), "p99_ms": pct(lookups, 0.99),
            "list_p99_ms": pct(lists, 0.99), "errors": errors, "wrongly_blocked": wrongly_blocked,
            "elapsed_s": round(elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--addresses", type=int, default=500)
    parser.add_argument("--candidates", type=int, default=5_000)
    parser.add_argument("--database-url", default=None, help="a throw-away PostgreSQL database (default: SQLite file)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="THREADS of deploy/gunicorn.conf.py")
    parser.add_argument("--no-proxy", action="store_true", help="the people straight to gunicorn, no nginx")
    parser.add_argument("--connections", type=int, default=256)
    args = parser.parse_args()
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        round_id, rows = build(url, tmp, args.candidates)
        print(f"setup: {len(rows)} published rows in {POSITIONS} positions ({time.perf_counter() - start:.1f} s)",
              flush=True)
        addresses = [f"100.{64 + a // 65536}.{a // 256 % 256}.{a % 256}" for a in range(args.addresses)]
        people = []
        for i in range(args.lookups):
            r = rng.choice(rows)
            people.append(Person(int(r["candidate_number"]), r["born"], r["position_code"], r["full_name"],
                                 addresses[i % len(addresses)], mistyped=rng.random() < 0.05))
        # As deployed: gunicorn (deploy/gunicorn.conf.py) behind nginx (deploy/recruitment.nginx.conf),
        # which keeps the people's connections open as a browser does, while the sync workers take
        # one request per connection. The app is built before the workers are forked, so they answer
        # the first visitor at once rather than each importing the app while visitors queue.
        server = Cluster(tmp, "wsgi:app", 1, args.workers, {"DATABASE_URL": url, "SECRET_KEY": SECRET,
                                                            "TRUSTED_PROXIES": "1", "THREADS": str(args.threads)},
                         proxy=not args.no_proxy, client_addresses=True)
        try:
            result = asyncio.run(run(args, round_id, people, server.start()))
        finally:
            server.stop()
        if result["errors"]:
            print("server log (last lines):\n" + server.log_tail())
        result.update({"lookups": args.lookups, "addresses": args.addresses, "candidates": args.candidates,
                       "workers": args.workers, "threads": args.threads, "nginx": not args.no_proxy,
                       "database": url.split(":")[0], "cpus": os.cpu_count()})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
