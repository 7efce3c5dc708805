"""The paper written test's round: six markers, the chair, HR, and three candidates who passed
round 1 and were interviewed (C5), so that their written test decides."""
from __future__ import annotations

from decimal import Decimal

import pytest

from recruitment.extensions import db
from recruitment.scores import round1_result, round2_score
from tests.support.factories import round_with_applications


@pytest.fixture
def setup(app, make_user, tmp_path):
    markers = [make_user(f"gk{i}", "marker") for i in range(1, 7)]
    chair, hr = make_user("chutich", "council_chair"), make_user("hr_mk", "hr")
    round_, apps = round_with_applications(tmp_path, "WM", ["Lê Hoa", "Vũ Nam", "Hà My"])
    for application in apps:  # round 1 passed (B2): they sit the written test; the interview is done (C5)
        result = round1_result(application.id)
        result.correct, result.total = Decimal(45), 60
        round2_score(application.id).interview = Decimal(70)
    db.session.commit()
    return {"markers": markers, "chair": chair, "hr": hr, "round": round_, "apps": apps}
