"""Big uploads run as a background job (issue "Files in", item 6): the page answers at once, a
<progress> bar follows the job through a JSON status, the import stays all or nothing and is
audited under the name of the person who uploaded."""
from __future__ import annotations

import io

import pytest

from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.import_jobs import ImportJob
from recruitment.models import Application
from tests.support.auth import login_as
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


@pytest.fixture
def job_app(app_factory):
    application = app_factory(IMPORT_BACKGROUND_BYTES=0)
    with application.app_context():
        yield application


@pytest.fixture
def client(job_app):
    return job_app.test_client()


@pytest.fixture
def login(client):
    return lambda user: login_as(client, user)


def _upload(client, round_, rows):
    data = tabular.xlsx_bytes([("d", APPLICATION_HEADERS, rows)])
    return client.post(f"/hr/rounds/{round_.id}/import/applications", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "apps.xlsx")})


def _finish(app, response) -> ImportJob:
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    app.extensions["import_job_threads"][job_id].join(60)
    db.session.expire_all()
    return db.session.get(ImportJob, job_id)


def test_a_big_upload_runs_as_a_job_with_a_progress_bar(job_app, client, make_user, login, tmp_path):
    from recruitment import importing

    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    login(make_user("hr1", "hr"))
    response = _upload(client, round_, [application_row("031000000001", "Trần An"), application_row("031000000002", "Lê Bình")])
    assert response.status_code == 302 and "/import-jobs/" in response.headers["Location"]
    job = _finish(job_app, response)
    assert job.status == "done" and job.rows == 2 and job.stored_name is None
    status = client.get(f"/hr/rounds/{round_.id}/import-jobs/{job.id}/status").get_json()
    assert status == {"status": "done", "done": 1, "total": 1, "finished": True}
    page = client.get(f"/hr/rounds/{round_.id}/import-jobs/{job.id}").get_data(as_text=True)
    assert "apps.xlsx" in page and "<progress" not in page
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 2
    imported = db.session.scalar(db.select(AuditEntry).filter_by(action="applications_imported"))
    assert imported.actor == "hr1"
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="import_job_started")).actor == "hr1"
    admitted = db.session.scalars(db.select(AuditEntry).filter_by(action="application_admitted")).all()
    assert len(admitted) == 2 and {e.actor for e in admitted} == {"hr1"}
    from recruitment import audit_check
    assert audit_check.verify().ok


def test_a_refused_file_in_a_job_writes_nothing_and_shows_its_errors(job_app, client, make_user, login, tmp_path):
    from recruitment import importing

    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    login(make_user("hr1", "hr"))
    response = _upload(client, round_, [application_row("031000000001", "Trần An"), application_row("12", "Lê Bình")])
    job = _finish(job_app, response)
    assert job.status == "rejected" and job.result["errors"][0]["row"] == 3
    page = client.get(f"/hr/rounds/{round_.id}/import-jobs/{job.id}").get_data(as_text=True)
    assert "national_id" in page
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_a_running_job_page_polls_its_status(job_app, client, make_user, login):
    round_ = make_round()
    user = make_user("hr1", "hr")
    job = ImportJob(round_id=round_.id, kind="applications", filename="a.xlsx", status="running", started_by_id=user.id)
    db.session.add(job)
    db.session.commit()
    login(user)
    page = client.get(f"/hr/rounds/{round_.id}/import-jobs/{job.id}").get_data(as_text=True)
    assert "<progress" in page and "import_job.js" in page
    assert client.get(f"/hr/rounds/{round_.id}/import-jobs/{job.id}/status").get_json()["finished"] is False
    assert client.get(f"/hr/rounds/{round_.id + 1}/import-jobs/{job.id}/status").status_code == 404


def _photos_zip(files: dict[str, bytes]) -> bytes:
    import zipfile

    from recruitment.photos_demo import avatar

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data if data is not None else avatar(name))
    return out.getvalue()


def test_a_zip_of_photos_is_read_and_downscaled_in_a_job_all_or_nothing(job_app, client, make_user, login, tmp_path):
    """Thousands of photos to decode with Pillow would outlast the worker's timeout in the request."""
    from recruitment import photos
    from tests.support.factories import build_day

    day = build_day(tmp_path, candidates=3)
    numbers = [a.number_label for a in db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)
                                                          .order_by(Application.candidate_number))]
    login(make_user("hr-photos", "hr"))
    path = f"/hr/rounds/{day.round_id}/photos"
    broken = client.post(path, content_type="multipart/form-data", data={
        "archive": (io.BytesIO(_photos_zip({f"{numbers[0]}.jpg": None, f"{numbers[1]}.jpg": b"%PDF not a photo"})),
                    "anh.zip")})
    assert broken.status_code == 302 and "/import-jobs/" in broken.headers["Location"]
    job = _finish(job_app, broken)
    assert job.status == "rejected" and job.stored_name is None
    page = client.get(broken.headers["Location"]).get_data(as_text=True)
    assert f"{numbers[1]}.jpg" in page and "<progress" not in page
    assert db.session.scalar(db.select(db.func.count()).select_from(photos.ApplicationPhoto)) == 0
    good = client.post(path, content_type="multipart/form-data", data={
        "archive": (io.BytesIO(_photos_zip({f"{n}.jpg": None for n in numbers})), "anh.zip")})
    job = _finish(job_app, good)
    assert job.status == "done" and job.rows == 3
    assert "3" in client.get(good.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(photos.ApplicationPhoto)) == 3
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="photos_imported")).actor == "hr-photos"
