"""The waiting hall's results boards during bench.examday: each screen opens its sitting's board with
the board code (the form post, as the hall's computer does) and then polls it as
static/exam/board.js does: a request with If-None-Match, the answer, POLL seconds, the next
request. A failed poll is simply the next one (the page shows "offline" and carries on)."""
from __future__ import annotations

import asyncio
import json
import re
import time

from .autosave import Candidate, Client

LOGIN_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Boards:
    def __init__(self, http, base: str, sitting_id: int, code: str, count: int, poll: float):
        self.client, self.code, self.poll = Client(http, base), code, poll
        self.path = f"/exam/board/{sitting_id}/results.json"
        self.screens = [Candidate(0, "", 0) for _ in range(count)]  # a screen's browser: its cookies only
        self.etags: list[str | None] = [None] * count
        self.shown = [0] * count  # rows on each screen's last answer
        self.latency: list[float] = []
        self.seen: list[list[tuple[float, int]]] = [[] for _ in range(count)]  # per screen: (answered at, rows shown)
        self.not_modified = 0
        self.failed = 0  # polls that got no answer (the next poll makes up for it)
        self.errors: list[str] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def open(self) -> None:
        """Every screen types the board code into the form."""
        for i, screen in enumerate(self.screens):
            _, page = await self.client.request(screen, "GET", "/exam/board/")
            token = LOGIN_TOKEN.search(page)
            status, _ = await self.client.request(screen, "POST", "/exam/board/",
                                                  data={"csrf_token": token.group(1) if token else "", "code": self.code})
            if status != 302:
                self.errors.append(f"board {i}: the board code answered {status}")

    async def poll_once(self, i: int) -> None:
        import aiohttp

        headers = {"If-None-Match": self.etags[i]} if self.etags[i] else {}
        began = time.perf_counter()
        try:
            status, body = await self.client.request(self.screens[i], "GET", self.path, headers=headers)
        except (TimeoutError, aiohttp.ClientError):
            self.failed += 1
            return
        if status == 200:
            data = json.loads(body)
            self.etags[i], self.shown[i] = f'"{data["version"]}"', data["count"]
        elif status == 304:
            self.not_modified += 1
        else:
            self.failed += 1
            return
        self.latency.append(time.perf_counter() - began)
        self.seen[i].append((time.perf_counter(), self.shown[i]))

    async def _screen(self, i: int) -> None:
        await asyncio.sleep(i * self.poll / len(self.screens))  # the screens were not switched on at the same instant
        while not self._stop.is_set():
            await self.poll_once(i)
            try:
                await asyncio.wait_for(self._stop.wait(), self.poll)
            except TimeoutError:
                pass

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._screen(i)) for i in range(len(self.screens))]

    async def stop(self, expected: int) -> None:
        """Stops polling; one last poll each, which must show every one of the `expected` candidates."""
        self._stop.set()
        await asyncio.gather(*self._tasks)
        await asyncio.gather(*(self.poll_once(i) for i in range(len(self.screens))))
        for i, shown in enumerate(self.shown):
            if shown != expected:
                self.errors.append(f"board {i} shows {shown} candidates of {expected} handed in")

    def freshness(self, acknowledged: list[float]) -> list[float]:
        """For each hand-in (the times its answer reached the candidate) and each screen: how long
        until that screen showed it. The k-th hand-in acknowledged is on a screen once the screen
        shows k rows (rows only ever grow); what a screen never showed is left out (stop() counts it)."""
        lags = []
        for seen in self.seen:
            j = 0
            for k, at in enumerate(sorted(acknowledged), start=1):
                while j < len(seen) and seen[j][1] < k:
                    j += 1
                if j < len(seen):
                    lags.append(max(0.0, seen[j][0] - at))
        return lags

    def figures(self, acknowledged: list[float] | None = None) -> dict:
        values = sorted(self.latency)

        def pct(p: float) -> float:
            return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1) if values else 0.0

        polls = len(values)
        lags = sorted(self.freshness(acknowledged or []))
        fresh = round(lags[min(len(lags) - 1, int(0.99 * len(lags)))], 1) if lags else None
        return {"board_p99_ms": pct(0.99), "board_p50_ms": pct(0.50), "board_fresh_p99_s": fresh, "board_polls": polls,
                "board_not_modified": round(self.not_modified / max(polls, 1), 3), "board_failed_polls": self.failed,
                "board_shown": min(self.shown, default=0)}
