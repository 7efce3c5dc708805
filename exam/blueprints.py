"""Blueprints of exam tests: the rule set's defaults (B1, B2, L1, C2), the check that the bank holds
enough approved questions for every cell before activation (G1), who sits a test (B0, L1), and the
operations that create a test and edit a draft (each checks, changes, audits with before and after,
and flushes; the page commits)."""
from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from questionbank import api as bank
from recruitment import audit, errors, labels
from recruitment.extensions import db
from recruitment.models import Application, Position, Round

from . import draw as drawing
from .blueprint_checks import BlueprintProblem, check_rules
from .models import TEST_KINDS, ExamTest
from .scoring import cells_of

SECTION_OF = {"round1_general": "general", "round1_language": "language", "round2_written": "professional"}


def preset(round_: Round, kind: str, topics: list[str]) -> dict:
    """Defaults from the round's rule set: round 1 (B1, B2, L1) or round 2 on computer (C2)."""
    rules = round_.rules
    if kind == "round1_general":
        questions, minutes, fraction, scale = rules.round1_questions, rules.round1_minutes, rules.round1_pass_fraction, False
    elif kind == "round1_language":
        questions, minutes, fraction, scale = rules.language_questions, rules.language_minutes, rules.round1_pass_fraction, False
    else:
        questions, minutes, fraction, scale = rules.computer_written_questions[0], rules.computer_written_minutes[0], None, True
    cells = []
    if topics:
        per_topic, extra = divmod(questions, len(topics))
        for i, topic in enumerate(topics):
            n = per_topic + (1 if i < extra else 0)
            easy, hard = round(n * 0.3), round(n * 0.2)
            for difficulty, count in ((1, easy), (2, n - easy - hard), (3, hard)):
                if count:
                    cells.append({"topic": topic, "difficulty": difficulty, "count": count, "points": 1})
    return {"minutes": minutes, "pass_fraction": fraction, "scale_to_100": scale, "cells": cells}


def pool_of(test: ExamTest) -> tuple[list, drawing.Pool]:
    items = bank.approved_pool(test.section, test.position.code if test.position else None,
                               common=test.position is None)  # round 1: one paper for every position (B1)
    return items, drawing.Pool.build(items, cells_of(test), weighed=bool(test.scale_to_100))  # C2


def check_blueprint(test: ExamTest) -> list[tuple[drawing.Cell, int]]:
    """G1: the cells with fewer than 3 times their count of approved questions (empty: usable); a
    blueprint that breaks the rule set (B1, L1, C2) raises BlueprintProblem."""
    cells = cells_of(test)
    if not cells or sum(c.count for c in cells) == 0:
        raise BlueprintProblem(_("The blueprint has no cell with questions."))
    rules = test.round.rules
    check_rules(test.kind, test.minutes, cells, rules)  # B1, L1, C2
    _items, pool = pool_of(test)
    return drawing.shortfalls(pool, cells, rules.bank_multiple)


def activate(test: ExamTest) -> list[tuple[drawing.Cell, int]]:
    short = check_blueprint(test)
    if not short:
        before, test.status = test.status, "active"
        audit.record("blueprint_activated", "exam_test", test.id, before={"status": before},
                     after={"status": "active", "cells": json.loads(test.cells)})
    return short


def candidates_for(test: ExamTest) -> list[Application]:
    """B0: round-1 tests for the grades that sit round 1; L1: the language part for those not exempt;
    a round-2 computer test for its position."""
    query = (select(Application).join(Position, Position.id == Application.position_id)
             .where(Application.round_id == test.round_id, Application.status == "admitted")
             .order_by(Application.candidate_number))
    if test.kind == "round2_written":
        query = query.where(Application.position_id == test.position_id)
    else:
        query = query.where(Position.grade.in_(test.round.rules.round1_grades))
        if test.kind == "round1_language":
            query = query.where(Application.exempt_language.is_(False))
    return list(db.session.scalars(query))


