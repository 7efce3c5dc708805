"""Long imports from the upload pages, run as a background job so that no request waits for them
(a 100,000-row file would outlast a worker's timeout): the upload view saves the file in instance/
and starts a thread; the thread runs the very importer the CLI runs, in its own app context and
session, as the person who uploaded (so the audit log names them), all or nothing as ever; the page
polls a JSON status and shows a <progress> bar. The job row keeps the outcome for the page.

Each kind of job has its runner, registered by the package that owns the upload page (HR's files
in recruitment/views/hr.py, the question bank's preview and import in questionbank/import_jobs.py):
the hub knows no domain package."""
from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
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
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)  # HR's jobs
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(80))  # in instance/import-jobs/ until the job ends (a preview's: until confirmed)
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")  # queued running done rejected failed
    result_json: Mapped[str | None] = mapped_column(Text)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    params_json: Mapped[str | None] = mapped_column(Text)  # what the upload form said (a bank file's defaults)

    @property
    def result(self) -> dict:
        return json.loads(self.result_json) if self.result_json else {}

    @property
    def params(self) -> dict:
        return json.loads(self.params_json) if self.params_json else {}

    @property
    def progress(self) -> tuple[int, int] | None:
        if self.status in FINISHED:
            return (1, 1)
        return _progress.get(self.id)


Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    """What a runner hands back when its import went through: the rows, what the page shows, and
    whether the file stays for a next job (a preview's file waits for its confirmation)."""
    rows: int
    result: dict
    keep_file: bool = False


# kind -> runner(job, data, progress) -> Outcome; a runner raises ImportRejected to refuse the file.
RUNNERS: dict[str, Callable[[ImportJob, bytes, Progress], Outcome]] = {}


def register(kind: str, runner: Callable[[ImportJob, bytes, Progress], Outcome]) -> None:
    RUNNERS[kind] = runner


def status_of(job: ImportJob) -> dict:
    """What a job's page polls: the state and, while it runs, the steps done."""
    done, total = job.progress or (0, 0)
    return {"status": job.status, "done": done, "total": total, "finished": job.status in FINISHED}


def _folder(app: Flask) -> Path:
    path = Path(app.instance_path) / "import-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start(kind: str, filename: str, data: bytes | None, user_id: int, *, round_id: int | None = None,
          params: dict | None = None, stored_name: str | None = None,
          audited_as: tuple[str, int | None] | None = None) -> ImportJob:
    """Saves the file (or takes over one a finished job kept: stored_name), records the job
    (audited on the round, or on audited_as), commits, and starts its thread."""
    app = current_app._get_current_object()
    if stored_name is None:
        stored_name = secrets.token_hex(16)
        (_folder(app) / stored_name).write_bytes(data)
    job = ImportJob(round_id=round_id, kind=kind, filename=filename[:255], stored_name=stored_name,
                    started_by_id=user_id, params_json=json.dumps(params, ensure_ascii=False) if params else None)
    db.session.add(job)
    db.session.flush()
    object_type, object_id = audited_as or ("round", round_id)
    audit.record("import_job_started", object_type, object_id, after={"job": job.id, "kind": kind, "file": filename})
    db.session.commit()
    thread = threading.Thread(target=run, args=(app, job.id), name=f"import-job-{job.id}", daemon=True)
    app.extensions.setdefault("import_job_threads", {})[job.id] = thread  # tests join it
    thread.start()
    return job


def take_file(job: ImportJob) -> str | None:
    """The kept file of a finished job, handed over once (two confirmations racing get it once)."""
    stored = job.stored_name
    if stored is None:
        return None
    taken = db.session.execute(db.update(ImportJob).where(ImportJob.id == job.id, ImportJob.stored_name == stored)
                               .values(stored_name=None))
    return stored if taken.rowcount == 1 else None


def drop_file(stored_name: str) -> None:
    """Deletes a file taken from a job (take_file) that no job will read."""
    (_folder(current_app) / stored_name).unlink(missing_ok=True)


def run(app: Flask, job_id: int) -> None:
    """The thread: a request context of its own, logged in as the uploader, so the importer and the
    audit log see who started the job exactly as in a synchronous upload."""
    from .models import User

    with app.test_request_context():
        job = db.session.get(ImportJob, job_id)
        user = db.session.get(User, job.started_by_id) if job.started_by_id else None
        if user is not None:
            login_user(user)
        path = _folder(app) / job.stored_name
        job.status = "running"
        db.session.commit()
        keep = False
        try:
            data = path.read_bytes()
            done = RUNNERS[job.kind](job, data, lambda step, steps: _progress.__setitem__(job_id, (step, steps)))
            keep = done.keep_file
            outcome = {"status": "done", "rows": done.rows, "result": done.result}
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
            if not keep:
                path.unlink(missing_ok=True)
            _progress.pop(job_id, None)
        job = db.session.get(ImportJob, job_id)
        job.status, job.rows = outcome["status"], outcome["rows"]
        job.result_json = json.dumps(outcome["result"], ensure_ascii=False)
        job.finished_at = utcnow()
        if not keep:
            job.stored_name = None
        db.session.commit()
        db.session.remove()
