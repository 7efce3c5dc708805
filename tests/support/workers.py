"""Another gunicorn worker, for races: what it does runs in a thread of its own, with its own
session and transaction, and is committed before the test goes on."""
from __future__ import annotations

import threading
from collections.abc import Callable

from recruitment.extensions import db


def in_another_worker(app, work: Callable[[], None]) -> None:
    """Runs `work` as another worker would, commits it; an error in it is raised here."""
    failure: list[BaseException] = []

    def run():
        try:
            with app.app_context():
                work()
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 -- re-raised in the test's thread
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failure, failure
