"""Item analysis of a graded test (exam/stats.py computes it): per question p-value, discrimination
and option counts, KR-20 of the forms, recorded back into the bank where later draws read them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from questionbank import api as bank
from recruitment import audit
from recruitment.extensions import db

from . import draw as drawing
from . import stats
from .models import ExamTest
from .scoring import attempt_rows, grade_sheet, is_absent, load_sheet


@dataclass
class ItemRow:
    version_id: int
    seen: int
    p_value: float
    discrimination: float
    options: list[int]  # bank-order counts, blanks last
    flag: str | None


def item_analysis(test_id: int, record: bool = True) -> tuple[list[ItemRow], dict]:
    """Per question p-value, corrected point-biserial and option counts (bank order); KR-20 of the
    forms. With record, the figures and flags go back to the bank, where later draws read them."""
    test = db.session.get(ExamTest, test_id)
    rows = [r for r in attempt_rows(test_id) if not is_absent(r) and r.sanction != test.round.rules.voiding_sanction]
    if not rows:
        return [], {}
    sheet = load_sheet(test, rows)
    graded = grade_sheet(test, sheet)
    versions, columns = np.unique(sheet.versions, return_inverse=True)
    columns = columns.reshape(sheet.versions.shape)
    n, k = sheet.versions.shape
    matrix = np.zeros((n, len(versions)))
    shown = np.zeros((n, len(versions)), dtype=bool)
    candidate = np.repeat(np.arange(n), k)
    matrix[candidate, columns.ravel()] = graded.right.ravel()
    shown[candidate, columns.ravel()] = True
    # The bank option behind each displayed choice (blank: the last column).
    chosen = np.take_along_axis(sheet.perms, np.clip(sheet.choices, 0, None)[..., None], axis=2)[..., 0]
    chosen = np.where((sheet.choices >= 0) & (chosen >= 0), chosen, drawing.MAX_OPTIONS)
    options = np.zeros((len(versions), drawing.MAX_OPTIONS + 1), dtype=np.int64)
    np.add.at(options, (columns.ravel(), chosen.ravel()), 1)
    result = stats.item_statistics(matrix, shown)
    items = [ItemRow(int(v), int(result.seen[j]), float(result.p_value[j]), float(result.discrimination[j]),
                     options[j].tolist(), stats.flag(float(result.p_value[j]), float(result.discrimination[j])))
             for j, v in enumerate(versions)]
    per_form = stats.kr20_forms(result.p_value, columns, graded.right.sum(axis=1))
    finite = per_form[np.isfinite(per_form)]
    reliability = {"forms": n, "kr20_mean": float(finite.mean()) if len(finite) else float("nan"),
                   "kr20_min": float(finite.min()) if len(finite) else float("nan"),
                   "kr20_max": float(finite.max()) if len(finite) else float("nan")}
    if record:
        bank.record_item_statistics([bank.ItemStatistic(r.version_id, r.p_value,
                                                        None if np.isnan(r.discrimination) else r.discrimination, r.flag)
                                     for r in items])
        audit.record("item_statistics_recorded", "exam_test", test.id,
                     after={"questions": len(items), "flagged": sum(1 for r in items if r.flag), **reliability})
    return items, reliability
