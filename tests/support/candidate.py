"""A candidate at a lab computer on exam day (tests/support/factories.py `build_day`): the log-in
with an access code, the chair opening the sitting, and the attempt the candidate is then in."""
from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from exam import draw
from exam import draw as drawing
from exam.day import admission, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt, AttemptAnswer
from questionbank import api as bank
from recruitment.extensions import db


def candidate_login(client, day, number: int = 1, code: str | None = None, **options):
    """Posts the candidate log-in form (the client adds the CSRF token unless csrf=False)."""
    response = client.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": number,
                                                          "access_code": code or day.access[number]}, **options)
    if options.get("buffered", True):
        response.close()  # sent, as a server closes it: what the response does then is done (call_on_close)
    # The log-in keeps what it loaded after its commit (it answers with the page), in the session a
    # test shares with its requests: what the test reads next comes from the database.
    db.session.expire_all()
    return response


def shows_the_exam(response) -> bool:
    """A log-in that went in answers with the exam page itself (not the form again, not a redirect)."""
    return response.status_code == 200 and 'id="exam"' in response.get_data(as_text=True)


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


def placement_of(number: int = 1) -> Placement:
    return db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=number)))


def started(day, number: int = 1) -> Placement:
    sitting = db.session.get(Sitting, day.sitting_id)
    seating.open_sitting(sitting, day.code)
    placement = placement_of(number)
    admission.begin(placement, sitting.starts_at + timedelta(minutes=2))
    db.session.commit()
    return placement


def answer_right(attempt: Attempt) -> int:
    """Every multiple-choice question answered right; returns how many."""
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    right = 0
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
        content = contents[int(vid)]
        if content.type == "fill":
            continue
        db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, seq=1,
                                     choice=list(perm).index(content.key[0])))
        right += 1
    db.session.flush()
    return right


def candidate_client(app, placement: Placement):
    """The candidate's browser session after the access-code log-in."""
    from exam.day import answer_check
    from recruitment.candidates import candidate_user
    from recruitment.database import utcnow

    user = candidate_user(placement.attempt.application)
    token = admission.open_session(placement, "127.0.0.1", utcnow())  # one live session per attempt
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = str(user.id), True
        sess["placement_id"], sess["attempt_id"] = placement.id, placement.attempt_id
        sess["application_id"] = placement.attempt.application_id
        sess["session_token"], sess["generation"] = token, user.session_generation
        sess["layout"] = answer_check.layout(placement.attempt.form)
    return client


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
