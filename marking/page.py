"""The marking page's rows (C3), read for the whole round at once: each script's marks, its score
row and its drawn second marker came one query each, some 7 statements a script (14,000 and 8 to 9 s
for 2,000 scripts). The judgements are marking/service.py's own, on what was read here."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recruitment.extensions import db
from recruitment.models import Round, User
from recruitment.scores import Round2Score

from . import service
from .models import SecondMarker, WrittenMark

CHUNK = 500  # ids per statement, under every engine's limit on bound parameters


def rows(round_: Round) -> tuple[list[dict], dict[int, Round2Score]]:
    """The round's scripts in script-code order, each as the page shows it, and the round's score rows."""
    scores = service.score_rows(round_)
    scripts = service.admitted_scripts(round_, scores)
    ids = [a.id for a in scripts]
    marks: dict[int, dict[str, WrittenMark]] = {i: {} for i in ids}
    drawn: dict[int, SecondMarker] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for mark in db.session.scalars(select(WrittenMark).where(WrittenMark.application_id.in_(chunk))):
            marks[mark.application_id][mark.which] = mark
        for second in db.session.scalars(select(SecondMarker).where(SecondMarker.application_id.in_(chunk))
                                         .options(joinedload(SecondMarker.marker).selectinload(User.roles))):
            drawn[second.application_id] = second
    rules, shown = round_.rules, []
    for application in scripts:
        own = marks[application.id]
        needed = service.needed_from(own, scores.get(application.id), rules)
        shown.append({"application": application, "code": service.script_code(application), "marks": own,
                      "needed": needed, "outcome": service.outcome_from(own, rules),
                      "imported": service.imported_in(scores.get(application.id)),
                      # C3: the second mark is the drawn marker's
                      "second": service.still_marking(drawn.get(application.id)) if needed == "second" else None})
    return shown, scores


def still_to_mark(row: dict, user: User) -> bool:
    """C3: the user may still give one of the markers' marks of this script (the one asked for now, or a
    third one later), so its other marks are not theirs to read yet, whatever else their roles let them
    see: a council chair who also marks is drawn as a second marker like any other marker."""
    return (row["needed"] in ("first", "second", "third") and user.has_role("marker")
            and user.id not in {mark.marker_id for mark in row["marks"].values()})
