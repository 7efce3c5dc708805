"""Costs that grow with a sitting's size, per request, in CPU milliseconds of this process (the
machine's other load does not inflate them): the signed-in request's user load, a hall screen's
poll of the results board in a sitting's last minute, and the question every hand-in asks first.

    python -m bench.grown_costs [--candidates N] [--new-per-poll K] [--later-shifts S]

Set-up as bench.autosave (a round of N seated candidates, each with an account, and a sitting; 5,000
by default), then every attempt is marked handed in and graded by one UPDATE. Then:

1. user_load_ms: the user of every request with the roles (recruitment/models.py user_with_roles), as
   load_user reads it, for accounts across the table;
2. board_version_ms and board_build_ms: K attempts graded again (default 40: about what a worker sees
   between two polls when 80 candidates a second hand in), then the board's version (the aggregate
   an unchanged poll costs) and its JSON (exam/day/board.py body: the grading times of every shown
   attempt, and the rows of the K), 40 times over;
3. collect_question_ms: with S later shifts of the same candidates seated (default 2: a round sat in
   shifts, their attempts not started), whether anything is to collect, as every hand-in and state
   poll asks (exam/day/handing_in.py anything_to_collect), 40 times over.

The last line is one JSON object: user_load_ms, board_version_ms, board_build_ms, board_bytes,
collect_question_ms, later_attempts (not started) and the settings."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import DateTime, Table, insert, literal, select, text

from .autosave import SECRET, build

ROUNDS = 40
SHIFT_IDS = 10_000_000  # a later shift's rows: the first shift's ids plus this, times the shift's number


def copy_rows(session, table: Table, where, changed: dict) -> None:
    """Inserts a copy of the table's rows that match, with the columns named in changed set to those
    expressions (of the row copied) instead."""
    names = [column.name for column in table.columns]
    session.execute(insert(table).from_select(names, select(*[changed.get(n, table.c[n]) for n in names]).where(where)))


def add_later_shift(session, sitting_id: int, shift: int) -> None:
    """The sitting's candidates seated again in a sitting `shift` times three hours later, each with a
    form of their own (a retake number keeps it apart from the first) and an attempt not started."""
    from exam.day.models import Placement, Room, Seat, Sitting
    from exam.models import Attempt, Form
    from recruitment.database import utcnow

    step = SHIFT_IDS * shift
    starts = utcnow() + timedelta(hours=3 * shift)
    sittings, rooms, seats, placements = (m.__table__ for m in (Sitting, Room, Seat, Placement))
    forms, attempts = Form.__table__, Attempt.__table__
    placed = select(placements.c.attempt_id).where(placements.c.sitting_id == sitting_id)
    copy_rows(session, sittings, sittings.c.id == sitting_id, {
        "id": sittings.c.id + step, "name": literal(f"Ca {shift + 1}"), "opened_at": literal(None),
        "starts_at": literal(starts, DateTime), "ends_at": literal(starts + timedelta(hours=2), DateTime)})
    copy_rows(session, rooms, rooms.c.sitting_id == sitting_id,
              {"id": rooms.c.id + step, "sitting_id": rooms.c.sitting_id + step})
    copy_rows(session, seats, seats.c.room_id.in_(select(rooms.c.id).where(rooms.c.sitting_id == sitting_id)),
              {"id": seats.c.id + step, "room_id": seats.c.room_id + step})
    copy_rows(session, forms, forms.c.id.in_(select(attempts.c.form_id).where(attempts.c.id.in_(placed))),
              {"id": forms.c.id + step, "retake": forms.c.retake + shift})
    unstarted = {name: literal(None) for name in ("started_at", "deadline", "submitted_at", "correct", "points",
                                                  "score", "passed", "graded_at")}
    copy_rows(session, attempts, attempts.c.id.in_(placed), {
        "id": attempts.c.id + step, "form_id": attempts.c.form_id + step, "status": literal("not_started"),
        **unstarted})
    copy_rows(session, placements, placements.c.sitting_id == sitting_id, {
        "id": placements.c.id + step, "sitting_id": placements.c.sitting_id + step,
        "attempt_id": placements.c.attempt_id + step, "seat_id": placements.c.seat_id + step,
        "session_token": literal(None), "login_at": literal(None), "last_seen": literal(None)})


def cpu_ms(call, times: int) -> float:
    started = time.process_time()
    for _ in range(times):
        call()
    return round((time.process_time() - started) / times * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--new-per-poll", type=int, default=40)
    parser.add_argument("--later-shifts", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build(url, tmp, args.candidates)
        from exam.day import board, handing_in
        from exam.day.models import Sitting
        from recruitment import create_app
        from recruitment.database import utcnow
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
            for shift in range(1, args.later_shifts + 1):
                add_later_shift(db.session, sitting_id, shift)
            db.session.commit()
            later = db.session.scalar(text("SELECT count(*) FROM exam_attempts WHERE status = 'not_started'"))
            assert not handing_in.anything_to_collect(utcnow())  # the first shift's hand-ins, the later ones to come
            collect_question_ms = cpu_ms(lambda: handing_in.anything_to_collect(utcnow()), ROUNDS)
            db.engine.dispose()
    print(f"user load {user_load_ms} ms; board version {version_s / ROUNDS * 1000:.2f} ms, "
          f"new board {build_s / ROUNDS * 1000:.2f} ms ({size} bytes) at {args.candidates} candidates; "
          f"anything to collect {collect_question_ms} ms with {later} attempts of later shifts")
    print(json.dumps({"user_load_ms": user_load_ms, "board_version_ms": round(version_s / ROUNDS * 1000, 2),
                      "board_build_ms": round(build_s / ROUNDS * 1000, 2), "board_bytes": size,
                      "collect_question_ms": collect_question_ms, "candidates": args.candidates,
                      "new_per_poll": args.new_per_poll, "later_shifts": args.later_shifts, "later_attempts": later,
                      "database": "sqlite"}))


if __name__ == "__main__":
    main()
