"""A big question file on the upload page runs as two background jobs (recruitment/import_jobs.py),
so that no request parses 100,000 questions: the preview's dry run, whose job keeps what the preview
page lists and keeps the file, then, once its uploader confirms, the import itself (all or nothing,
audited as the uploader, exactly as bank.import_records writes it for a small file)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from recruitment import import_jobs as jobs
from recruitment import labels
from recruitment.extensions import db
from recruitment.models import User

from . import bank, importers

PREVIEW, IMPORT = "questions-preview", "questions"
KINDS = (PREVIEW, IMPORT)
# What a preview job's states mean to its reader (an import job's are the hub's "import_job").
PREVIEW_STATUS = labels.register("question_preview_job", {
    "queued": _l("waiting to start"), "running": _l("being checked"), "done": _l("checked"),
    "rejected": _l("refused: nothing imported"), "failed": _l("stopped on an error: nothing imported")})
AUDITED_AS = ("question_bank", None)


def shown_rows(rows: list[bank.PreviewRow], first: int) -> list[bank.PreviewRow]:
    """The rows a preview page lists: the first `first`, then possible duplicates up to as many
    again (a 100,000-question file would make a page no browser opens)."""
    shown = rows[:first]
    shown += [row for row in rows[first:] if row.duplicate_of][:first]
    return shown


def start_preview(filename: str, data: bytes, defaults: dict, preview_rows: int, user_id: int) -> jobs.ImportJob:
    """The check of an uploaded file. As with a small file's preview (one in the uploader's
    session), a new upload replaces the preview waiting for its confirmation: its file is dropped."""
    waiting = db.session.scalars(select(jobs.ImportJob).where(
        jobs.ImportJob.kind == PREVIEW, jobs.ImportJob.started_by_id == user_id, jobs.ImportJob.status == "done",
        jobs.ImportJob.stored_name.is_not(None))).all()
    dropped = [name for name in map(jobs.take_file, waiting) if name]
    job = jobs.start(PREVIEW, filename, data, user_id, params={"defaults": defaults, "preview_rows": preview_rows},
                     audited_as=AUDITED_AS)
    for name in dropped:  # once the hand-over is committed
        jobs.drop_file(name)
    return job


def confirm(preview: jobs.ImportJob, user_id: int) -> jobs.ImportJob | None:
    """The import job of a checked preview, which hands over its file once; None when the preview
    is not checked, was refused or is spent (confirmed already)."""
    if preview.kind != PREVIEW or preview.status != "done":
        return None
    stored = jobs.take_file(preview)
    if stored is None:
        return None
    return jobs.start(IMPORT, preview.filename, None, user_id, stored_name=stored, audited_as=AUDITED_AS,
                      params={"defaults": preview.params["defaults"], "preview": preview.id})


def _uploader(job: jobs.ImportJob) -> User | None:
    return db.session.get(User, job.started_by_id) if job.started_by_id else None


def _plain(row: bank.PreviewRow) -> dict:
    """A listed row as the preview page reads it (what questionbank/preview.html shows)."""
    r = row.record
    return {"record": {"ref": r.ref, "stem": r.stem, "type": r.type, "options": r.options, "answer": r.answer,
                       "topic": r.topic, "difficulty": r.difficulty},
            "duplicate_of": str(row.duplicate_of) if row.duplicate_of else None}


def run_preview(job: jobs.ImportJob, data: bytes, progress: jobs.Progress) -> jobs.Outcome:
    progress(0, 3)
    parsed = importers.parse(job.filename, data, job.params["defaults"])
    progress(1, 3)
    result = bank.import_records(parsed.records, _uploader(job), filename=job.filename, dry_run=True)
    db.session.rollback()  # a preview writes nothing
    progress(2, 3)
    shown = shown_rows(result.rows, job.params["preview_rows"])
    return jobs.Outcome(len(parsed.records), keep_file=True, result={
        "format": parsed.format, "count": len(parsed.records), "skipped": [str(s) for s in parsed.skipped],
        "duplicates": sum(1 for row in result.rows if row.duplicate_of), "shown": [_plain(row) for row in shown]})


def run_import(job: jobs.ImportJob, data: bytes, progress: jobs.Progress) -> jobs.Outcome:
    progress(0, 3)
    parsed = importers.parse(job.filename, data, job.params["defaults"])
    progress(1, 3)
    result = bank.import_records(parsed.records, _uploader(job), filename=job.filename)
    progress(2, 3)  # the job commits it, or nothing
    return jobs.Outcome(len(result.created), {"created": len(result.created)})


jobs.register(PREVIEW, run_preview)
jobs.register(IMPORT, run_import)
