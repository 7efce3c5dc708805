"""Results boards under load: 20 hall screens polling a sitting's board while its candidates hand in.

    python -m bench.board --candidates N [--boards B] [--poll S] [--duration D] [--database-url URL] [--workers W]

The set-up is bench.autosave's (a round of N seated candidates, an opened sitting, gunicorn with W
sync workers). Every candidate logs in through the real form; B boards open with the board code
(the form post, as the hall's screen does) and poll every S seconds with If-None-Match, as the page
does; meanwhile the candidates hand in, spread evenly over D seconds. A poll's latency is measured
from its intended time (no coordinated omission). At the end each board must show every candidate.

The last line is one JSON object: board_p99_ms, board_p50_ms, polls, not_modified (share of 304s),
errors, handed_in, shown (rows on the last poll of the slowest board), and the settings."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
import time
from pathlib import Path

from .autosave import SECRET, Candidate, Client, build, free_port, serve, stop


def board_code(url: str, instance: str) -> tuple[int, str]:
    from sqlalchemy import select

    from exam.day import board
    from exam.day.models import Sitting
    from recruitment import create_app
    from recruitment.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context():
        sitting_id = db.session.scalar(select(Sitting.id))
        code = board.board_code(sitting_id)
        db.engine.dispose()
    return sitting_id, code


async def run(args, round_id: int, candidates: list[Candidate], sitting_id: int, code: str, port: int) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=args.connections)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60),
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        client = Client(http, f"http://127.0.0.1:{port}")
        gate = asyncio.Semaphore(64)

        async def login(c):
            async with gate:
                await client.login(c, round_id)

        start = time.perf_counter()
        await asyncio.gather(*(login(c) for c in candidates))
        print(f"{len(candidates)} candidates logged in and began ({time.perf_counter() - start:.1f} s)", flush=True)

        screens = [Candidate(0, "", 0) for _ in range(args.boards)]  # a board's browser: its cookies only
        for screen in screens:
            _, page = await client.request(screen, "GET", "/exam/board/")
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            status, _ = await client.request(screen, "POST", "/exam/board/", data={"csrf_token": token, "code": code})
            if status != 302:
                raise RuntimeError(f"a board could not open ({status})")

        latencies: list[float] = []
        counts = {"polls": 0, "not_modified": 0, "errors": 0, "handed_in": 0}
        shown = [0] * len(screens)
        etags: list[str | None] = [None] * len(screens)
        path = f"/exam/board/{sitting_id}/results.json"
        t0 = time.perf_counter() + 0.5
        end = t0 + args.duration

        async def poll(i: int, intended: float):
            headers = {"If-None-Match": etags[i]} if etags[i] else {}
            try:
                status, body = await client.request(screens[i], "GET", path, headers=headers)
            except (TimeoutError, aiohttp.ClientError):
                counts["errors"] += 1
                return
            if status == 200:
                data = json.loads(body)
                etags[i], shown[i] = f'"{data["version"]}"', data["count"]
            elif status == 304:
                counts["not_modified"] += 1
            else:
                counts["errors"] += 1
                return
            counts["polls"] += 1
            latencies.append(time.perf_counter() - intended)

        async def board_loop(i: int):
            intended = t0 + i * args.poll / len(screens)
            tasks = []
            while intended < end + 2 * args.poll:  # and a little after the last hand-in
                delay = intended - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(poll(i, intended)))
                intended += args.poll
            await asyncio.gather(*tasks)

        async def hand_in(c: Candidate, intended: float):
            delay = intended - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            status, _ = await client.request(c, "POST", "/exam/candidate/api/submit", headers={"X-CSRFToken": c.token})
            if status == 200:
                counts["handed_in"] += 1

        await asyncio.gather(*(board_loop(i) for i in range(len(screens))),
                             *(hand_in(c, t0 + k * args.duration / len(candidates)) for k, c in enumerate(candidates)))
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else 0.0

    print(f"{counts['polls']} polls by {len(screens)} boards, {counts['not_modified']} unchanged (304), "
          f"{counts['errors']} errors; {counts['handed_in']} hand-ins; every board shows {min(shown)}", flush=True)
    return {"board_p99_ms": pct(0.99), "board_p50_ms": pct(0.50), "polls": counts["polls"],
            "not_modified": round(counts["not_modified"] / max(counts["polls"], 1), 3), "errors": counts["errors"],
            "handed_in": counts["handed_in"], "shown": min(shown)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--poll", type=float, default=3.0, help="seconds between one board's polls (as the page)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds over which the candidates hand in")
    parser.add_argument("--database-url", default=None, help="a throw-away PostgreSQL database (default: SQLite file)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--connections", type=int, default=256)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        round_id, candidates = build(url, tmp, args.candidates)
        sitting_id, code = board_code(url, tmp)
        print(f"setup: {len(candidates)} seated candidates ({time.perf_counter() - start:.1f} s) on {url.split(':')[0]}",
              flush=True)
        log = Path(tmp) / "gunicorn.log"
        port = free_port()
        server = serve("wsgi:app", port, args.workers, {"DATABASE_URL": url, "SECRET_KEY": SECRET}, log)
        try:
            result = asyncio.run(run(args, round_id, candidates, sitting_id, code, port))
        finally:
            stop(server)
        if result["errors"]:
            print("server log (last lines):\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        result.update({"candidates": args.candidates, "boards": args.boards, "poll_s": args.poll,
                       "duration_s": args.duration, "workers": args.workers, "database": url.split(":")[0],
                       "cpus": os.cpu_count()})
        print(json.dumps(result))


if __name__ == "__main__":
    main()
