"""HR in a real browser: downloads the template, uploads a file with a mistake, reads the error
pinned to its row, fixes the file and imports it."""
from __future__ import annotations

from recruitment import importing
from recruitment.extensions import db
from tests.support.browser import browser_login, submit
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


def test_hr_imports_applications_through_the_page(live_server, page, make_user, tmp_path):
    with live_server.app.app_context():
        make_user("hr_e2e", "hr", full_name="Nguyễn Thị Thu Hà")
        round_ = make_round("HP27")
        path = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
        importing.import_positions(round_, path.name, path.read_bytes())
        round_id = round_.id
        db.session.remove()
    browser_login(page, live_server, "hr_e2e")
    page.goto(live_server(f"/hr/rounds/{round_id}"))
    with page.expect_download() as download:
        page.click("a[href$='/hr/templates/applications.xlsx']")
    assert download.value.suggested_filename == "applications-template.xlsx"

    bad = write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình"), application_row("031000000002", "Lê Thị Mai", born="32/01/1995")])
    page.set_input_files("#file-applications", str(bad))
    submit(page, "#file-applications ~ button")
    assert "Chưa nhập dữ liệu nào" in page.content()
    row = page.locator("table tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "3" and row.locator("td").nth(1).inner_text() == "date_of_birth"

    good = write_xlsx(tmp_path / "apps-fixed.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình"), application_row("031000000002", "Lê Thị Mai", born="31/01/1995")])
    page.goto(live_server(f"/hr/rounds/{round_id}"))
    page.set_input_files("#file-applications", str(good))
    submit(page, "#file-applications ~ button")
    assert "đã nhập 2 dòng" in page.content()
    page.goto(live_server(f"/hr/rounds/{round_id}/applications?q=le thi mai"))
    assert "Lê Thị Mai" in page.content() and "0002" in page.content()
