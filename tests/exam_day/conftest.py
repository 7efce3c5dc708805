"""A small round with an approved bank, an active 8-question test drawn for its candidates, and a
sitting that started a minute ago."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from exam import blueprints, form_draws
from exam.day import seating
from exam.models import ExamTest
from questionbank import api as bank
from recruitment import importing
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.recruitment.helpers import (
    APPLICATION_HEADERS,
    POSITION_HEADERS,
    POSITIONS,
    application_row,
    make_round,
    write_xlsx,
)


@dataclass
class Day:
    round_id: int
    test_id: int
    sitting_id: int
    code: str
    access: dict[int, str]  # candidate number -> access code


def build_day(make_user, tmp_path, candidates: int = 4, minutes: int = 60, started_minutes_ago: int = 1) -> Day:
    author, reviewer = make_user("qa", "question_setter"), make_user("qb", "question_setter")
    round_ = make_round("DAY")
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    rows = [application_row(f"0310000001{i:02d}", f"Trần Văn Thí{chr(65 + i)}") for i in range(candidates)]
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    records = [{"topic": "Tin học", "difficulty": 1, "stem": f"Câu hỏi tin học số {i}?", "options": ["Một", "Hai", "Ba", "Bốn"],
                "answer": [i % 4]} for i in range(24)]
    records.append({"topic": "Điền", "difficulty": 2, "type": "fill", "stem": "Thủ đô của Việt Nam là ___", "answer": ["Hà Nội"]})
    records += [dict(records[-1], stem=f"Điền số {i}: hai cộng hai bằng ___", answer=["4", "bốn"]) for i in range(3)]
    bank.create_approved_questions(records, author.id, reviewer.id)
    test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Vòng 1 (kiểm thử)", minutes=minutes,
                    pass_fraction=round_.rules.round1_pass_fraction,
                    cells=json.dumps([{"topic": "Tin học", "difficulty": 1, "count": 7, "points": 1},
                                      {"topic": "Điền", "difficulty": 2, "count": 1, "points": 1}]))
    db.session.add(test)
    db.session.flush()
    assert blueprints.activate(test) == []
    form_draws.draw_test(test.id)
    now = utcnow()
    sitting, code = seating.create_sitting(test, "Ca 1", now - timedelta(minutes=started_minutes_ago),
                                         now - timedelta(minutes=started_minutes_ago) + timedelta(minutes=minutes),
                                         [seating.RoomPlan("P1", candidates, 2)])
    access = seating.issue_access_codes(sitting)
    db.session.commit()
    from exam.day.models import Placement

    numbers = {db.session.get(Placement, pid).attempt.application.candidate_number: c for pid, c in access.items()}
    return Day(round_.id, test.id, sitting.id, code, numbers)


@pytest.fixture
def day(app, make_user, tmp_path) -> Day:
    return build_day(make_user, tmp_path)
