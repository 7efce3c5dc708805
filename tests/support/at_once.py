"""Requests sent at the same moment, for tests of what a burst of them may get through (guesses at a
code against a limit). A barrier holds each request's check until as many requests as the limit
allows, plus one, have reached it: with the count kept one by one, the extra ones are answered
without a check and the barrier gives up waiting for them."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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


@contextmanager
def a_guess_in_flight(app, under: Callable[[], AbstractContextManager], count: Callable[[], None],
                      hold: float = 1.0) -> Iterator[None]:
    """A wrong guess another request is making: counted (`count`) under its lock on the counts
    (`under`), then held `hold` seconds before its commit. The block runs meanwhile."""
    from recruitment.extensions import db

    counting = threading.Event()

    def guess() -> None:
        with app.app_context():
            with under():
                count()
                db.session.flush()
                counting.set()
                time.sleep(hold)
                db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=guess)
    thread.start()
    assert counting.wait(10)
    try:
        yield
    finally:
        thread.join(10)
