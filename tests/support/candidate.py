"""A candidate at a lab computer on exam day (tests/support/factories.py `build_day`): the log-in
with an access code, the chair opening the sitting, and the attempt the candidate is then in."""
from __future__ import annotations

from exam import draw
from exam.day import seating
from exam.day.models import Sitting
from exam.models import Attempt
from recruitment.extensions import db


def candidate_login(client, day, number: int = 1, code: str | None = None, **options):
    """Posts the candidate log-in form (the client adds the CSRF token unless csrf=False)."""
    return client.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": number,
                                                      "access_code": code or day.access[number]}, **options)


def open_sitting(day) -> None:
    sitting = db.session.get(Sitting, day.sitting_id)
    seating.open_sitting(sitting, day.code)
    db.session.commit()


def sitting_in(client, day, number: int = 1) -> Attempt:
    """Candidate `number` logged in on client, the sitting open, the paper's state fetched once."""
    candidate_login(client, day, number)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    return db.session.scalar(db.select(Attempt).join(Attempt.application)
                             .where(Attempt.application.has(candidate_number=number)))


def layout(attempt: Attempt) -> tuple[int, int, int]:
    """(a choice slot, its number of displayed options, the fill-in slot)."""
    _ids, perms = draw.unpack(attempt.form.version_ids, attempt.form.option_perms)
    counts = [int((p >= 0).sum()) for p in perms]
    choice_slot = next(i for i, n in enumerate(counts) if n)
    return choice_slot, counts[choice_slot], counts.index(0)