def create(round_: Round, kind: str, position: Position | None) -> ExamTest:
    """A round-1 test for the round, or a round-2 computer test for one of its positions, with the
    preset cells over the bank's approved topics (B1, B2, L1, C2)."""
    if kind not in TEST_KINDS:
        raise errors.Refused(_("Unknown kind of test."))
    if kind == "round2_written" and (position is None or position.round_id != round_.id):
        raise errors.Refused(_("A round-2 test is for one position of the round."))
    if kind == "round2_written" and (position.round2_form == "interview" or position.grade == "nhan_vien"):
        # C1, L2: an interview-only round 2 has no written test; B0: nhân viên sit one oral or practical test.
        raise errors.Refused(_("Position %(code)s has no written round-2 test (B0, C1, L2).", code=position.code))
    if kind == "round1_language" and not (round_.rules.round1_has_language_part or round_.language_test):
        # L1 asks for a language part, B8 lets a round set an optional test: otherwise nobody sits one.
        raise errors.Refused(_("Round %(round)s has no foreign-language test: neither its rule set's language part "
                               "(L1) nor the optional test (B8) is set.", round=round_.code))
    if kind != "round2_written":
        position = None
    test = ExamTest(round_id=round_.id, kind=kind, position_id=position.id if position else None,
                    section=SECTION_OF[kind],
                    title=f"{labels.TEST_KIND[kind]}{' — ' + position.code if position else ''}")
    topics = sorted({p.topic for p in bank.approved_pool(test.section, position.code if position else None,
                                                         common=position is None)})
    settings = preset(round_, kind, topics)
    test.minutes, test.pass_fraction, test.scale_to_100 = settings["minutes"], settings["pass_fraction"], settings["scale_to_100"]
    test.cells = json.dumps(settings["cells"], ensure_ascii=False)
    db.session.add(test)
    db.session.flush()
    audit.record("blueprint_created", "exam_test", test.id, after={"kind": kind, "cells": settings["cells"]})
    return test


def has_own_pass_mark(test: ExamTest) -> bool:
    """B8: the optional foreign-language test has a pass mark of its own; round 1's tests otherwise
    take the rule set's (B2, and L1's language part with it), and round 2 is scored, not passed."""
    return test.kind == "round1_language" and not test.round.rules.round1_has_language_part


def edit(test: ExamTest, cells: list[dict], minutes: int | None, tolerance: float | None,
         pass_fraction: Decimal | None = None) -> None:
    """Only a draft: an active blueprint's forms are drawn from it. A tolerance outside (0, 0.5] is
    ignored, as is a missing number of minutes or pass mark; a pass mark other than the test's is
    refused where the rule set fixes it (has_own_pass_mark)."""
    if test.status != "draft":
        raise errors.Refused(_("An active blueprint is not edited: its forms are drawn from it."))
    if pass_fraction is not None and pass_fraction != test.pass_fraction and not has_own_pass_mark(test):
        raise errors.Refused(_("Only the optional foreign-language test has a pass mark of its own (B8): this test's "
                               "is the rule set's (B2)."))
    before = _settings(test)
    test.cells = json.dumps(cells, ensure_ascii=False)
    test.minutes = minutes or test.minutes
    if tolerance is not None and 0 < tolerance <= 0.5:
        test.difficulty_tolerance = Decimal(str(round(tolerance, 3)))
    if pass_fraction is not None:
        test.pass_fraction = pass_fraction
    audit.record("blueprint_edited", "exam_test", test.id, before=before, after=_settings(test))
    db.session.flush()


def _settings(test: ExamTest) -> dict:
    """What an edit may change, as its audit entry records it before and after."""
    return {"cells": json.loads(test.cells), "minutes": test.minutes, "tolerance": float(test.difficulty_tolerance),
            "pass_fraction": None if test.pass_fraction is None else float(test.pass_fraction)}
