"""The one fairness report of a test's forms the page and `flask exam draw` show: difficulty spread,
exposure, neighbour clashes, redraws."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select

from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.models import Application

from . import draw as drawing
from .blueprints import pool_of
from .models import ExamTest, Form
from .scoring import cells_of


@dataclass
class FairnessReport:
    forms: int = 0
    new_forms: int = 0
    questions: int = 0
    target_difficulty: float = 0.0
    difficulty_min: float = 0.0
    difficulty_max: float = 0.0
    max_exposure: float = 0.0  # the largest share of forms any one question appears on
    neighbour_clashes: int = 0  # consecutive seats with the same question at the same slot
    redrawn: int = 0
    shortfalls: list = field(default_factory=list)
    tolerance: float = 0.0  # the blueprint's limit on a form's distance from the target at the draw
    observed: int = 0  # questions on the forms whose difficulty is an observed p-value (item analysis)
    distinct: int = 0  # distinct questions on the forms

    @property
    def difficulty_spread(self) -> float:
        return self.difficulty_max - self.difficulty_min



def report(test: ExamTest) -> FairnessReport:
    """The one fairness report the page and `flask exam draw` show: every first form of the test
    (retakes apart), each question at the difficulty the bank knows today (its observed p-value once
    item analysis recorded one, else its level's expected value)."""
    items, pool = pool_of(test)
    forms = db.session.execute(select(Form.version_ids, Form.option_perms, Form.draw_attempt)
                               .join(Application, Application.id == Form.application_id)
                               .where(Form.test_id == test.id, Form.retake == 0)
                               .order_by(Application.candidate_number)).all()
    report = FairnessReport(forms=len(forms), questions=sum(c.count for c in cells_of(test)),
                            tolerance=float(test.difficulty_tolerance),
                            target_difficulty=drawing.target_difficulty(pool, cells_of(test)) if len(pool.version_ids) else 0)
    if not forms:
        return report
    matrix = drawing.version_matrix([v for v, _p, _a in forms])
    order = np.argsort(pool.version_ids)
    known = pool.version_ids[order]
    where = np.clip(np.searchsorted(known, matrix), 0, max(len(known) - 1, 0))
    found = known[where] == matrix if len(known) else np.zeros(matrix.shape, dtype=bool)
    # A version retired from the pool since the draw keeps its place but not a difficulty.
    difficulty = np.where(found, pool.difficulty[order][where] if len(known) else 0.0, np.nan)
    means = np.nanmean(difficulty, axis=1)
    report.difficulty_min, report.difficulty_max = float(np.nanmin(means)), float(np.nanmax(means))
    values, counts = np.unique(matrix, return_counts=True)
    report.distinct = len(values)
    observed = {q.version_id for q in items if q.p_value is not None}
    report.observed = sum(1 for v in values if int(v) in observed)
    report.max_exposure = float(counts.max()) / len(forms)
    report.neighbour_clashes = int((matrix[1:] == matrix[:-1]).any(axis=1).sum()) if len(forms) > 1 else 0
    report.redrawn = sum(1 for _v, _p, a in forms if a)
    return report


def spread_explanation(report: FairnessReport) -> str:
    """What the spread measures and against which tolerance, the same sentence on the page and at the CLI."""
    return _("The spread is the gap between the easiest and the hardest form's mean difficulty (p: the share of "
             "candidates expected to answer a question right). It is measured with the difficulty known today: the "
             "observed p-value from item analysis for %(observed)d of the %(distinct)d questions on the forms, the "
             "level's expected value (0.8, 0.6, 0.4) for the others. At the draw each form was kept within "
             "%(tolerance)s of the target on the difficulty then known (redrawn otherwise), so the spread was then at "
             "most %(double)s; once item analysis has replaced expected values with observed ones it may be larger.",
             observed=report.observed, distinct=report.distinct, tolerance=format_number(report.tolerance, 3),
             double=format_number(2 * report.tolerance, 3))
