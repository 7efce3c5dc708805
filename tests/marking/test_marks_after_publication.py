"""E5, C7: once a round's results are published, a written mark changes only by re-marking, as the
written file's import already said. A script left unmarked at publication (its candidate absent from
the interview, which does not hold the list back) was still marked, or recorded absent, from the
marking page afterwards, and the recorded written score moved under the published list. Both are
refused with the date of the publication and the way a mark may still change."""
from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import force_locale

from marking import service as marking
from marking.models import WrittenMark
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import round2_score
from tests.support.marking import drawn, give_mark, publish

FRIDAY_0900_VN = datetime(2026, 12, 4, 2)  # stored as naive UTC


def _published_with_one_script_unmarked(setup):
    """b and c marked, a absent from the interview and never marked; the results published."""
    a, b, c = setup["apps"]
    for application in (b, c):
        give_mark(application, "first", "70", setup["markers"][0])
        give_mark(application, "second", "74", drawn(application))
    row = round2_score(a.id)
    row.interview, row.interview_absent = None, True  # 'absent' in the list: it does not block publication
    db.session.commit()
    publish(setup["round"], FRIDAY_0900_VN)
    db.session.commit()
    return a


def test_no_mark_is_given_after_the_results_are_published(setup):
    a = _published_with_one_script_unmarked(setup)
    assert marking.needed(a) == "first"  # C3 alone would still ask for it
    with force_locale("en"), pytest.raises(marking.MarkRefused, match="E5") as refused:
        give_mark(a, "first", "65", setup["markers"][0])
    assert "C7" in str(refused.value) and setup["round"].code in str(refused.value)
    assert not marking.marks_of(a) and round2_score(a.id).written is None


def test_no_absence_is_recorded_after_the_results_are_published(setup):
    """record_absence looked only for a published written score, and a script published without one
    passed."""
    a = _published_with_one_script_unmarked(setup)
    with pytest.raises(marking.MarkRefused, match="E5"):
        marking.record_absence(a, setup["hr"])
    assert not round2_score(a.id).written_absent


def test_the_page_says_why_a_mark_after_publication_is_refused(setup, client, login):
    a = _published_with_one_script_unmarked(setup)
    login(setup["markers"][0])
    page = client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark",
                       data={"which": "first", "score": "65"}, follow_redirects=True).get_data(as_text=True)
    assert "(E5)" in page
    assert not db.session.scalar(db.select(WrittenMark).filter_by(application_id=a.id))
    refused = db.session.scalar(db.select(AuditEntry).filter_by(action="written_mark_refused"))
    assert refused is not None and "E5" in refused.reason
