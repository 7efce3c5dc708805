"""A question setter uploads a big file (over IMPORT_BACKGROUND_BYTES): the page answers at once
with a <progress> bar, which turns into the preview when the check is done; the confirmation starts
the import's own job, whose page ends with the number of questions imported."""
from __future__ import annotations

import threading

from playwright.sync_api import expect

from questionbank import import_jobs
from questionbank.importers import spreadsheet
from questionbank.models import Question
from recruitment import import_jobs as jobs
from recruitment import tabular
from recruitment.extensions import db
from tests.support.browser import browser_login, submit

ROW = ["", "general", "", "Tin học văn phòng", 1, "single", "", "Lưu", "In", "Mở", "Đóng", "", "", "A", 1, ""]


def test_a_big_question_file_is_checked_then_imported_by_jobs(live_server, page, make_user, tmp_path, monkeypatch):
    live_server.app.config["IMPORT_BACKGROUND_BYTES"] = 1_000
    with live_server.app.app_context():
        make_user("setter1", "question_setter", full_name="Trần Minh Đức")
        db.session.remove()
    go_on = threading.Event()  # the check waits until the test has seen its progress bar

    def held_preview(job, data, progress):
        progress(0, 3)
        go_on.wait(20)
        return import_jobs.run_preview(job, data, progress)

    monkeypatch.setitem(jobs.RUNNERS, import_jobs.PREVIEW, held_preview)
    path = tmp_path / "ngan-hang.xlsx"
    rows = [ROW[:6] + [f"Tổ hợp phím số {i} dùng để làm gì?"] + ROW[7:] for i in range(12)]
    path.write_bytes(tabular.xlsx_bytes([("q", spreadsheet.HEADERS, rows)]))

    browser_login(page, live_server, "setter1")
    page.goto(live_server("/questions/import"))
    page.set_input_files("#file", str(path))
    submit(page, "#upload")
    assert "/questions/import-jobs/" in page.url
    assert page.locator("progress#import-job-progress").count() == 1
    expect(page.locator("#import-job-state")).to_have_text("đang kiểm tra")  # the poll says the state in words
    go_on.set()
    page.wait_for_selector("#confirm-import")  # the page polled, then reloaded into the preview
    assert page.locator("#preview tbody tr").count() == 12 and "Tổ hợp phím số 11" in page.content()

    submit(page, "#confirm-import")
    page.wait_for_selector("#imported-count")
    assert page.locator("#imported-count").get_attribute("data-count") == "12"
    assert "Đã nhập 12 câu hỏi" in page.locator("#imported-count").inner_text()
    with live_server.app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 12
        db.session.remove()
