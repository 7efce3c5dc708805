"""A big question-bank upload runs as two background jobs (issue "Files in and out", item 6): the
preview's dry run, then, once confirmed, the import itself; each page shows a <progress> bar that
polls a JSON status, so no request waits for 100,000 questions. The import stays all or nothing,
audited under the uploader's name, and only the uploader sees or confirms their preview."""
from __future__ import annotations

import io
import os

import pytest

from questionbank.importers import spreadsheet
from questionbank.models import Question, QuestionVersion, ReviewEvent
from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.import_jobs import ImportJob
from tests.support.auth import login_as
from tests.support.factories import approved_question, make_round

ROW = ["", "general", "", "Hiến pháp", 1, "single", "Hiến pháp hiện hành thông qua năm nào?", "1992", "2013", "", "",
       "", "", "B", 1, ""]


def _rows(n: int) -> list[list]:
    return [ROW[:6] + [f"Câu hỏi số {i}?"] + ROW[7:] for i in range(n)]


def _xlsx(rows) -> bytes:
    return tabular.xlsx_bytes([("q", spreadsheet.HEADERS, rows)])


@pytest.fixture
def job_app(app_factory):
    application = app_factory(IMPORT_BACKGROUND_BYTES=1_000)  # the test files are bigger; a tiny .csv is not
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def client(job_app):
    return job_app.test_client()


@pytest.fixture
def login(client):
    return lambda user: login_as(client, user)


def _upload(client, data: bytes, name: str = "bank.xlsx", **fields):
    form = {"file": (io.BytesIO(data), name), "section": "general", "difficulty": "2", **fields}
    return client.post("/questions/import", data=form, content_type="multipart/form-data")


def _finish(app, response) -> ImportJob:
    assert response.status_code == 302 and "/questions/import-jobs/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    app.extensions["import_job_threads"][job_id].join(60)
    db.session.expire_all()
    return db.session.get(ImportJob, job_id)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_big_upload_answers_with_a_job_page_not_the_preview(job_app, client, make_user, login):
    login(make_user("tac_gia", "question_setter"))
    response = _upload(client, _xlsx(_rows(3)))
    assert response.status_code == 302 and "/questions/import-jobs/" in response.headers["Location"]
    assert _finish(job_app, response).status == "done"


def test_a_small_file_keeps_the_preview_in_the_answer(job_app, client, make_user, login):
    login(make_user("tac_gia", "question_setter"))
    csv = (",".join(spreadsheet.HEADERS) + "\n" + ",".join(str(v) for v in ROW) + "\n").encode()
    assert len(csv) < 1_000
    page = _upload(client, csv, "bank.csv")
    assert page.status_code == 200 and 'id="confirm-import"' in page.get_data(as_text=True)
    assert _count(ImportJob) == 0


def test_the_preview_job_then_the_import_job_write_what_the_synchronous_path_writes(job_app, client, make_user, login):
    author = make_user("tac_gia", "question_setter")
    login(author)
    preview = _finish(job_app, _upload(client, _xlsx(_rows(3)), topic="Luật"))
    assert preview.kind == "questions-preview" and preview.status == "done" and preview.round_id is None
    assert preview.params["defaults"]["section"] == "general" and preview.stored_name is not None
    assert _count(Question) == 0  # the preview writes nothing
    assert client.get(f"/questions/import-jobs/{preview.id}/status").get_json() == {
        "status": "done", "label": "đã kiểm tra", "done": 1, "total": 1, "finished": True}
    page = client.get(f"/questions/import-jobs/{preview.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Câu hỏi số 2?" in html and 'id="confirm-import"' in html
    assert f"/questions/import-jobs/{preview.id}/confirm" in html and "<progress" not in html

    imported = _finish(job_app, client.post(f"/questions/import-jobs/{preview.id}/confirm"))
    assert imported.kind == "questions" and imported.status == "done" and imported.rows == 3
    assert imported.params["preview"] == preview.id and imported.stored_name is None
    html = client.get(f"/questions/import-jobs/{imported.id}").get_data(as_text=True)
    assert 'id="imported-count" data-count="3"' in html
    questions = db.session.scalars(db.select(Question).order_by(Question.code)).all()
    assert [q.code for q in questions] == ["KT-00001", "KT-00002", "KT-00003"]
    assert {q.status for q in questions} == {"in_review"} and {q.author_id for q in questions} == {author.id}
    assert _count(QuestionVersion) == 3 and _count(ReviewEvent) == 3
    audited = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.in_(
        ["questions_imported", "question_created", "import_job_started"]))).all()
    assert sorted(e.action for e in audited) == ["import_job_started", "import_job_started", "question_created",
                                                 "question_created", "question_created", "questions_imported"]
    assert {e.actor for e in audited} == {"tac_gia"}
    from recruitment import audit_check
    assert audit_check.verify().ok
    # the preview is spent: a second confirmation imports nothing more
    again = client.post(f"/questions/import-jobs/{preview.id}/confirm")
    assert again.status_code == 302 and again.headers["Location"].endswith("/questions/import")
    assert _count(ImportJob) == 2 and _count(Question) == 3


