"""Costs that grow with a sitting's size, per request, in CPU milliseconds of this process (the
machine's other load does not inflate them): the signed-in request's user load, and a hall screen's
poll of the results board in a sitting's last minute.

    python -m bench.grown_costs [--candidates N] [--new-per-poll K]

Set-up as bench.autosave (a round of N seated candidates, each with an account, and a sitting; 5,000
by default), then every attempt is marked handed in and graded by one UPDATE. Then:

1. user_load_ms: the user of every request with the roles (recruitment/models.py user_with_roles), as
   load_user reads it, for accounts across the table;
2. board_version_ms and board_build_ms: K attempts graded again (default 40: about what a worker sees
   between two polls when 80 candidates a second hand in), then the board's version (the aggregate
   an unchanged poll costs) and its JSON (exam/day/board.py body: the grading times of every shown
   attempt, and the rows of the K), 40 times over.

The last line is one JSON object: user_load_ms, board_version_ms, board_build_ms, board_bytes and the
settings."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

from .autosave import SECRET, build

ROUNDS = 40


def cpu_ms(call, times: int) -> float:
    started = time.process_time()
    for _ in range(times):
        call()
    return round((time.process_time() - started) / times * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--new-per-poll", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build(url, tmp, args.candidates)
        from exam.day import board
        from exam.day.models import Sitting
        from recruitment import create_app
        from recruitment.extensions import db
        from recruitment.models import User, user_with_roles

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=tmp)
        with app.test_request_context("/"):
            db.session.execute(text("UPDATE exam_attempts SET status = 'submitted', started_at = CURRENT_TIMESTAMP, "
                                    "graded_at = CURRENT_TIMESTAMP, correct = 15, score = 75, passed = 1"))
            db.session.commit()
            users = db.session.scalars(select(User.id).order_by(User.id)).all()
            picked = iter(users[i * len(users) // ROUNDS] for i in range(ROUNDS))

            def load_user():
                db.session.scalar(user_with_roles(), {"user_id": next(picked)})
                db.session.rollback()  # a request of its own: nothing kept in the identity map

            user_load_ms = cpu_ms(load_user, ROUNDS)
            sitting_id = db.session.scalar(select(Sitting.id))
            attempts = db.session.scalars(text("SELECT id FROM exam_attempts ORDER BY id")).all()
            board.body(sitting_id, board.version(sitting_id))  # the board as it stood: every row built
            version_s = build_s = 0.0
            size = 0
            for n in range(ROUNDS):
                regraded = attempts[n * args.new_per_poll % len(attempts):][:args.new_per_poll]
                db.session.execute(text(f"UPDATE exam_attempts SET graded_at = datetime('now', '+{n + 1} seconds') "
                                        f"WHERE id IN ({', '.join(map(str, regraded))})"))
                db.session.commit()
                started = time.process_time()
                current = board.version(sitting_id)
                version_s += time.process_time() - started
                started = time.process_time()
                size = len(board.body(sitting_id, current))
                build_s += time.process_time() - started
            db.engine.dispose()
    print(f"user load {user_load_ms} ms; board version {version_s / ROUNDS * 1000:.2f} ms, "
          f"new board {build_s / ROUNDS * 1000:.2f} ms ({size} bytes) at {args.candidates} candidates")
    print(json.dumps({"user_load_ms": user_load_ms, "board_version_ms": round(version_s / ROUNDS * 1000, 2),
                      "board_build_ms": round(build_s / ROUNDS * 1000, 2), "board_bytes": size,
                      "candidates": args.candidates, "new_per_poll": args.new_per_poll, "database": "sqlite"}))


if __name__ == "__main__":
    main()
