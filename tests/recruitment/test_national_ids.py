"""National IDs (formats.md: 12 digits): one spelling per person, and F3's bar after fraud.

One person was admitted three times in one round under three spellings of one ID (ASCII,
fullwidth, Arabic-Indic digits); `str.isdigit()` accepted all three."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from recruitment import applications, importing, national_ids
from recruitment.extensions import db
from recruitment.models import Application, PersonFlag
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx

ASCII = "031095001234"
FULLWIDTH = "".join(chr(0xFF10 + int(d)) for d in ASCII)
ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in ASCII)


@pytest.fixture
def round_(app, tmp_path):
    r = make_round()
    importing.import_positions(r, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    return r


def _import(round_, tmp_path, rows):
    path = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows)
    return importing.import_applications(round_, path.name, path.read_bytes())


def test_normalise_keeps_ascii_digits_only():
    assert national_ids.normalise(f" {FULLWIDTH} ") == ASCII  # NFKC folds fullwidth digits
    for bad in (ARABIC_INDIC, "03109500123", "0310950012345", "03109500123x", "0310 9500 1234"):
        with pytest.raises(national_ids.NotANationalId):
            national_ids.normalise(bad)


def test_other_digit_scripts_are_refused_at_import(round_, tmp_path):
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        _import(round_, tmp_path, [application_row(ARABIC_INDIC, "Nguyễn Văn An")])
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "national_id")]
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_one_person_under_two_spellings_in_one_file_is_a_duplicate(round_, tmp_path):
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        _import(round_, tmp_path, [application_row(ASCII, "Nguyễn Văn An"), application_row(FULLWIDTH, "Nguyễn Văn An")])
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, "national_id") and "row 2" in error.message


def test_a_fullwidth_spelling_is_stored_in_ascii_and_meets_the_earlier_application(round_, tmp_path):
    _import(round_, tmp_path, [application_row(FULLWIDTH, "Nguyễn Văn An")])
    assert db.session.scalar(db.select(Application.national_id)) == ASCII
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        _import(round_, tmp_path, [application_row(ASCII, "Nguyễn Văn An", position="VT-02", degree="cao_dang")])
    assert "already applied" in refused.value.errors[0].message
    with pytest.raises(applications.ApplicationRefused):
        applications.check_duplicate(round_, FULLWIDTH, round_.positions[0].id)


def test_f3_a_person_flagged_for_fraud_is_refused_with_the_flags_reason(app, round_, tmp_path):
    earlier = make_round("R0")
    db.session.add(PersonFlag(national_id=ASCII, reason="Bằng tốt nghiệp giả", round_id=earlier.id))
    db.session.commit()
    report = _import(round_, tmp_path, [application_row(FULLWIDTH, "Nguyễn Văn An"),
                                        application_row("031095009999", "Trần Thị Bình")])
    assert report.admitted == 1
    barred = db.session.scalar(db.select(Application).filter_by(national_id=ASCII))
    assert barred.status == "rejected" and barred.candidate_number is None
    assert "F3" in barred.reject_reason and "Bằng tốt nghiệp giả" in barred.reject_reason
    assert applications.reasons_to_reject(barred)  # HR cannot admit it by hand either


def test_the_web_form_refuses_other_digits_and_finds_the_duplicate(round_, client, make_user, login, tmp_path):
    _import(round_, tmp_path, [application_row(ASCII, "Nguyễn Văn An")])
    login(make_user("hr1", "hr"))
    form = {"full_name": "Nguyễn Văn An", "date_of_birth": "01/02/1995", "gender": "nam",
            "position_id": round_.positions[1].id, "degree_level": "dai_hoc"}
    for spelling in (ARABIC_INDIC, FULLWIDTH):
        page = client.post(f"/hr/rounds/{round_.id}/applications/new", data={**form, "national_id": spelling})
        assert page.status_code == 200  # the form again, with its error
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