def test_a_long_preview_keeps_the_first_rows_and_the_possible_duplicates(job_app, client, make_user, login, monkeypatch):
    from questionbank import views

    monkeypatch.setattr(views, "PREVIEW_ROWS", 3)
    login(make_user("tac_gia", "question_setter"))
    approved_question(make_user("a", "question_setter"), make_user("b", "question_setter"), stem="Câu hỏi số 5?",
                      options=["1992", "2013"], answer=[1])
    db.session.commit()
    rows = _rows(6) + [ROW[:6] + ["Câu hỏi số 1?"] + ROW[7:]]
    job = _finish(job_app, _upload(client, _xlsx(rows)))
    assert job.result["count"] == 7 and job.result["duplicates"] == 2
    assert [row["record"]["ref"] for row in job.result["shown"]] == [2, 3, 4, 7, 8]
    html = client.get(f"/questions/import-jobs/{job.id}").get_data(as_text=True)
    assert "Câu hỏi số 2?" in html and "Câu hỏi số 3?" not in html and "Câu hỏi số 5?" in html
    assert 'id="preview-shown"' in html and '<td class="num">8</td>' in html


def test_a_file_with_one_bad_row_is_refused_by_the_preview_job_with_every_error(job_app, client, make_user, login):
    login(make_user("tac_gia", "question_setter"))
    rows = _rows(3)
    rows[1] = rows[1][:4] + [7] + rows[1][5:]
    job = _finish(job_app, _upload(client, _xlsx(rows)))
    assert job.status == "rejected" and job.stored_name is None
    assert job.result["errors"] == [{"row": 3, "column": "difficulty", "message": job.result["errors"][0]["message"]}]
    page = client.get(f"/questions/import-jobs/{job.id}")
    cells = page.get_data(as_text=True).split('id="import-errors"')[1]
    assert page.status_code == 200 and '<td class="num">3</td><td>difficulty</td>' in cells
    assert 'id="confirm-import"' not in page.get_data(as_text=True)
    assert client.post(f"/questions/import-jobs/{job.id}/confirm").headers["Location"].endswith("/questions/import")
    assert _count(Question) == 0 and _count(ImportJob) == 1


def test_the_import_job_is_all_or_nothing(job_app, client, make_user, login):
    """A clash that appears between the preview and the confirmation refuses the whole file."""
    login(make_user("tac_gia", "question_setter"))
    rows = _rows(3)
    rows[2] = ["KT-00077"] + rows[2][1:]
    preview = _finish(job_app, _upload(client, _xlsx(rows)))
    assert preview.status == "done"
    approved_question(make_user("a", "question_setter"), make_user("b", "question_setter"), code="KT-00077",
                      stem="Một câu đã có.")
    db.session.commit()
    job = _finish(job_app, client.post(f"/questions/import-jobs/{preview.id}/confirm"))
    assert job.status == "rejected" and job.result["errors"][0]["row"] == 4 and job.result["errors"][0]["column"] == "code"
    html = client.get(f"/questions/import-jobs/{job.id}").get_data(as_text=True)
    assert "KT-00077" in html and 'id="import-errors"' in html
    assert _count(Question) == 1  # only the one already there
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="questions_imported")) is None


