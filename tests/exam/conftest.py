"""A round with twelve admitted candidates and a small approved bank, shared by the exam tests."""
from __future__ import annotations

import json

import pytest

from exam.models import ExamTest
from questionbank import api as bank
from recruitment import importing
from recruitment.extensions import db
from tests.recruitment.helpers import (
    APPLICATION_HEADERS,
    POSITION_HEADERS,
    POSITIONS,
    application_row,
    make_round,
    write_xlsx,
)

TOPICS = ("Hiến pháp", "Tin học")


def build_round(tmp_path, author_id: int, reviewer_id: int, per_cell: int = 9):
    """Round R1 (vn-2025), its two positions, twelve admitted candidates for TC-01 and per_cell
    approved questions in each (topic, difficulty 1-2) of the general section. Returns the round."""
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    rows = [application_row(f"0310000000{i:02d}", f"Nguyễn Văn Người{i}") for i in range(12)]
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    records = [{"topic": t, "difficulty": d, "stem": f"{t}: câu hỏi {d}-{i}?", "options": ["Một", "Hai", "Ba", "Bốn"],
                "answer": [i % 4]} for t in TOPICS for d in (1, 2) for i in range(per_cell)]
    bank.create_approved_questions(records, author_id, reviewer_id)
    db.session.commit()
    return round_


def small_test(round_, **fields) -> ExamTest:
    """An active-able round-1 blueprint of 12 questions: 3 in each (topic, difficulty 1-2)."""
    test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Vòng 1 — kiến thức chung",
                    minutes=60, pass_fraction=round_.rules.round1_pass_fraction,
                    cells=json.dumps([{"topic": t, "difficulty": d, "count": 3, "points": 1} for t in TOPICS for d in (1, 2)]),
                    **fields)
    db.session.add(test)
    db.session.commit()
    return test


@pytest.fixture
def exam_round(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    return build_round(tmp_path, author.id, reviewer.id)
