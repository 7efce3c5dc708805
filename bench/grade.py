"""Grading 10,000 attempts of 60 questions read from the database, and item analysis of a
10,000 x 120 answer matrix.

    python -m bench.grade [--attempts N] [--bank Q]

Builds its own SQLite database in a temporary directory (see bench.draw.build_app), draws the forms
and stores simulated answers (97 % of the slots answered) before timing anything.

Baselines in the same run: reading the same answers with one plain SELECT; X.T @ X on the matrix.
The last line is one JSON object: attempts_per_s, analysis_s, ratio (the plain read's time over
grading's time, grading included its own read: aim >= 0.5), read_s, grade_s, matmul_s."""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time

import numpy as np
from sqlalchemy import insert, select, text, update

from recruitment.extensions import db

from .draw import build_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--bank", type=int, default=6_000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    app, test_id = build_app(tmp.name, args.attempts, args.bank)
    rng = random.Random(2)
    with app.app_context():
        from exam import form_draws, scoring, stats
        from exam.models import Attempt, AttemptAnswer, ExamTest

        test = db.session.get(ExamTest, test_id)
        form_draws.draw_test(test.id)
        ids = list(db.session.scalars(select(Attempt.id).where(Attempt.test_id == test.id)))
        rows = [{"attempt_id": a, "slot": s, "choice": rng.randrange(4), "seq": 1, "flagged": False}
                for a in ids for s in range(60) if rng.random() < 0.97]
        for chunk in range(0, len(rows), 50_000):
            db.session.execute(insert(AttemptAnswer), rows[chunk:chunk + 50_000])
        db.session.execute(update(Attempt).where(Attempt.test_id == test.id).values(status="submitted"))
        db.session.commit()
        db.session.expire_all()

        start = time.perf_counter()
        answers = db.session.execute(text("SELECT attempt_id, slot, choice, text FROM exam_answers")).fetchall()
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        scoring.grade(ids)
        db.session.commit()
        grade_s = time.perf_counter() - start
        passed = db.session.scalar(select(db.func.count()).select_from(Attempt).where(Attempt.passed.is_(True)))
    print(f"{len(ids)} attempts ({len(answers)} answers): one plain SELECT {read_s:.3f} s; grading, with its read and "
          f"the score writes, {grade_s:.3f} s ({len(ids) / grade_s:.0f} attempts/s; {passed} passed)")

    generator = np.random.default_rng(3)
    ability = np.clip(generator.normal(0.6, 0.15, 10_000), 0.05, 0.95)  # a realistic spread, so KR-20 means something
    matrix = (generator.random((10_000, 120)) < ability[:, None]).astype(float)
    start = time.perf_counter()
    _ = matrix.T @ matrix
    matmul_s = time.perf_counter() - start
    start = time.perf_counter()
    result = stats.item_statistics(matrix)
    reliability = stats.kr20(matrix)
    analysis_s = time.perf_counter() - start
    print(f"item analysis of a 10,000 x 120 matrix: {analysis_s:.3f} s (X.T @ X: {matmul_s:.3f} s); "
          f"mean p {result.p_value.mean():.3f}, KR-20 {reliability:.3f}")
    tmp.cleanup()
    print(json.dumps({"attempts_per_s": round(len(ids) / grade_s, 1), "analysis_s": round(analysis_s, 4),
                      "ratio": round(read_s / grade_s, 3), "read_s": round(read_s, 3), "grade_s": round(grade_s, 3),
                      "matmul_s": round(matmul_s, 4)}))


if __name__ == "__main__":
    main()
