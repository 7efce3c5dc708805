"""HR's pages: rounds, positions and applications through the forms, search without diacritics,
pagination, templates to download, imports with their error page."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application, Position, Round
from tests.support.client import through_confirmation
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


def _with_positions(tmp_path) -> Round:
    round_ = make_round()
    path = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(round_, path.name, path.read_bytes())
    return round_


def test_hr_creates_a_round_a_position_and_an_application(app, client, make_user, login):
    login(make_user("hr", "hr"))
    response = client.post("/hr/rounds/new", data={"code": "HP27", "name": "Thi tuyển 2027", "rules_code": "vn-2025",
                                                    "application_deadline": f"{date.today() + timedelta(days=30):%d/%m/%Y}",
                                                    "promote_after_cancellation": "y"})
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP27"))
    assert response.status_code == 302 and round_.promote_after_cancellation
    client.post(f"/hr/rounds/{round_.id}/positions/new", data={
        "code": "TC-01", "name": "Chuyên viên", "agency": "Sở Tài chính", "grade": "chuyen_vien", "quota": "2",
        "round2_form": "written", "degree_level": "dai_hoc", "majors": "Tài chính"})
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    client.post(f"/hr/rounds/{round_.id}/applications/new", data={
        "national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995", "gender": "nam",
        "position_id": str(position.id), "degree_level": "dai_hoc", "major": "Tài chính",
        "priority_codes": ["military_service"]})
    application = db.session.scalar(db.select(Application))
    assert application.status == "submitted" and application.priority_list == ["military_service"]
    through_confirmation(client, f"/hr/applications/{application.id}/admit")
    assert application.status == "admitted" and application.candidate_number == 1


def test_a_second_application_by_the_same_person_is_refused_with_a_message(app, client, make_user, login, tmp_path):
    round_ = _with_positions(tmp_path)
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình")]).read_bytes())
    login(make_user("hr", "hr"))
    vt = db.session.scalar(db.select(Position).filter_by(code="VT-02"))
    page = client.post(f"/hr/rounds/{round_.id}/applications/new", data={
        "national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995", "gender": "nam",
        "position_id": str(vt.id), "degree_level": "cao_dang"}).get_data(as_text=True)
    assert "031000000001" in page and "TC-01" in page  # A1
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1


def test_reject_needs_a_reason_and_keeps_it(app, client, make_user, login, tmp_path):
    round_ = _with_positions(tmp_path)
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình")]).read_bytes())
    application = db.session.scalar(db.select(Application))
    login(make_user("hr", "hr"))
    client.post(f"/hr/applications/{application.id}/reject", data={"reason": ""})
    assert application.status == "admitted"
    client.post(f"/hr/applications/{application.id}/reject", data={"reason": "Hồ sơ khai man bằng cấp"})
    assert (application.status, application.reject_reason) == ("rejected", "Hồ sơ khai man bằng cấp")  # A4


def test_search_finds_names_typed_without_diacritics_and_pages(app, client, make_user, login, tmp_path):
    round_ = _with_positions(tmp_path)
    rows = [application_row(f"0310000{i:05d}", f"Nguyễn Văn Người{i}") for i in range(30)]
    rows.append(application_row("031000099999", "Đặng Thị Hương"))
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    login(make_user("hr", "hr"))
    page = client.get(f"/hr/rounds/{round_.id}/applications?q=dang thi huong").get_data(as_text=True)
    assert "Đặng Thị Hương" in page and "Người1" not in page
    first = client.get(f"/hr/rounds/{round_.id}/applications").get_data(as_text=True)
    second = client.get(f"/hr/rounds/{round_.id}/applications?page=2").get_data(as_text=True)
    assert "page=2" in first and "Trang 2/2" in second


@pytest.mark.parametrize("page", [str(10**20), "9223372036854775807", "-5", "²", "x"])
def test_a_page_number_beyond_the_database_is_a_page_not_a_500(app, client, make_user, login, tmp_path, page):
    """?page=10**20 reached the database as an offset SQLite cannot bind (OverflowError, a 500): the
    applications, the question bank and the audit log read the page within bounds (recruitment/paging.py)."""
    round_ = _with_positions(tmp_path)
    login(make_user("hr", "hr", "admin", "question_setter"))
    for url in (f"/hr/rounds/{round_.id}/applications", "/questions/", "/audit/"):
        assert client.get(f"{url}?page={page}").status_code == 200, url


def test_templates_download_with_headers_and_an_example(app, client, make_user, login):
    login(make_user("hr", "hr"))
    response = client.get("/hr/templates/applications.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == APPLICATION_HEADERS and sheet.max_row == 2
    assert client.get("/hr/templates/positions.csv").data.decode("utf-8-sig").startswith("code,name")


def test_an_upload_with_errors_shows_them_by_row_and_imports_nothing(app, client, make_user, login, tmp_path):
    round_ = _with_positions(tmp_path)
    login(make_user("hr", "hr"))
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình"), application_row("031000000002", "Lê Thị Mai", born="1995-13-01")
    ]).read_bytes()
    response = client.post(f"/hr/rounds/{round_.id}/import/applications",
                           data={"file": (io.BytesIO(data), "a.xlsx")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "date_of_birth" in page and "<td class=\"num\">3</td>" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    response = client.post(f"/hr/rounds/{round_.id}/import/applications",
                           data={"file": (io.BytesIO(b"MZ\x90\x00"), "a.exe")}, content_type="multipart/form-data")
    assert response.status_code == 302  # refused by the form: .xlsx or .csv only


def test_admit_every_eligible_submitted_application_at_once(app, client, make_user, login, tmp_path):
    round_ = _with_positions(tmp_path)
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    for nid, name, major in [("031000000001", "Trần Văn Bình", "Tài chính"), ("031000000002", "Lê Thị An", "Kế toán"),
                             ("031000000003", "Hồ Văn Cường", "Xã hội học")]:
        db.session.add(Application(round_id=round_.id, position_id=position.id, national_id=nid, full_name=name,
                                   name_key=name, date_of_birth=date(1995, 1, 1), gender="nam",
                                   degree_level="dai_hoc", major=major))
    db.session.commit()
    login(make_user("hr", "hr"))
    first = client.post(f"/hr/rounds/{round_.id}/admit-eligible")  # A3: numbers are not taken back
    assert 'id="confirmation"' in first.get_data(as_text=True)
    assert all(a.status == "submitted" for a in db.session.scalars(db.select(Application)))
    through_confirmation(client, f"/hr/rounds/{round_.id}/admit-eligible")
    numbered = {a.full_name: (a.status, a.candidate_number) for a in db.session.scalars(db.select(Application))}
    assert numbered == {"Lê Thị An": ("admitted", 1), "Trần Văn Bình": ("admitted", 2), "Hồ Văn Cường": ("submitted", None)}


def test_an_application_and_a_user_with_an_email_address_are_saved(app, client, make_user, login, tmp_path):
    """Both forms check the address with WTForms' Email(), which needs the email-validator package: without it
    every save that carried an address (every imported application's edit page) answered 500."""
    from recruitment.models import User

    round_ = _with_positions(tmp_path)
    position = db.session.scalar(db.select(Position).filter_by(round_id=round_.id))
    login(make_user("hr", "hr"))
    data = {"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
            "gender": "nam", "position_id": str(position.id), "degree_level": "dai_hoc", "major": "Tài chính",
            "email": "binh.tran@example.vn"}
    assert client.post(f"/hr/rounds/{round_.id}/applications/new", data=data).status_code == 302
    application = db.session.scalar(db.select(Application))
    assert application.email == "binh.tran@example.vn"
    page = client.post(f"/hr/rounds/{round_.id}/applications/new", data={**data, "national_id": "031000000002",
                                                                          "email": "not an address"})
    assert page.status_code == 200 and db.session.scalar(db.select(db.func.count(Application.id))) == 1
    login(make_user("admin", "admin"))
    response = client.post("/admin/users/new", data={"username": "to.chuc", "full_name": "Tổ chức", "roles": ["hr"],
                                                     "email": "to.chuc@example.vn", "password": "mat-khau-dai-2026",
                                                     "active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(User).filter_by(username="to.chuc")).email == "to.chuc@example.vn"


def test_after_publication_positions_and_what_ranked_a_candidate_stay_as_published(app, client, make_user, login,
                                                                                   tmp_path):
    """E5, D5: HR changed CV-TC-01's grade (68 rows of the list changed) and added a hero's +7.5 to a
    candidate after version 1 was published. Only contact details stay editable."""
    from datetime import datetime

    round_ = _with_positions(tmp_path)
    position = db.session.scalar(db.select(Position).filter_by(round_id=round_.id))
    login(make_user("hr", "hr"))
    data = {"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
            "gender": "nam", "position_id": str(position.id), "degree_level": "dai_hoc", "major": "Tài chính"}
    client.post(f"/hr/rounds/{round_.id}/applications/new", data=data)
    application = db.session.scalar(db.select(Application))
    round_.results_published_at = datetime(2026, 12, 4, 8, 0)
    db.session.commit()
    grade_before = position.grade
    response = client.post(f"/hr/positions/{position.id}/edit", data={
        "code": position.code, "name": position.name, "agency": position.agency, "grade": "chuyen_vien_chinh",
        "quota": "3", "round2_form": position.round2_form, "degree_level": position.degree_level,
        "majors": position.majors}, follow_redirects=True)
    assert "E5" in response.get_data(as_text=True)
    db.session.refresh(position)
    assert position.grade == grade_before
    page = client.post(f"/hr/applications/{application.id}/edit", data={**data, "priority_codes": ["hero"]})
    assert page.status_code == 200 and "E5, D5" in page.get_data(as_text=True)
    db.session.refresh(application)
    assert application.priority_list == []
    saved = client.post(f"/hr/applications/{application.id}/edit", data={**data, "phone": "0912345678"})
    assert saved.status_code == 302
    db.session.refresh(application)
    assert application.phone == "0912345678"
