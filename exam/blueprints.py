"""Operations on a computer test's blueprint (its cells: topic, difficulty, count, points): create
a test with the preset of the round's rule set, edit a draft. Each checks, changes, audits with
before and after, and flushes; the page commits."""
from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import gettext as _

from recruitment import audit, errors, labels
from recruitment.extensions import db
from recruitment.models import Position, Round

from . import service
from .models import TEST_KINDS, ExamTest


def create(round_: Round, kind: str, position: Position | None) -> ExamTest:
    """A round-1 test for the round, or a round-2 computer test for one of its positions, with the
    preset cells over the bank's approved topics (B1, B2, L1, C2)."""
    if kind not in TEST_KINDS:
        raise errors.Refused(_("Unknown kind of test."))
    if kind == "round2_written" and (position is None or position.round_id != round_.id):
        raise errors.Refused(_("A round-2 test is for one position of the round."))
    if kind != "round2_written":
        position = None
    from questionbank.api import approved_pool

    test = ExamTest(round_id=round_.id, kind=kind, position_id=position.id if position else None,
                    section=service.SECTION_OF[kind],
                    title=f"{labels.TEST_KIND[kind]}{' — ' + position.code if position else ''}")
    topics = sorted({p.topic for p in approved_pool(test.section, position.code if position else None)})
    settings = service.preset(round_, kind, topics)
    test.minutes, test.pass_fraction, test.scale_to_100 = settings["minutes"], settings["pass_fraction"], settings["scale_to_100"]
    test.cells = json.dumps(settings["cells"], ensure_ascii=False)
    db.session.add(test)
    db.session.flush()
    audit.record("blueprint_created", "exam_test", test.id, after={"kind": kind, "cells": settings["cells"]})
    return test


def edit(test: ExamTest, cells: list[dict], minutes: int | None, tolerance: float | None) -> None:
    """Only a draft: an active blueprint's forms are drawn from it. A tolerance outside (0, 0.5] is
    ignored, as is a missing number of minutes."""
    if test.status != "draft":
        raise errors.Refused(_("An active blueprint is not edited: its forms are drawn from it."))
    before = json.loads(test.cells)
    test.cells = json.dumps(cells, ensure_ascii=False)
    test.minutes = minutes or test.minutes
    if tolerance is not None and 0 < tolerance <= 0.5:
        test.difficulty_tolerance = Decimal(str(round(tolerance, 3)))
    audit.record("blueprint_edited", "exam_test", test.id, before=before,
                 after={"cells": cells, "minutes": test.minutes, "tolerance": float(test.difficulty_tolerance)})
    db.session.flush()