def test_only_the_uploader_sees_and_confirms_a_bank_job(job_app, client, make_user, login):
    author = make_user("tac_gia", "question_setter")
    login(author)
    preview = _finish(job_app, _upload(client, _xlsx(_rows(2))))
    urls = [f"/questions/import-jobs/{preview.id}", f"/questions/import-jobs/{preview.id}/status"]
    for role in ("question_setter", "hr", "council_chair", "supervisor"):
        login(make_user(f"u_{role}", role))
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(f"/questions/import-jobs/{preview.id}/confirm").status_code == 403, role
    assert _count(ImportJob) == 1 and _count(Question) == 0
    login(make_user("u_admin", "admin"))
    assert client.get(urls[0]).status_code == 403
    # a bank job is not an HR job, nor an HR job a bank job
    round_ = make_round()
    login(make_user("hr1", "hr"))
    assert client.get(f"/hr/rounds/{round_.id}/import-jobs/{preview.id}/status").status_code == 404
    hr_job = ImportJob(round_id=round_.id, kind="applications", filename="a.xlsx", status="done", started_by_id=author.id)
    db.session.add(hr_job)
    db.session.commit()
    login(author)
    assert client.get(f"/questions/import-jobs/{hr_job.id}").status_code == 404
    assert client.post(f"/questions/import-jobs/{hr_job.id}/confirm").status_code == 404
    assert client.get(f"/questions/import-jobs/{preview.id}").status_code == 200


def test_a_running_job_page_polls_and_an_unfinished_preview_cannot_be_confirmed(job_app, client, make_user, login):
    author = make_user("tac_gia", "question_setter")
    job = ImportJob(kind="questions-preview", filename="bank.xlsx", status="running", started_by_id=author.id,
                    stored_name="0" * 32, params_json='{"defaults": {}}')
    db.session.add(job)
    db.session.commit()
    login(author)
    html = client.get(f"/questions/import-jobs/{job.id}").get_data(as_text=True)
    assert "<progress" in html and "import_job.js" in html and f"/questions/import-jobs/{job.id}/status" in html
    assert client.get(f"/questions/import-jobs/{job.id}/status").get_json()["finished"] is False
    refused = client.post(f"/questions/import-jobs/{job.id}/confirm")
    assert refused.status_code == 302 and _count(ImportJob) == 1


def test_a_new_upload_replaces_the_preview_waiting_for_its_confirmation(job_app, client, make_user, login):
    """As the small file's preview in the session: one file waits per uploader, the last one."""
    login(make_user("tac_gia", "question_setter"))
    first = _finish(job_app, _upload(client, _xlsx(_rows(2))))
    kept = job_app.instance_path + "/import-jobs/" + first.stored_name
    second = _finish(job_app, _upload(client, _xlsx(_rows(4))))
    db.session.expire_all()
    assert first.stored_name is None and second.stored_name is not None
    assert not os.path.exists(kept)
    html = client.get(f"/questions/import-jobs/{first.id}").get_data(as_text=True)
    assert 'id="preview-spent"' in html and 'id="confirm-import"' not in html
    assert client.post(f"/questions/import-jobs/{first.id}/confirm").headers["Location"].endswith("/questions/import")
    job = _finish(job_app, client.post(f"/questions/import-jobs/{second.id}/confirm"))
    assert job.status == "done" and _count(Question) == 4


def test_a_refused_preview_keeps_its_errors_up_to_the_limit_and_counts_them_all(job_app, client, make_user, login,
                                                                                monkeypatch):
    from recruitment import import_jobs

    monkeypatch.setattr(import_jobs, "MAX_ERRORS_KEPT", 2)
    login(make_user("tac_gia", "question_setter"))
    rows = [row[:4] + [7] + row[5:] for row in _rows(5)]
    job = _finish(job_app, _upload(client, _xlsx(rows)))
    assert job.status == "rejected" and job.result["count"] == 5 and [e["row"] for e in job.result["errors"]] == [2, 3]
    html = client.get(f"/questions/import-jobs/{job.id}").get_data(as_text=True)
    assert "bank.xlsx" in html and "5" in html.split('class="error"')[1].split("</h2>")[0]
    assert html.count('<td class="num">') == 2 and "2 lỗi đầu tiên" in html


def test_a_job_that_breaks_ends_failed_writes_nothing_and_leaves_no_file(job_app, client, make_user, login,
                                                                         monkeypatch):
    from questionbank import importers

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    login(make_user("tac_gia", "question_setter"))
    monkeypatch.setattr(importers, "parse", broken)
    job = _finish(job_app, _upload(client, _xlsx(_rows(2))))
    assert job.status == "failed" and job.stored_name is None
    assert os.listdir(job_app.instance_path + "/import-jobs") == []
    html = client.get(f"/questions/import-jobs/{job.id}").get_data(as_text=True)
    assert "<progress" not in html and 'id="confirm-import"' not in html and "/questions/import" in html
    assert _count(Question) == 0
