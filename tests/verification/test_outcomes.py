"""`verification import`: a cancelling outcome cancels the selection (F3), fraud flags the person
(even on a selection already cancelled for another reason), a 'verified' row for a cancelled selection
is named, and results publishes the next version with the next candidate promoted (F4, E5)."""
from __future__ import annotations

import json

import pytest
from flask_babel import force_locale

from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application, PersonFlag, Round
from recruitment.tabular import ImportRejected
from results import service
from tests.support.demo_cache import demo_loaded
from verification.importing import import_outcomes


def test_fraud_cancels_flags_and_promotes_in_a_new_version(app):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    rows = service.rows_of(service.latest(round_))
    selected = next(r for r in rows if r["status"] == "selected" and r["position_code"] == "CV-TC-01")
    next_in_line = next(r for r in rows if r["position_code"] == "CV-TC-01" and r["status"] == "not_selected")
    data = f"candidate_number,outcome,reason\n{selected['candidate_number']},fraud,Bằng tốt nghiệp giả\n".encode()
    import_outcomes(round_, "v.csv", data)
    application = db.session.get(Application, selected["application_id"])
    assert application.cancelled and application.cancel_reason == "Bằng tốt nghiệp giả"
    assert db.session.scalar(db.select(PersonFlag)).national_id == application.national_id  # F3: next round flagged
    latest = service.latest(round_)
    assert latest.number == 2
    statuses = {r["application_id"]: r["status"] for r in service.rows_of(latest)}
    assert statuses[selected["application_id"]] == "cancelled"
    assert statuses[next_in_line["application_id"]] == "selected"  # F4
    assert db.session.get(Application, next_in_line["application_id"]).selected_at is not None  # F1 counts from v2


def test_outcomes_for_unselected_candidates_or_without_reason_are_refused(app):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    rows = service.rows_of(service.latest(round_))
    failed = next(r for r in rows if r["status"] == "failed_round1")
    selected = next(r for r in rows if r["status"] == "selected")
    data = (f"candidate_number,outcome,reason\n{failed['candidate_number']},verified,\n"
            f"{selected['candidate_number']},rejected,\n").encode()
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_outcomes(round_, "v.csv", data)
    assert {(e.row, e.column) for e in excinfo.value.errors} == {(2, "candidate_number"), (3, "reason")}
    assert service.latest(round_).number == 1


def test_contradictory_rows_for_one_candidate_refuse_the_file_naming_both(app):
    """One candidate "fraud" then "verified" in the same file: which one is true? The file is refused."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    selected = next(r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected")
    application = db.session.get(Application, selected["application_id"])
    data = ("candidate_number,national_id,outcome,reason\n"
            f"{selected['candidate_number']},,fraud,Bằng giả\n"
            f",{application.national_id},verified,\n").encode()
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_outcomes(round_, "v.csv", data)
    (error,) = excinfo.value.errors
    assert (error.row, error.column) == (3, "outcome")
    assert "row 2" in error.message and "fraud" in error.message and "verified" in error.message
    db.session.refresh(application)
    assert not application.cancelled and service.latest(round_).number == 1


def test_the_same_outcome_twice_is_not_a_contradiction(app):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    selected = next(r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected")
    data = (f"candidate_number,outcome,reason\n{selected['candidate_number']},verified,\n"
            f"{selected['candidate_number']},verified,\n").encode()
    assert import_outcomes(round_, "v.csv", data).rows == 2


def test_a_reason_over_the_limit_is_a_row_error(app):
    """The file took a reason of up to 32,767 characters (a cell's own limit): one of about 3,700
    broke the PDF of the results version the cancellation published (a 500). Over the reasons' limit
    it is its row's error, named by the file's own header, and nothing is cancelled."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    selected = [r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected"][:2]
    data = ("so_bao_danh,ket_qua,ly_do\n"
            f"{selected[0]['candidate_number']},fraud,{'Bằng tốt nghiệp giả theo biên bản số 12. ' * 100}\n"
            f"{selected[1]['candidate_number']},rejected,\n").encode()
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_outcomes(round_, "v.csv", data)
    assert [(e.row, e.column) for e in excinfo.value.errors] == [(2, "ly_do"), (3, "ly_do")]  # the second found after reading, named as the file did
    assert "at most 1000 characters" in excinfo.value.errors[0].message
    assert not db.session.get(Application, selected[0]["application_id"]).cancelled


def _cancelled_for_no_show(app):
    """A selected candidate of the demo's round, cancelled for not reporting for work (F3)."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
    selected = next(r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected")
    import_outcomes(round_, "v1.csv", f"candidate_number,outcome,reason\n{selected['candidate_number']},no_show,"
                                      "Không đến nhận việc\n".encode())
    application = db.session.get(Application, selected["application_id"])
    assert application.cancelled
    return round_, application


def test_fraud_found_after_another_cancellation_still_flags_the_person(app):
    """F3: fraud bars the person from the next round. A selection already cancelled (no show) and later
    found fraudulent: the fraud row was accepted and dropped, and the person was never flagged."""
    round_, application = _cancelled_for_no_show(app)
    versions = service.latest(round_).number
    data = f"candidate_number,outcome,reason\n{application.candidate_number},fraud,Bằng tốt nghiệp giả\n".encode()
    import_outcomes(round_, "v2.csv", data)
    flag = db.session.scalar(db.select(PersonFlag).filter_by(national_id=application.national_id))
    assert flag is not None and flag.reason == "Bằng tốt nghiệp giả" and flag.round_id == round_.id
    assert application.cancel_reason == "Không đến nhận việc"  # the cancellation stands as it was
    assert service.latest(round_).number == versions  # no new cancellation: no new version
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="person_flagged"))
    assert entry.object_id == str(application.id) and entry.reason == "Bằng tốt nghiệp giả"
    assert json.loads(entry.before) == {"flagged": False} and json.loads(entry.after)["flagged"] is True
    import_outcomes(round_, "v2.csv", data)  # the same file again: flagged once
    assert db.session.scalar(db.select(db.func.count()).select_from(PersonFlag)
                             .filter_by(national_id=application.national_id)) == 1


def test_a_verified_row_for_a_cancelled_selection_is_named(app):
    """A file that says 'verified' for a selection already cancelled contradicts the record: it was
    accepted and logged as dossier_verified, and nobody was told."""
    round_, application = _cancelled_for_no_show(app)
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_outcomes(round_, "v2.csv", f"candidate_number,outcome,reason\n{application.candidate_number},verified,\n"
                        .encode())
    (error,) = excinfo.value.errors
    assert (error.row, error.column) == (2, "outcome") and "cancelled" in error.message and "F3" in error.message
    assert not db.session.scalar(db.select(AuditEntry).filter_by(action="dossier_verified",
                                                                 object_id=str(application.id)))
