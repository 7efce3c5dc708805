"""C3, C6: a mark is recorded with 2 decimals (WrittenMark.score). A mark typed with more (75.004) was
judged by C3 on the typed value and stored rounded, so the judgement and the stored marks disagreed and
the script could wait for good for a mark nobody was asked to give. Such a mark is refused in words,
naming it, on the marking page and in the file import (naming the row); C3 is decided on the marks as
they are recorded."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from marking import service as marking
from marking.importing import import_written
from marking.models import WrittenMark
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import round2_score
from recruitment.tabular import ImportRejected
from tests.support.marking import drawn, give_mark

MARKED = "candidate_number,absent,first_marker,first_mark,second_marker,second_mark\n"


def test_a_mark_with_more_than_2_decimals_is_refused_naming_it(setup):
    a, m1 = setup["apps"][0], setup["markers"][0]
    give_mark(a, "first", "70", m1)
    with force_locale("en"), pytest.raises(marking.MarkRefused) as refused:
        give_mark(a, "second", "75.004", drawn(a))  # 5.004 apart typed, 5.00 apart as recorded
    assert "75.004" in str(refused.value) and "second marker" in str(refused.value)
    assert set(marking.marks_of(a)) == {"first"} and round2_score(a.id).written is None
    assert give_mark(a, "second", "75.00", drawn(a)).score == Decimal("72.50")  # C3: 5 apart, the mean


def test_c3_is_decided_on_the_marks_as_recorded(setup):
    """2 decimals typed are 2 decimals recorded: the judgement and the stored marks agree."""
    a, m1 = setup["apps"][0], setup["markers"][0]
    give_mark(a, "first", "60.25", m1)
    outcome = give_mark(a, "second", "65.25", drawn(a))
    db.session.commit()
    db.session.expire_all()
    stored = marking.marks_of(a)
    assert (stored["first"].score, stored["second"].score) == (Decimal("60.25"), Decimal("65.25"))
    assert outcome == marking.outcome_of(a) and marking.needed(a) is None
    assert round2_score(a.id).written == Decimal("62.75") and not round2_score(a.id).written_pending


def test_an_imported_mark_with_more_than_2_decimals_is_refused_naming_its_row(setup):
    round_ = setup["round"]
    numbers = sorted(a.candidate_number for a in setup["apps"])
    rows = f"{numbers[0]},no,gk1,70,gk2,74\n{numbers[1]},no,gk1,70,gk2,75.004\n"
    with force_locale("en"), pytest.raises(ImportRejected) as rejected:
        import_written(round_, "w.csv", (MARKED + rows).encode())
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "second_mark")]
    assert "75.004" in rejected.value.errors[0].message
    assert not db.session.scalar(db.select(WrittenMark))  # all or nothing
    first = db.session.scalar(db.select(Application).filter_by(round_id=round_.id, candidate_number=numbers[0]))
    assert round2_score(first.id).written is None
