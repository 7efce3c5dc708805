"""Builders of the records the tests start from: users, rounds with their positions and admitted
candidates (through the real importers), approved questions, exam blueprints, and an exam day under
way. Plain functions with keyword defaults; each commits what it builds and returns it.
The fixtures in tests/**/conftest.py call these; tests call them directly when they need more."""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from exam.models import ExamTest
from recruitment.extensions import db
from recruitment.models import Role, Round, User
from tests.support.auth import PASSWORD
from tests.support.importfiles import (
    APPLICATION_HEADERS,
    POSITION_HEADERS,
    POSITIONS,
    application_row,
    write_xlsx,
)

# --- people and rounds -------------------------------------------------------------------------

def make_user(username: str, *role_names: str, password: str = PASSWORD, **fields) -> User:
    user = User(username=username, full_name=fields.pop("full_name", username.title()), **fields)
    user.set_password(password)
    user.roles = [db.session.scalar(db.select(Role).filter_by(name=r)) for r in role_names]
    db.session.add(user)
    db.session.commit()
    return user


OPEN_UNTIL = date(2099, 12, 31)


def make_round(code: str = "R1", rules: str = "vn-2025", deadline: date = date(2026, 10, 1),
               open_until: date | None = OPEN_UNTIL, **fields) -> Round:
    """A round whose deadline (A2 counts age on it) is fixed; its applications stay open through a
    recorded extension unless `open_until` is None, so that tests of other rules can import any day."""
    round_ = Round(code=code, name=f"Round {code}", rules_code=rules, application_deadline=deadline,
                   draw_seed=secrets.token_hex(8), applications_extended_until=open_until,
                   extension_reason="test round kept open" if open_until else None, **fields)
    db.session.add(round_)
    db.session.commit()
    return round_


def import_candidates(round_: Round, tmp_path: Path, rows: list[list]) -> None:
    """The standard positions and the given application rows, through the real importers."""
    from recruitment import importing

    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())


def round_with_applications(tmp_path: Path, code: str, names: list[str]) -> tuple[Round, list]:
    """A round with the standard positions and one admitted application per name for TC-01, imported
    through the real importers, in the order given."""
    from recruitment.models import Application

    round_ = make_round(code)
    import_candidates(round_, tmp_path, [application_row(f"03100000{i:04d}", name) for i, name in enumerate(names, 1)])
    return round_, db.session.scalars(db.select(Application).filter_by(round_id=round_.id).order_by(Application.id)).all()


# --- questions --------------------------------------------------------------------------------

def question_record(stem: str = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?", **fields):
    """A valid single-choice question as an importer hands it to the bank."""
    from questionbank.records import QuestionRecord

    values = dict(ref=1, stem=stem, options=["Quốc hội", "Chính phủ", "Tòa án", "Viện kiểm sát"], answer=[1],
                  section="general", topic="Hiến pháp", difficulty=2)
    values.update(fields)
    return QuestionRecord(**values)


def approved_question(author, reviewer, **fields):
    """A question written by author and approved by reviewer through the bank's own transitions."""
    from questionbank import bank

    question = bank.create(question_record(**fields), author)
    bank.transition(question, "submit", author)
    bank.transition(question, "approve", reviewer)
    return question


# --- an exam round and its blueprint ----------------------------------------------------------

TOPICS = ("Hiến pháp", "Tin học")


def round_with_bank(tmp_path: Path, author_id: int, reviewer_id: int, per_cell: int = 9) -> Round:
    """Round R1 (vn-2025), its two positions, twelve admitted candidates for TC-01 and per_cell
    approved questions in each (topic, difficulty 1-2) of the general section."""
    from questionbank import api as bank

    round_ = make_round()
    import_candidates(round_, tmp_path, [application_row(f"0310000000{i:02d}", f"Nguyễn Văn Người{i}") for i in range(12)])
    records = [{"topic": t, "difficulty": d, "stem": f"{t}: câu hỏi {d}-{i}?", "options": ["Một", "Hai", "Ba", "Bốn"],
                "answer": [i % 4]} for t in TOPICS for d in (1, 2) for i in range(per_cell)]
    bank.create_approved_questions(records, author_id, reviewer_id)
    db.session.commit()
    return round_


def small_test(round_: Round, **fields) -> ExamTest:
    """An active-able round-1 blueprint of 12 questions: 3 in each (topic, difficulty 1-2)."""
    test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Vòng 1 — kiến thức chung",
                    minutes=60, pass_fraction=round_.rules.round1_pass_fraction,
                    cells=json.dumps([{"topic": t, "difficulty": d, "count": 3, "points": 1} for t in TOPICS for d in (1, 2)]),
                    **fields)
    db.session.add(test)
    db.session.commit()
    return test


# --- an exam day under way --------------------------------------------------------------------

@dataclass
class Day:
    round_id: int
    test_id: int
    sitting_id: int
    code: str
    access: dict[int, str]  # candidate number -> access code


def build_day(tmp_path: Path, candidates: int = 4, minutes: int = 60, started_minutes_ago: int = 1) -> Day:
    """A round with an approved bank, an active 8-question test (7 choice, 1 fill-in) drawn for its
    candidates, and a sitting in one room that started started_minutes_ago, access codes issued."""
    from exam import blueprints, form_draws
    from exam.day import seating
    from exam.day.models import Placement
    from questionbank import api as bank
    from recruitment.database import utcnow

    author, reviewer = make_user("qa", "question_setter"), make_user("qb", "question_setter")
    round_ = make_round("DAY")
    import_candidates(round_, tmp_path, [application_row(f"0310000001{i:02d}", f"Trần Văn Thí{chr(65 + i)}")
                                         for i in range(candidates)])
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
    start = utcnow() - timedelta(minutes=started_minutes_ago)
    sitting, code = seating.create_sitting(test, "Ca 1", start, start + timedelta(minutes=minutes),
                                           [seating.RoomPlan("P1", candidates, 2)])
    access = seating.issue_access_codes(sitting)
    db.session.commit()
    numbers = {db.session.get(Placement, pid).attempt.application.candidate_number: c for pid, c in access.items()}
    return Day(round_.id, test.id, sitting.id, code, numbers)


def staffed(day: Day, user: User) -> User:
    """G3: a proctor or technician acts on (and reads) only the rooms they staff; `user` joins the
    day's room."""
    from exam.day.models import Room

    room = db.session.scalar(db.select(Room).filter_by(sitting_id=day.sitting_id).order_by(Room.id))
    room.staff.append(user)
    db.session.commit()
    return user


def language_sitting(day: Day, hours_from_now: float):
    """The round's second test (L1's language part, B8), drawn for the day's candidates and seated in a
    sitting of its own that starts hours_from_now (a later shift)."""
    from exam import blueprints, form_draws
    from exam.day import seating
    from recruitment.database import utcnow

    round_ = db.session.get(Round, day.round_id)
    language = ExamTest(round_id=round_.id, kind="round1_language", section="general", title="Ngoại ngữ", minutes=30,
                        pass_fraction=round_.rules.round1_pass_fraction,
                        cells=json.dumps([{"topic": "Tin học", "difficulty": 1, "count": 7, "points": 1}]))
    db.session.add(language)
    db.session.flush()
    assert blueprints.activate(language) == []
    form_draws.draw_test(language.id)
    later = utcnow() + timedelta(hours=hours_from_now)
    sitting, _code = seating.create_sitting(language, "Ca 2", later, later + timedelta(minutes=30),
                                            [seating.RoomPlan("P2", 4, 1)])
    return sitting
