"""A throw-away app and SQLite database for the benchmarks, with bulk-loaded round, bank and forms."""
from __future__ import annotations

import json
import secrets
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from recruitment import create_app
from recruitment.extensions import db
from recruitment.models import ROLES, Application, Position, Role, Round, User

TOPICS = ("Hiến pháp", "Công chức", "Văn thư", "Tin học")


def make_app(database_url: str | None = None):
    folder = Path(tempfile.mkdtemp(prefix="recruit-bench-"))
    url = database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, instance_path=str(folder))
    with app.app_context():
        db.drop_all() if database_url else None
        db.create_all()
        db.session.execute(insert(Role), [{"name": r} for r in ROLES])
        db.session.commit()
    return app, folder


def load_round(applications: int) -> Round:
    round_ = Round(code="BENCH", name="Bench", draw_seed=secrets.token_hex(16))
    db.session.add(round_)
    db.session.flush()
    position = Position(round_id=round_.id, code="P", name="P", agency="A", grade="chuyen_vien", quota=10,
                        round2_form="written", degree_level="dai_hoc")
    db.session.add(position)
    db.session.flush()
    db.session.execute(insert(Application), [
        {"round_id": round_.id, "position_id": position.id, "national_id": f"{i:012d}", "full_name": f"Thí sinh {i}",
         "name_key": f"thi sinh {i}", "date_of_birth": date(1995, 1, 1), "gender": "nam", "degree_level": "dai_hoc",
         "status": "admitted", "candidate_number": i + 1, "major": "", "priority_codes": ""} for i in range(applications)])
    db.session.commit()
    return round_


def load_bank(questions: int) -> None:
    from questionbank import api

    author = User(username="bench", full_name="Bench", password_hash="x")
    db.session.add(author)
    db.session.flush()
    per_cell = questions // (len(TOPICS) * 3)
    records = [{"topic": t, "difficulty": d, "stem": f"{t} {d} câu hỏi số {i}?", "options": ["A", "B", "C", "D"],
                "answer": [i % 4]} for t in TOPICS for d in (1, 2, 3) for i in range(per_cell)]
    api.create_approved_questions(records, author.id, author.id)
    db.session.commit()


def make_test(round_: Round, per_cell: int = 5):
    from exam import service
    from exam.models import ExamTest

    test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Bench", minutes=60,
                    pass_fraction=round_.rules.round1_pass_fraction,
                    cells=json.dumps([{"topic": t, "difficulty": d, "count": per_cell, "points": 1}
                                      for t in TOPICS for d in (1, 2, 3)]))
    db.session.add(test)
    db.session.flush()
    assert service.activate(test) == []
    db.session.commit()
    return test
