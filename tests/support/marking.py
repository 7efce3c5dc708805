"""Marking paper scripts in tests (C3): a mark by its marker, every script settled by two markers,
a results version published on a given day, more admitted candidates in the marking round."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from marking import service as marking
from recruitment.extensions import db
from recruitment.scores import round1_result
from results import service as results


def give_mark(application, which, score, marker):
    return marking.record_mark(application, which, Decimal(score), marker)


def drawn(application):
    """The second marker C3 drew for the script with its first mark."""
    return marking.second_marker(application)


def not_on(application, markers) -> list:
    """The markers who have given none of the script's marks (a third marker, re-markers), in order."""
    on = {m.marker_id for m in marking.marks_of(application).values()}
    return [m for m in markers if m.id not in on]


def settle_all(setup, first="70", second="74"):
    m1 = setup["markers"][0]
    for application in setup["apps"]:
        if marking.needed(application) == "first":
            give_mark(application, "first", first, m1)
            give_mark(application, "second", second, drawn(application))


def publish(round_, on: datetime):
    version = results.publish(round_, "hr")
    version.published_at = on
    db.session.flush()
    return version


def more_apps(setup, tmp_path, names, position="TC-01"):
    """Further admitted applications in the setup's round, round 1 passed."""
    from recruitment import importing
    from recruitment.models import Application
    from tests.support.importfiles import APPLICATION_HEADERS, application_row, write_xlsx

    round_ = setup["round"]
    known = set(db.session.scalars(db.select(Application.id).filter_by(round_id=round_.id)))
    start = len(known)
    rows = [application_row(f"03100009{start + i:04d}", name, position=position, major="Tài chính" if position == "TC-01" else "")
            for i, name in enumerate(names, 1)]
    importing.import_applications(round_, "b.xlsx", write_xlsx(tmp_path / "b.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    more = [a for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id).order_by(Application.id))
            if a.id not in known]
    for application in more:
        result = round1_result(application.id)
        result.correct, result.total = Decimal(45), 60
    db.session.commit()
    return more
