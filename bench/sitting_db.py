"""What bench.examday reads and writes in the database directly, outside the app servers: the
sitting's compressed end, the attempts by status, the count polled during collection, the board
code the proctor would read on the console."""
from __future__ import annotations

from datetime import timedelta

from .autosave import SECRET


def move_deadline(url: str, instance: str, seconds: float):
    """Compresses the sitting: it now ends `seconds` from now (for the sitting and the begun attempts)."""
    from sqlalchemy import update

    from exam.day.models import Sitting
    from exam.models import Attempt
    from recruitment import create_app
    from recruitment.database import utcnow
    from recruitment.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context():
        end = utcnow() + timedelta(seconds=seconds)
        db.session.execute(update(Sitting).values(ends_at=end))
        db.session.execute(update(Attempt).where(Attempt.status == "in_progress").values(deadline=end))
        db.session.commit()
        db.engine.dispose()


def board_code(url: str, instance: str) -> tuple[int, str]:
    """The sitting's id and its results board's code (exam/day/board.py)."""
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


def attempts_by_status(url: str, instance: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from exam.models import Attempt
    from recruitment import create_app
    from recruitment.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET}, instance_path=instance)
    with app.app_context():
        counts = dict(db.session.execute(select(Attempt.status, func.count()).group_by(Attempt.status)).all())
        db.engine.dispose()
    return counts


def in_progress_counter(url: str):
    """A plain count of attempts in progress, polled during collection (no app, no ORM)."""
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url)

    def count() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM exam_attempts WHERE status = 'in_progress'")).scalar()

    return count, engine.dispose
