"""C4, G5, C1, B2: an interview file is checked against the candidates it scores as the boards are: an
interviewer related to the candidate, a position without an interview, a candidate who did not pass
round 1 are each the row's error, and nothing of the file is kept."""
from decimal import Decimal

import pytest

from interviews.importing import import_interview
from interviews.models import Relation
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round2Score, round1_result
from recruitment.tabular import ImportRejected
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row

HEAD = "candidate_number,interviewer,score,absent\n"


@pytest.fixture
def round_(app, tmp_path, make_user):
    round_ = make_round()
    import_candidates(round_, tmp_path, [
        application_row("031000000001", "Trần An"),                                      # TC-01: written_interview
        application_row("031000000002", "Lê Bình", position="VT-02", degree="cao_dang"),  # VT-02: written only
        application_row("031000000003", "Võ Cường")])                                    # TC-01, fails round 1
    for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        result = round1_result(a.id)
        result.correct, result.total = (Decimal(10) if a.full_name == "Võ Cường" else Decimal(40)), 60
    make_user("a", "interviewer")
    make_user("b", "interviewer")
    db.session.commit()
    return round_


def _number(name):
    return db.session.scalar(db.select(Application).filter_by(full_name=name)).candidate_number


def _refused(round_, rows: str):
    with pytest.raises(ImportRejected):
        import_interview(round_, "i.csv", (HEAD + rows).encode())
    assert db.session.scalar(db.select(db.func.count()).select_from(Round2Score)) == 0


def test_an_interviewer_related_to_the_candidate_is_refused(round_):
    """G5 / C4: interviewer a's relation to Trần An is on record (declared on the platform)."""
    from recruitment.models import User

    a = db.session.scalar(db.select(Application).filter_by(full_name="Trần An"))
    db.session.add(Relation(user_id=db.session.scalar(db.select(User.id).filter_by(username="a")),
                            application_id=a.id, note="anh ruột"))
    db.session.commit()
    n = a.candidate_number
    _refused(round_, f"{n},a,95,no\n{n},b,94,no\n")


def test_a_position_without_an_interview_takes_no_interview_score(round_):
    """C1: VT-02's round 2 is a written test only."""
    n = _number("Lê Bình")
    _refused(round_, f"{n},a,90,no\n{n},b,90,no\n")


def test_a_candidate_who_failed_round_1_takes_no_interview_score(round_):
    """B2/E1: 10 of 60 in round 1; the written file refuses such a row (marking.refusal)."""
    n = _number("Võ Cường")
    _refused(round_, f"{n},a,90,no\n{n},b,90,no\n")
