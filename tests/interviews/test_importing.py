"""`scores import --kind interview`: all or nothing, C4 applied to the interview rows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from interviews.importing import import_interview
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round2Score, round1_result
from recruitment.tabular import ImportRejected
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row


@pytest.fixture
def round_(app, tmp_path):
    round_ = make_round()
    rows = [application_row(f"03100000000{i}", name) for i, name in enumerate(["Trần An", "Lê Bình", "Võ Cường"], 1)]
    import_candidates(round_, tmp_path, rows)
    for application in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        result = round1_result(application.id)  # round 1 passed (B2): admitted to the written test
        result.correct, result.total = Decimal(40), 60
    db.session.commit()
    return round_


def _scores():
    return {s.application.candidate_number: s for s in db.session.scalars(db.select(Round2Score))}


@pytest.fixture
def interviewers(make_user):
    """formats.md: the interviewer column holds a user name."""
    return [make_user("a", "interviewer"), make_user("b", "interviewer")]


def test_interview_rows_are_combined_and_a_wide_spread_waits_for_the_head(round_, interviewers):
    data = (b"candidate_number,interviewer,score,absent\n1,a,70,no\n1,b,75,no\n2,a,60,no\n2,b,80,no\n3,a,,yes\n")
    report = import_interview(round_, "i.csv", data)
    s = _scores()
    assert s[1].interview == Decimal("72.50") and not s[1].interview_pending
    assert s[2].interview is None and s[2].interview_pending and report.messages  # C4
    assert s[3].interview_absent
    import_interview(round_, "head.csv", b"candidate_number,interviewer,score,absent\n2,head,68,no\n")
    assert _scores()[2].interview == Decimal("68.00") and not _scores()[2].interview_pending


def test_one_interviewer_only_refuses_the_file(round_, interviewers):
    with force_locale("en"), pytest.raises(ImportRejected, match="at least 2"):
        import_interview(round_, "i.csv", b"candidate_number,interviewer,score,absent\n1,a,70,no\n")
    assert _scores() == {}


def _rejected(round_, data: bytes) -> list[tuple[int, str, str]]:
    with force_locale("en"), pytest.raises(ImportRejected) as rejected:
        import_interview(round_, "i.csv", data)
    assert _scores() == {}
    return [(e.row, e.column, str(e.message)) for e in rejected.value.errors]


def test_a_head_row_alone_gives_no_score_no_interviewer_gave(round_, interviewers):
    """C4: the head decides between the interviewers' scores; a file with the head's row only, for a
    candidate no interviewer had scored, gave the head's number as the interview score."""
    (row, column, message), = _rejected(round_, b"candidate_number,interviewer,score,absent\n1,head,97,no\n")
    assert (row, column) == (2, "interviewer") and "C4" in message


def test_an_interviewer_is_a_user_with_that_role_and_counts_once(round_, interviewers, make_user):
    """formats.md: a user name. Any name was taken, and the same name in two cases made two interviewers."""
    make_user("nhansu", "hr")
    errors = _rejected(round_, b"candidate_number,interviewer,score,absent\n"
                               b"1,nobody,90,no\n1,b,92,no\n2,a,60,no\n2,A,62,no\n3,nhansu,70,no\n3,b,72,no\n")
    assert [(row, column) for row, column, _m in errors] == [(2, "interviewer"), (5, "interviewer"), (6, "interviewer")]
    assert "nobody" in errors[0][2] and "twice" in errors[1][2] and "nhansu" in errors[2][2]


def test_every_bad_row_is_named_at_once(round_, interviewers):
    """An unknown candidate stopped the file before the other rows' checks: fixed, sent again, the
    file was refused again for the rows it had not named."""
    errors = _rejected(round_, b"candidate_number,interviewer,score,absent\n"
                               b"9999,a,50,no\n1,a,60,no\n1,a,61,no\n2,b,70,no\n")
    assert [row for row, _c, _m in errors] == [2, 4, 5]


def test_the_head_decides_only_between_scores_that_differ_too_much(round_, interviewers):
    """C4: the head's score stands where the interviewers differ by more than 10 points; a head's row
    beside two agreeing interviewers overruled them (80 and 82, the head's 10 recorded)."""
    (row, column, message), = _rejected(round_, b"candidate_number,interviewer,score,absent\n"
                                                b"1,a,80,no\n1,b,82,no\n1,head,10,no\n")
    assert (row, column) == (4, "interviewer") and "C4" in message


def test_a_file_never_replaces_an_interview_scored_on_the_platform(round_, interviewers):
    """The platform's interview (its boards, the head's decision there) stands, as the computer's
    round 1 does against a round-1 file: a head's row from a file replaced it, with no reason kept."""
    from recruitment.scores import round2_score

    application = db.session.scalar(db.select(Application).filter_by(candidate_number=2))
    score = round2_score(application.id)
    score.interview, score.interview_pending, score.interview_source = None, True, "interviews"
    db.session.commit()
    with force_locale("en"), pytest.raises(ImportRejected) as rejected:
        import_interview(round_, "head.csv", b"candidate_number,interviewer,score,absent\n2,head,99,no\n")
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "candidate_number")]
    assert db.session.get(Round2Score, score.id).interview is None


def test_an_absent_row_with_a_score_is_named_not_taken_as_absent(round_, interviewers):
    """A row that says absent and gives 70 contradicts itself: the candidate was recorded absent
    (failed round 2) and the score dropped without a word."""
    errors = _rejected(round_, b"candidate_number,interviewer,score,absent\n1,a,70,yes\n1,b,75,no\n")
    assert [(row, column) for row, column, _m in errors] == [(2, "score")]
    assert "absent" in errors[0][2]


def test_an_absent_row_beside_scores_for_the_same_candidate_is_named(round_, interviewers):
    """Two interviewers scored candidate 1 (70, 75) and a third row says absent: both scores were
    dropped and the candidate recorded absent. The absent row is named with the rows that score them."""
    errors = _rejected(round_, b"candidate_number,interviewer,score,absent\n1,a,70,no\n1,b,75,no\n1,a,,yes\n"
                               b"2,a,60,no\n2,b,62,no\n")
    assert [(row, column) for row, column, _m in errors] == [(4, "absent")]
    assert "2, 3" in errors[0][2]
    import_interview(round_, "i.csv", b"candidate_number,interviewer,score,absent\n1,a,,yes\n1,b,,yes\n")
    assert _scores()[1].interview_absent  # absent on every row: absent
