"""F1, F3: the outcome file cancels a selection as "incomplete" only once the dossier's deadline has
passed; before it the candidate still has time, and the row is refused naming the day."""
from datetime import timedelta

import pytest

from recruitment.extensions import db
from recruitment.i18n import local_today
from recruitment.models import Application, Round
from recruitment.tabular import ImportRejected
from tests.support.demo_cache import demo_loaded
from verification import dossiers
from verification.importing import import_outcomes
from verification.models import Dossier


def _open_dossier():
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    dossiers.open_dossiers(round_)
    db.session.commit()
    dossier = db.session.scalar(db.select(Dossier).join(Application).where(
        Application.round_id == round_.id, Dossier.status == "open", Dossier.deadline > local_today(),
        Application.cancelled.is_(False)).order_by(Dossier.id))
    return round_, dossier


def _file(application) -> bytes:
    return f"candidate_number,outcome,reason\n{application.candidate_number},incomplete,thiếu bằng\n".encode()


def test_incomplete_before_the_deadline_is_refused(app):
    demo_loaded(app)
    round_, dossier = _open_dossier()
    with pytest.raises(ImportRejected) as refused:
        import_outcomes(round_, "v.csv", _file(dossier.application))
    [error] = refused.value.errors
    assert error.row == 2 and dossier.deadline.strftime("%d/%m/%Y") in error.message
    db.session.refresh(dossier.application)
    assert not dossier.application.cancelled


def test_incomplete_after_the_deadline_cancels(app):
    demo_loaded(app)
    round_, dossier = _open_dossier()
    dossier.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    import_outcomes(round_, "v.csv", _file(dossier.application))
    db.session.refresh(dossier.application)
    assert dossier.application.cancelled
