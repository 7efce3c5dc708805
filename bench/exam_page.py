"""The simulated exam pages of bench.examday: what each does (static/exam/exam.js), with its retries
and measurements."""
from __future__ import annotations

import asyncio
import json
import random
import re
import time

from .autosave import Candidate, Client

LOGIN_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PAGE_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
PAGE_PAPER = re.compile(r'<script type="application/json" id="exam-paper">(.*?)</script>', re.S)
GIVE_UP_S = 120  # a request still failing after this long is an error (the page would keep trying)


class GaveUp(Exception):
    pass


class Sim:
    """The simulated exam pages: their requests, retries and measurements."""

    def __init__(self, http, base: str, round_id: int):
        self.client, self.round_id = Client(http, base), round_id
        self.retries = 0
        self.resent: dict[str, int] = {}  # why requests were resent: "POST /path 502", "GET /path ClientOSError"
        self.errors: list[str] = []
        self.latency: dict[str, list[float]] = {k: [] for k in ("login", "paper", "save", "handin")}
        self.acked: dict[tuple[int, int], int] = {}
        self.acked_at: list[float] = []
        self.deadline, self.sent_late = float("inf"), 0  # saves sent after the deadline, refused as B4 says

    async def call(self, c: Candidate, method: str, path: str, delay: float, **kw) -> tuple[int, str]:
        """One request as the page sends it: resent after `delay` while the network or a server fails."""
        import aiohttp

        began = time.perf_counter()
        while True:
            try:
                status, body = await self.client.request(c, method, path, headers=dict(kw.get("headers", {})),
                                                         **{k: v for k, v in kw.items() if k != "headers"})
                if status < 500:
                    return status, body
                why = str(status)
            except (TimeoutError, aiohttp.ClientError) as failure:
                why = type(failure).__name__
            reason = f"{method} {path.rsplit('/', 1)[-1] or path} {why}"
            self.resent[reason] = self.resent.get(reason, 0) + 1
            if time.perf_counter() - began > GIVE_UP_S:
                raise GaveUp(f"{method} {path}")
            self.retries += 1
            await asyncio.sleep(delay)

    def error(self, c: Candidate, what: str) -> None:
        self.errors.append(f"candidate {c.number}: {what}")

    async def show_login(self, c: Candidate) -> None:
        """The lab computer shows the log-in page before the candidate sits down (not timed)."""
        _, page = await self.call(c, "GET", "/exam/candidate/login", 2.0)
        token = LOGIN_TOKEN.search(page)
        c.login_token = token.group(1) if token else ""

    async def login(self, c: Candidate, intended: float) -> bool:
        status, page = await self.call(c, "POST", "/exam/candidate/login", 2.0, data={
            "csrf_token": c.login_token, "round_id": str(self.round_id),
            "candidate_number": str(c.number), "access_code": c.code})
        if status != 200:
            self.error(c, f"log-in answered {status}")
            return False
        self.latency["login"].append(time.perf_counter() - intended)
        return await self.open_paper(c, page)

    async def open_paper(self, c: Candidate, page: str | None = None) -> bool:
        """The exam page (the log-in's answer, or asked again: a reload), which carries the paper of a
        begun attempt; else, as the page does, the state (which begins the attempt) and the paper."""
        began = time.perf_counter()
        if page is None:
            _, page = await self.call(c, "GET", "/exam/candidate/", 2.0)
        if (token := PAGE_TOKEN.search(page)) is None:
            self.error(c, "no exam page")
            return False
        c.token = token.group(1)
        in_page = PAGE_PAPER.search(page)
        if in_page is not None:
            c.take_paper(json.loads(in_page.group(1)))
            self.latency["paper"].append(time.perf_counter() - began)
            return True
        status, body = await self.call(c, "GET", "/exam/candidate/api/state", 2.0)
        if status != 200 or json.loads(body)["status"] != "in_progress":
            self.error(c, f"did not begin: {body[:120]}")
            return False
        status, body = await self.call(c, "GET", "/exam/candidate/api/paper", 2.0)
        if status != 200:
            self.error(c, f"paper answered {status}")
            return False
        c.take_paper(json.loads(body))  # each slot's type; the page counts on from the highest stored seq
        self.latency["paper"].append(time.perf_counter() - began)
        return True

    async def save(self, c: Candidate, rng: random.Random, intended: float) -> None:
        answer, sent = c.next_answer(rng), time.perf_counter()
        status, body = await self.call(c, "POST", "/exam/candidate/api/answer", 1.5, json=answer,
                                       headers={"X-CSRFToken": c.token})
        if status == 200 and json.loads(body).get("saved"):
            key = (c.attempt_id, answer["slot"])
            self.acked[key] = max(self.acked.get(key, 0), answer["seq"])
            self.latency["save"].append(time.perf_counter() - intended)
            self.acked_at.append(time.perf_counter())
        elif status == 409 and sent >= self.deadline and _final_refusal(body):  # a page whose clock runs late
            self.sent_late += 1
        else:
            self.error(c, f"save answered {status}: {body[:120]}")

    async def hand_in(self, c: Candidate, pending: list[asyncio.Task], intended: float | None) -> str | None:
        await asyncio.gather(*pending)  # flushThen: every pending save first
        status, body = await self.call(c, "POST", "/exam/candidate/api/submit", 2.0, headers={"X-CSRFToken": c.token})
        if status != 200:
            self.error(c, f"hand-in answered {status}: {body[:120]}")
            return None
        if intended is not None:
            self.latency["handin"].append(time.perf_counter() - intended)
        return json.loads(body)["status"]


def _final_refusal(body: str) -> bool:
    """The save's refusal as time up (final), not a passing one or a superseded session."""
    refusal = json.loads(body)
    return refusal.get("retry") is False and not refusal.get("superseded")
