"""`verification import`, fed mutations of a valid file: a clean error or a clean import, never a
traceback, never a partial write (issue "Files in", item 3)."""
from __future__ import annotations

from hypothesis import given

from recruitment.extensions import db
from recruitment.models import Round
from results import service
from tests.support.demo_cache import demo_loaded
from tests.support.fuzz import FUZZ, check_import, tabular_mutant
from verification.importing import import_outcomes

HEADERS = ["candidate_number", "outcome", "reason"]


def test_outcome_files_never_crash_nor_half_import(app):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    rows = service.rows_of(service.latest(round_))
    selected = [r["candidate_number"] for r in rows if r["status"] == "selected"][:2]
    valid = [[selected[0], "verified", ""], [selected[1], "incomplete", "Thiếu bằng"]]

    @FUZZ
    @given(tabular_mutant(HEADERS, valid))
    def run(mutant):
        check_import(lambda: import_outcomes(round_, *mutant))

    run()
