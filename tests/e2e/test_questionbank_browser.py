"""A question setter downloads the template, fills it, uploads it, sees the error pinned to its
row, fixes the file and imports; a second setter approves."""
from __future__ import annotations

from openpyxl import load_workbook

from questionbank.models import Question
from recruitment.extensions import db
from tests.support.browser import browser_login, submit


def test_import_with_preview_and_approval_by_a_second_setter(live_server, new_context, make_user, tmp_path):
    with live_server.app.app_context():
        make_user("setter1", "question_setter", full_name="Trần Minh Đức")
        make_user("setter2", "question_setter", full_name="Lê Thị Hồng Nhung")
        db.session.remove()
    page = new_context(accept_downloads=True).new_page()
    browser_login(page, live_server, "setter1")
    page.goto(live_server("/questions/import"))
    with page.expect_download() as download:
        page.click("a[href$='/questions/template.xlsx']")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    book = load_workbook(template)
    sheet = book.active
    sheet.append(["", "general", "", "Tin học văn phòng", 5, "single", "Tổ hợp phím Ctrl + S dùng để làm gì?", "Lưu",
                  "In", "Mở", "Đóng", "", "", "A", 1, ""])
    book.save(template)
    page.set_input_files("#file", str(template))
    submit(page, "#upload")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1 and errors.first.locator("td").nth(0).inner_text() == "3"
    assert errors.first.locator("td").nth(1).inner_text() == "difficulty"

    sheet["E3"] = 1
    book.save(template)
    page.set_input_files("#file", str(template))
    submit(page, "#upload")
    assert page.locator("#preview tbody tr").count() == 2
    submit(page, "#confirm-import")
    page.wait_for_url("**/questions/?status=in_review")
    assert "Ctrl + S" in page.content()

    reviewer = new_context().new_page()
    browser_login(reviewer, live_server, "setter2")
    reviewer.goto(live_server("/questions/review"))
    reviewer.locator("tr", has_text="Ctrl + S").locator("a").click()
    submit(reviewer, "#action-approve")
    assert "đã duyệt" in reviewer.content()
    with live_server.app.app_context():
        statuses = sorted(db.session.scalars(db.select(Question.status)))
    assert statuses == ["approved", "in_review"]
