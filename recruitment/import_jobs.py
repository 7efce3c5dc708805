"""Long imports from the upload pages, run as a background job so that no request waits for them
(a 100,000-row file would outlast a worker's timeout): the upload view saves the file in instance/
and starts a thread; the thread runs the very importer the CLI runs, in its own app context and
session, as the person who uploaded (so the audit log names them), all or nothing as ever; the page
polls a JSON status and shows a <progress> bar. The job row keeps the outcome for the page."""
from __future__ import annotations

import json
import logging
import secrets
import threading
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from . import audit, labels
from .database import utcnow
from .extensions import db
from .tabular import ImportRejected

log = logging.getLogger(__name__)
FINISHED = ("done", "rejected", "failed")
MAX_ERRORS_KEPT = 1_000
STATUS = labels.register("import_job", {
    "queued": _l("waiting to start"), "running": _l("being imported"), "done": _l("imported"),
    "rejected": _l("refused: nothing imported"), "failed": _l("stopped on an error: nothing imported")})
# Steps reported by the running importer, in this process; the job row holds the state for others.
_progress: dict[int, tuple[int, int]] = {}


class ImportJob(db.Model):
    __tablename__ = "import_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(80))  # in instance/import-jobs/ until the job ends
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")  # queued running done rejected failed
    result_json: Mapped[str | None] = mapped_column(Text)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def result(self) -> dict:
        return json.loads(self.result_json) if self.result_json else {}

    @property
    def progress(self) -> tuple[int, int] | None:
        if self.status in FINISHED:
            return (1, 1)
        return _progress.get(self.id)


def _folder(app: Flask) -> Path:
    path = Path(app.instance_path) / "import-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start(round_id: int, kind: str, filename: str, data: bytes, user_id: int) -> ImportJob:
    """Saves the file, records the job (audited), commits, and starts its thread."""
    app = current_app._get_current_object()
    stored = secrets.token_hex(16)
    (_folder(app) / stored).write_bytes(data)
    job = ImportJob(round_id=round_id, kind=kind, filename=filename[:255], stored_name=stored, started_by_id=user_id)
    db.session.add(job)
    db.session.flush()
    audit.record("import_job_started", "round", round_id, after={"job": job.id, "kind": kind, "file": filename})
    db.session.commit()
    thread = threading.Thread(target=run, args=(app, job.id), name=f"import-job-{job.id}", daemon=True)
    app.extensions.setdefault("import_job_threads", {})[job.id] = thread  # tests join it
    thread.start()
    return job


def run(app: Flask, job_id: int) -> None:
    """The thread: a request context of its own, logged in as the uploader, so the importer and the
    audit log see who started the job exactly as in a synchronous upload."""
    from .models import Round, User
    from .views.hr import IMPORTS

    with app.test_request_context():
        job = db.session.get(ImportJob, job_id)
        user = db.session.get(User, job.started_by_id) if job.started_by_id else None
        if user is not None:
            login_user(user)
        path = _folder(app) / job.stored_name
        job.status = "running"
        db.session.commit()
        round_, kind, filename = db.session.get(Round, job.round_id), job.kind, job.filename
        try:
            data = path.read_bytes()
            report = IMPORTS[kind][1](round_, filename, data, progress=lambda done, total: _progress.__setitem__(job_id, (done, total)))
            outcome = {"status": "done", "rows": report.rows,
                       "result": {"rows": report.rows, "admitted": getattr(report, "admitted", None),
                                  "rejected": len(getattr(report, "rejected", [])),
                                  "messages": [str(m) for m in report.messages[:MAX_ERRORS_KEPT]]}}
        except ImportRejected as rejected:
            db.session.rollback()
            outcome = {"status": "rejected", "rows": 0,
                       "result": {"errors": [{"row": e.row, "column": e.column, "message": str(e.message)}
                                             for e in rejected.errors[:MAX_ERRORS_KEPT]],
                                  "count": len(rejected.errors)}}
        except Exception:  # noqa: BLE001 - the job must end with a state the page can show
            db.session.rollback()
            log.exception("import job %s failed", job_id)
            outcome = {"status": "failed", "rows": 0, "result": {}}
        finally:
            path.unlink(missing_ok=True)
            _progress.pop(job_id, None)
        job = db.session.get(ImportJob, job_id)
        job.status, job.rows = outcome["status"], outcome["rows"]
        job.result_json = json.dumps(outcome["result"], ensure_ascii=False)
        job.stored_name, job.finished_at = None, utcnow()
        db.session.commit()
        db.session.remove()
