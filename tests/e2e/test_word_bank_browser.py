"""A question setter imports a board's Word bank in Debian's chromium: a wrong file is refused with
the question named, the sample is previewed, confirmed and sent for review, and the bank goes back
out as Word for review on paper, without keys and with them."""
from __future__ import annotations

import io

from docx import Document

from questionbank.models import Question
from recruitment.extensions import db
from tests.support.browser import browser_login, submit
from tests.support.wordbank import GENERAL, word_file


def test_a_word_bank_is_previewed_imported_and_exported(live_server, new_context, make_user, tmp_path):
    with live_server.app.app_context():
        make_user("setter1", "question_setter")
        db.session.remove()
    page = new_context(accept_downloads=True).new_page()
    browser_login(page, live_server, "setter1")
    page.goto(live_server("/questions/import"))
    bad = tmp_path / "thieu-dap-an.docx"
    bad.write_bytes(word_file(("h1", "Chủ đề: Hiến pháp — Mức độ: dễ"), "Câu 12. Thiếu đáp án?", "A. Một", "B. Hai"))
    page.set_input_files("#file", str(bad))
    submit(page, "#upload")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1 and errors.first.locator("td").nth(0).inner_text() == "12"
    assert "Câu 12" in errors.first.inner_text()

    page.set_input_files("#file", str(GENERAL))
    submit(page, "#upload")
    assert page.locator("#preview tbody tr").count() == 8
    assert "Luật Cán bộ, công chức" in page.inner_text("#preview")
    submit(page, "#confirm-import")
    page.wait_for_url("**/questions/?status=in_review")
    with live_server.app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 8
        db.session.remove()

    page.goto(live_server("/questions/?status=in_review"))
    for selector, keyed in (("#export-docx", False), ("#export-docx-keys", True)):
        with page.expect_download() as download:
            page.click(selector)
        document = Document(io.BytesIO(download.value.path().read_bytes()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Theo Luật Cán bộ, công chức" in text
        assert bool(document.tables) is keyed
