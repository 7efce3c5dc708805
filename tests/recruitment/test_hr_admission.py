"""Admission, eligibility and numbering through HR's pages (recruitment/views/hr.py, applications.py)."""
from __future__ import annotations

import pytest

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application, Position
from tests.support.client import through_confirmation
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


@pytest.fixture
def admitted(app, tmp_path):
    r = make_round()  # deadline 01/10/2026
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    a = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [application_row("031000000001", "Trần Văn Bình")])
    importing.import_applications(r, a.name, a.read_bytes())
    application = db.session.scalar(db.select(Application))
    assert (application.status, application.candidate_number) == ("admitted", 1)
    return application


def _edit(client, a, **fields):
    data = {"national_id": a.national_id, "full_name": a.full_name, "date_of_birth": "01/02/1995", "gender": "nam",
            "position_id": str(a.position_id), "degree_level": "dai_hoc", "major": "Tài chính"}
    data.update(fields)
    return client.post(f"/hr/applications/{a.id}/edit", data=data)


@pytest.mark.parametrize("change", [{"date_of_birth": "01/02/2015"}, {"degree_level": "trung_cap"},
                                    {"major": "Âm nhạc"}], ids=["age-11", "degree-below", "major-not-accepted"])
def test_an_edit_that_breaks_a2_does_not_leave_the_application_admitted(admitted, client, make_user, login, change):
    """applications.save never asks A2 again: an admitted candidate edited to 11 years old (or below the
    position's degree, or outside its majors) stays admitted with a number, sits round 1 and is ranked.
    Admission itself asks (admit_numbered); the edit of an admitted application must too."""
    login(make_user("hr", "hr"))
    _edit(client, admitted, **change)
    db.session.refresh(admitted)
    from recruitment import applications
    still_admitted_but_ineligible = admitted.status == "admitted" and applications.reasons_to_reject(admitted)
    assert not still_admitted_but_ineligible, (admitted.status, applications.reasons_to_reject(admitted))


def _typed_in(client, tmp_path, degree: str) -> Application:
    """An application HR typed in (submitted, not numbered), for TC-01 (dai_hoc asked), by a logged-in HR."""
    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    client.post(f"/hr/rounds/{r.id}/applications/new", data={
        "national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995", "gender": "nam",
        "position_id": str(position.id), "degree_level": degree, "major": "Tài chính"})
    return db.session.scalar(db.select(Application))


def test_admitting_one_application_asks_first_naming_the_number_it_takes(app, client, make_user, login, tmp_path):
    """A3: a number is never taken back. Admitting every eligible application asks first and names
    that consequence; admitting one takes a number just as irreversibly on a single click."""
    login(make_user("hr", "hr"))
    a = _typed_in(client, tmp_path, "dai_hoc")
    first = client.post(f"/hr/applications/{a.id}/admit")
    page = first.get_data(as_text=True)
    db.session.refresh(a)
    assert a.candidate_number is None and 'id="confirmation"' in page
    assert "0001" in page and "Trần Văn Bình" in page  # the number it takes, and whose
    through_confirmation(client, f"/hr/applications/{a.id}/admit")
    db.session.refresh(a)
    assert (a.status, a.candidate_number) == ("admitted", 1)


def test_a_rejection_reason_reaches_a_vietnamese_reader_in_vietnamese(app, client, make_user, login, tmp_path):
    """A4 / formats.md (reason 'in the round's language'): the A2 reason is written into reject_reason in
    the language of whoever imported the file. An HR officer reading English imports; the candidate's
    reason is then English for every Vietnamese reader, for ever."""
    import io
    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    english = make_user("hr_en", "hr", locale="en")
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS,
                      [application_row("031000000001", "Trần Văn Bình", born="02/10/2008")]).read_bytes()
    login(english)
    client.post(f"/hr/rounds/{r.id}/import/applications", data={"file": (io.BytesIO(data), "a.xlsx")},
                content_type="multipart/form-data")
    a = db.session.scalar(db.select(Application))
    assert a.status == "rejected"
    login(make_user("hr_vi", "hr", locale="vi"))
    page = client.get(f"/hr/applications/{a.id}").get_data(as_text=True)
    assert "chưa đủ 18 tuổi" in page, a.reject_reason


@pytest.mark.parametrize("grade, degree, majors", [("chuyen_vien", "tien_si", ""),
                                                   ("chuyen_vien_chinh", "dai_hoc", "Tài chính")],
                         ids=["a-degree-above-theirs", "another-grade"])
def test_an_admitted_candidate_is_not_moved_to_a_position_that_would_change_their_admission(
        admitted, client, make_user, login, grade, degree, majors):
    """The same holes through the position field: a position asking a higher degree (A2), or one of
    another grade (B0: the grade decides who sits round 1; fixed on the position once admitted)."""
    other = Position(round_id=admitted.round_id, code="XX-03", name="Chuyên viên chính", agency="Sở", grade=grade,
                     quota=1, round2_form="written", degree_level=degree, majors=majors)
    db.session.add(other)
    db.session.commit()
    login(make_user("hr", "hr"))
    _edit(client, admitted, position_id=str(other.id))
    db.session.refresh(admitted)
    assert admitted.position_id != other.id


def test_the_a2_refusal_names_the_field_it_is_about(admitted):
    from recruitment import applications

    fields = {"national_id": admitted.national_id, "full_name": admitted.full_name,
              "date_of_birth": admitted.date_of_birth, "gender": "nam", "position_id": admitted.position_id,
              "degree_level": "trung_cap", "major": "Tài chính", "email": "", "phone": "", "priority_codes": [],
              "exempt_language": False}
    with pytest.raises(applications.ApplicationRefused) as refused:
        applications.save(admitted.round, admitted, fields)
    assert refused.value.field == "degree_level"


def test_admitting_one_not_eligible_says_why_before_any_confirmation(app, client, make_user, login, tmp_path):
    """No page promises a number the admission then refuses: the refusal comes first (A2)."""
    login(make_user("hr", "hr"))
    a = _typed_in(client, tmp_path, "trung_cap")
    page = client.post(f"/hr/applications/{a.id}/admit", follow_redirects=True).get_data(as_text=True)
    assert 'id="confirmation"' not in page and "Không đủ điều kiện" in page
    db.session.refresh(a)
    assert a.candidate_number is None
