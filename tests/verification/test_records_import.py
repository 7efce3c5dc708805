"""The verifiers' import of the registers institutions send (.xlsx/.csv): all or nothing with the row
named; a big register (a university's every diploma) is imported by a background job with a
progress bar, never inside the request."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale

from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.import_jobs import ImportJob
from tests.support.auth import login_as
from verification import records
from verification.models import IssuingRecord

HEADERS = [c.vi for c in records.COLUMNS]  # the register as institutions write it


def _register(rows: int, bad_row: int | None = None) -> bytes:
    data = [["Trường Đại học Hàng hải Việt Nam", f"HH-2019-{i:06d}", "Nguyễn Văn An",
             "32/13/1997" if i == bad_row else "15/03/1997", "dai_hoc", "Kinh tế", "20/06/2019"] for i in range(rows)]
    return tabular.xlsx_bytes([("so", HEADERS, data)])


def _post(client, data: bytes):
    return client.post("/verification/records", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "so-goc.xlsx")})


@pytest.fixture
def job_app(app_factory):
    application = app_factory(IMPORT_BACKGROUND_BYTES=20_000)
    with application.app_context():
        yield application


def test_a_small_register_imports_at_once_and_a_bad_row_refuses_the_file(job_app, make_user):
    client = job_app.test_client()
    login_as(client, make_user("verifier-1", "verifier"))
    refused = _post(client, _register(3, bad_row=2))
    assert refused.status_code == 200 and "32/13/1997" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord)) == 0
    assert _post(client, _register(3)).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord)) == 3


def test_a_big_register_is_imported_by_a_job_all_or_nothing(job_app, make_user):
    client = job_app.test_client()
    login_as(client, make_user("verifier-2", "verifier"))
    big = _register(3_000)
    assert len(big) >= 20_000
    broken = _post(client, _register(3_000, bad_row=2_500))
    assert broken.status_code == 302 and "/verification/records/jobs/" in broken.headers["Location"]
    job_id = int(broken.headers["Location"].rstrip("/").split("/")[-1])
    job_app.extensions["import_job_threads"][job_id].join(60)
    db.session.expire_all()
    assert db.session.get(ImportJob, job_id).status == "rejected"
    assert "2502" in client.get(broken.headers["Location"]).get_data(as_text=True)  # the row, under its header
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord)) == 0
    done = _post(client, big)
    job_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    job_app.extensions["import_job_threads"][job_id].join(60)
    assert client.get(f"/verification/records/jobs/{job_id}/status").get_json()["status"] == "done"
    assert "3000" in client.get(done.headers["Location"]).get_data(as_text=True).replace(".", "").replace(",", "")
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord)) == 3_000
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="issuing_records_imported")).actor == "verifier-2"
    other = job_app.test_client()
    login_as(other, make_user("hr-x", "hr"))
    assert other.get(done.headers["Location"]).status_code == 403


def test_a_register_cell_longer_than_its_column_is_a_row_error(app):
    """An institution of 301 characters, a number of 101, a holder or a major of 201 failed the insert on
    PostgreSQL (a 500, or a failed background job) and were stored whole on SQLite: now each is a row
    error named by the register's own header, on every engine, and nothing is written."""
    good = ["Trường Đại học Hàng hải Việt Nam", "HH-2019-000001", "Nguyễn Văn An", "15/03/1997", "dai_hoc", "Kinh tế",
            "20/06/2019"]
    long = ["Trường " * 50, "H" * 101, "Nguyễn " * 30, "15/03/1997", "dai_hoc", "Kinh tế " * 26, "20/06/2019"]
    with force_locale("en"), pytest.raises(tabular.ImportRejected) as excinfo:
        records.import_records("so-goc.xlsx", tabular.xlsx_bytes([("so", HEADERS, [good, long])]))
    assert [(e.row, e.column) for e in excinfo.value.errors] == [
        (3, "co_so_cap"), (3, "so_hieu"), (3, "ho_ten"), (3, "chuyen_nganh")]
    assert "at most 100 characters" in excinfo.value.errors[1].message
    assert db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord)) == 0
