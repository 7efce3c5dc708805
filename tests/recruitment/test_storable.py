"""A NUL (U+0000) in a form field, a query value, a URL part or an uploaded file's name is refused
before any view reads it (recruitment/storable.py): PostgreSQL stores none and psycopg refuses one in
any statement, so a reason, a note or a search holding one answered 500 there (DataError). The page
names the field and nothing is done."""
from __future__ import annotations

import io

from recruitment import importing
from recruitment.extensions import db
from recruitment.import_jobs import ImportJob
from recruitment.models import Application
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


def _application(tmp_path) -> Application:
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình")]).read_bytes())
    return db.session.scalar(db.select(Application))


def test_a_nul_in_a_form_field_is_refused_naming_it_and_nothing_is_done(app, client, make_user, login, tmp_path):
    application = _application(tmp_path)
    login(make_user("hr", "hr"))
    response = client.post(f"/hr/applications/{application.id}/reject", data={"reason": "khai man\x00 bằng cấp"},
                           headers={"Accept-Language": "en"})
    db.session.refresh(application)
    assert response.status_code == 400 and "reason" in response.get_data(as_text=True)
    assert application.status == "admitted" and application.reject_reason is None
    client.post(f"/hr/applications/{application.id}/reject", data={"reason": "khai man bằng cấp"})
    assert db.session.get(Application, application.id).status == "rejected"


def test_a_nul_in_a_search_or_a_url_part_is_refused(app, client, make_user, login, tmp_path):
    application = _application(tmp_path)
    login(make_user("admin", "hr", "admin", "marker"))
    assert client.get(f"/hr/rounds/{application.round_id}/applications?q=Tr%00n").status_code == 400
    assert client.get("/audit/?action=%00").status_code == 400
    assert client.post(f"/marking/rounds/{application.round_id}/scripts/A%00/mark",
                       data={"which": "first", "score": "70"}).status_code == 400
    assert client.get(f"/hr/rounds/{application.round_id}/applications?q=Tran").status_code == 200


def test_a_nul_in_an_uploaded_files_name_is_refused(app, client, make_user, login):
    """A file big enough to be imported as a job (import_jobs.start) kept its name, NUL and all."""
    round_ = make_round()
    login(make_user("hr", "hr"))
    big = io.BytesIO(b"PK" + bytes(app.config["IMPORT_BACKGROUND_BYTES"]))
    response = client.post(f"/hr/rounds/{round_.id}/import/positions", data={"file": (big, "vi-tri\x00.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert not db.session.scalar(db.select(db.func.count()).select_from(ImportJob))


def test_a_json_save_is_left_to_the_view_that_reads_it(app, client):
    """The boundary parses only a form's body: an exam save (JSON) is checked by answer_check."""
    response = client.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 1, "text": "a\x00b"})
    assert response.status_code != 500 and response.is_json
