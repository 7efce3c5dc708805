"""Requests sent at the same moment, for tests of what a burst of them may get through (guesses at a
code against a limit). A barrier holds each request's check until as many requests as the limit
allows, plus one, have reached it: with the count kept one by one, the extra ones are answered
without a check and the barrier gives up waiting for them."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def held_at_a_barrier(check: Callable, parties: int, only: Callable[..., bool] = lambda *args: True) -> Callable:
    """`check` that first waits (5 s at most) until `parties` calls are in; `only` picks the calls held."""
    together = threading.Barrier(parties, timeout=5)

    def held(*args, **kwargs):
        if only(*args, **kwargs):
            try:
                together.wait()
            except threading.BrokenBarrierError:
                pass
        return check(*args, **kwargs)

    return held


def sent_at_once(app, count: int, send: Callable[[int], Any]) -> list[Any]:
    """send(i) for i in range(count), each in a thread of its own with an app context; what they returned."""
    from recruitment.extensions import db

    answers: list[Any] = []

    def one(i: int) -> None:
        with app.app_context():
            answers.append(send(i))
            db.session.remove()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == count
    return answers
