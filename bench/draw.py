"""Drawing and storing 10,000 forms of 60 questions from a 6,000-question bank (issue 4).

    python -m bench.draw [--forms N] [--bank Q]

Builds its own SQLite database in a temporary directory (round, position, admitted applications,
approved questions, an active round-1 blueprint), then times exam.form_draws.draw_test: the draw with
its redraws and neighbour check, storing every form and attempt, and the fairness report.
Baseline, measured in the same run: as many `random.sample(bank, 60)` calls in plain Python.
The last line is one JSON object: forms_per_s, baseline_per_s, ratio (forms_per_s / baseline_per_s),
max_difficulty_spread. Aim: 10,000 forms stored in under 10 s."""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

TOPICS = ["Hiến pháp", "Tổ chức bộ máy", "Cán bộ, công chức", "Hành chính công", "Văn bản", "Tin học",
          "Phòng chống tham nhũng", "Ngân sách", "Thủ tục hành chính", "Đạo đức công vụ"]


def seed_round(applications: int):
    """Roles, a question author and a reviewer, round BENCH with one position and `applications`
    admitted candidates numbered 1..N (bulk insert). Returns (author, reviewer, round)."""
    from recruitment.access import ROLES
    from recruitment.extensions import db
    from recruitment.models import Application, Position, Role, Round, User

    db.session.add_all(Role(name=n) for n in ROLES)
    author, reviewer = User(username="author", full_name="Người soạn"), User(username="reviewer", full_name="Người duyệt")
    for user in (author, reviewer):
        user.set_password("bench-password-1")
    round_ = Round(code="BENCH", name="Bench", rules_code="vn-2025", draw_seed="bench-seed",
                   application_deadline=date(2026, 10, 1))
    db.session.add_all([author, reviewer, round_])
    db.session.flush()
    position = Position(round_id=round_.id, code="CV-01", name="Chuyên viên", agency="Sở Nội vụ",
                        grade="chuyen_vien", quota=10, round2_form="written", degree_level="dai_hoc")
    db.session.add(position)
    db.session.flush()
    db.session.execute(insert(Application), [
        {"round_id": round_.id, "position_id": position.id, "national_id": f"{i:012d}", "full_name": f"Thí sinh {i}",
         "name_key": f"thi sinh {i}", "date_of_birth": date(1995, 1, 1), "gender": "nam", "degree_level": "dai_hoc",
         "status": "admitted", "candidate_number": i + 1} for i in range(applications)])
    return author, reviewer, round_


def build_app(tmp: str, applications: int, bank_size: int, questions: int = 60):
    """An app on a fresh SQLite file with a round of `applications` admitted candidates, a bank of
    `bank_size` approved questions and an active blueprint of `questions` questions. Returns (app, test_id)."""
    from exam import blueprints
    from exam.models import ExamTest
    from questionbank import api as bank
    from recruitment import create_app
    from recruitment.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}", "SECRET_KEY": "bench"},
                     instance_path=tmp)
    with app.app_context():
        db.create_all()
        author, reviewer, round_ = seed_round(applications)
        rng = random.Random(4)
        records, cells, per_cell_questions = [], [], {}
        for t, topic in enumerate(TOPICS):
            share = questions // len(TOPICS) + (1 if t < questions % len(TOPICS) else 0)
            easy, hard = round(share * 0.3), round(share * 0.2)
            for level, count in ((1, easy), (2, share - easy - hard), (3, hard)):
                cells.append({"topic": topic, "difficulty": level, "count": count, "points": 1})
                per_cell_questions[(topic, level)] = count
        total = sum(per_cell_questions.values())
        for (topic, level), count in per_cell_questions.items():
            for i in range(round(bank_size * count / total)):
                records.append({"topic": topic, "difficulty": level, "stem": f"{topic}: câu hỏi {level}-{i}?",
                                "options": [f"Phương án {k}" for k in "ABCD"], "answer": [rng.randrange(4)]})
        versions = bank.create_approved_questions(records, author.id, reviewer.id)
        # Observed difficulty from an earlier test, so the forms' difficulty differs and the tolerance bites.
        expected = {1: 0.78, 2: 0.6, 3: 0.4}
        bank.record_item_statistics([bank.ItemStatistic(v, min(0.97, max(0.05, rng.gauss(expected[r["difficulty"]], 0.12))),
                                                        0.3, None) for v, r in zip(versions, records, strict=True)])
        test = ExamTest(round_id=round_.id, kind="round1_general", section="general", title="Vòng 1 — bench",
                        minutes=60, pass_fraction=round_.rules.round1_pass_fraction,
                        cells=json.dumps(cells, ensure_ascii=False))
        db.session.add(test)
        db.session.flush()
        short = blueprints.activate(test)
        assert not short, short
        db.session.commit()
        return app, test.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--bank", type=int, default=6_000)
    args = parser.parse_args()
    from exam import form_draws
    from recruitment.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        app, test_id = build_app(tmp, args.forms, args.bank)
        print(f"setup: {args.forms} admitted applications, {args.bank} approved questions "
              f"({time.perf_counter() - start:.1f} s)")
        with app.app_context():
            start = time.perf_counter()
            report = form_draws.draw_test(test_id)
            db.session.commit()
            draw_s = time.perf_counter() - start
    population = list(range(args.bank))
    start = time.perf_counter()
    for _ in range(report.new_forms):
        random.sample(population, report.questions)
    baseline_s = time.perf_counter() - start
    forms_per_s = report.new_forms / draw_s
    baseline_per_s = report.new_forms / baseline_s
    print(f"drew and stored {report.new_forms} forms of {report.questions} questions in {draw_s:.2f} s "
          f"({forms_per_s:.0f} forms/s; aim: under 10 s)")
    print(f"baseline: {report.new_forms} random.sample calls in {baseline_s:.3f} s ({baseline_per_s:.0f}/s)")
    print(f"fairness: mean difficulty per form {report.difficulty_min:.3f}-{report.difficulty_max:.3f} "
          f"(target {report.target_difficulty:.3f}, spread {report.difficulty_spread:.3f}), highest exposure "
          f"{report.max_exposure:.1%}, neighbour clashes {report.neighbour_clashes}, redrawn {report.redrawn}")
    print(json.dumps({"forms_per_s": round(forms_per_s, 1), "baseline_per_s": round(baseline_per_s, 1),
                      "ratio": round(forms_per_s / baseline_per_s, 4),
                      "max_difficulty_spread": round(report.difficulty_spread, 4), "draw_s": round(draw_s, 3)}))


if __name__ == "__main__":
    main()
