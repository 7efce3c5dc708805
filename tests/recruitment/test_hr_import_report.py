"""What HR is told after an applications import (recruitment/views/hr.py import_file) and what the
audit log shows of it (recruitment/views/audit_log.py)."""
from __future__ import annotations

import io

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Position
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx

BROWSER_COOKIE_LIMIT = 4093  # what werkzeug warns about and browsers drop


def test_a_file_with_many_rejected_rows_still_reports_them(app, client, make_user, login, tmp_path):
    """import_file flashes one message per rejected row into the signed-cookie session. A 32 KB file
    (far under IMPORT_BACKGROUND_BYTES, so imported inline) with 800 under-age rows makes a 10 KB cookie:
    the browser drops it, and HR sees neither 'N rows imported' nor which rows were rejected (A4,
    formats.md: 'imported as rejected with their reason, and reported')."""
    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    login(make_user("hr", "hr"))
    rows = [application_row(f"0310000{i:05d}", f"Nguyễn Văn Người{i}", born="02/10/2010") for i in range(800)]
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes()
    assert len(data) < app.config["IMPORT_BACKGROUND_BYTES"]
    response = client.post(f"/hr/rounds/{r.id}/import/applications", data={"file": (io.BytesIO(data), "a.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    sizes = [len(c) for c in response.headers.getlist("Set-Cookie")]
    assert all(size <= BROWSER_COOKIE_LIMIT for size in sizes), sizes


def test_the_audit_log_names_an_applications_status_as_an_application_status(app, client, make_user, login,
                                                                            tmp_path):
    """audit_log._value labels a code with the first catalogue that knows it, whatever the object: an
    application's 'submitted' (đã nộp hồ sơ) is shown as an exam attempt's 'handed in' (đã nộp bài), so
    the supervision board (G6) reads that a candidate handed in a paper when HR admitted an application."""
    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    login(make_user("hr", "hr", "supervisor"))
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    client.post(f"/hr/rounds/{r.id}/applications/new", data={
        "national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995", "gender": "nam",
        "position_id": str(position.id), "degree_level": "dai_hoc", "major": "Tài chính"})
    client.post("/hr/applications/1/admit", data={"confirmed": "1"})
    page = client.get("/audit/?object_type=application").get_data(as_text=True)
    assert "Trần Văn Bình" in page
    assert "đã nộp bài" not in page


LETTERS = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


def test_a_few_long_rejections_still_fit_in_the_cookie(app, client, make_user, login, tmp_path):
    """The report is cut by its length, not by a count: twelve rejections whose names and majors fill
    their columns with letters that take two or three bytes each."""
    import random

    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    login(make_user("hr", "hr"))
    rnd, rows = random.Random(1), []
    for i in range(12):
        name, major = (" ".join("".join(rnd.choice(LETTERS) for _ in range(6)) for _ in range(28))[:200]
                       for _ in range(2))
        rows.append(application_row(f"0310000{i:05d}", name, born="02/10/2010", degree="trung_cap", major=major))
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes()
    response = client.post(f"/hr/rounds/{r.id}/import/applications", data={"file": (io.BytesIO(data), "a.xlsx")},
                           content_type="multipart/form-data")
    sizes = [len(c) for c in response.headers.getlist("Set-Cookie")]
    assert all(size <= BROWSER_COOKIE_LIMIT for size in sizes), sizes
