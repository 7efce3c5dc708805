"""The pages of a big question file's jobs (questionbank/import_jobs.py): the job's page with its
<progress> bar, its JSON status, and the confirmation of a checked preview. A job is its uploader's
alone, as the preview of a small file lives in its uploader's session: the board's other members
(G2 keeps the bank to the board, not a member's unconfirmed file) get 403, another package's job 404."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruitment import import_jobs as jobs
from recruitment.access import roles
from recruitment.extensions import db
from recruitment.labels import label

from . import import_jobs
from .forms import ImportQuestionsForm, ReviewForm
from .views import bp

UPLOADERS = ("question_setter",)  # who may upload questions (views.import_upload)


def _own_job(job_id: int) -> jobs.ImportJob:
    job = db.get_or_404(jobs.ImportJob, job_id)
    if job.kind not in import_jobs.KINDS:
        abort(404)
    if job.started_by_id != current_user.id:
        abort(403)
    return job


def _status_kind(job: jobs.ImportJob) -> str:
    return "question_preview_job" if job.kind == import_jobs.PREVIEW else "import_job"


@bp.route("/import-jobs/<int:job_id>")
@roles(*UPLOADERS)
def import_job(job_id: int):
    job = _own_job(job_id)
    result = job.result
    if job.status == "rejected":
        return render_template("questionbank/import.html", form=ImportQuestionsForm(), filename=job.filename,
                               errors=result["errors"], error_count=result["count"])
    if job.status == "done" and job.kind == import_jobs.PREVIEW:
        confirm_url = url_for("questionbank.import_job_confirm", job_id=job.id) if job.stored_name else None
        return render_template("questionbank/preview.html", filename=job.filename, count=result["count"],
                               fmt=result["format"], skipped=result["skipped"], shown=result["shown"],
                               duplicates=result["duplicates"], preview_rows=job.params["preview_rows"],
                               confirm_url=confirm_url)
    return render_template("questionbank/import_job.html", job=job, finished=job.status in jobs.FINISHED,
                           status_kind=_status_kind(job))


@bp.route("/import-jobs/<int:job_id>/status")
@roles(*UPLOADERS)
def import_job_status(job_id: int):
    """Polled by the job's page: the state and, while it runs, the steps done."""
    job = _own_job(job_id)
    return {**jobs.status_of(job), "label": label(job.status, _status_kind(job))}


@bp.route("/import-jobs/<int:job_id>/confirm", methods=["POST"])
@roles(*UPLOADERS)
def import_job_confirm(job_id: int):
    """Starts the import of a checked preview, once (a second confirmation finds no file waiting)."""
    preview = _own_job(job_id)
    job = import_jobs.confirm(preview, current_user.id) if ReviewForm().validate_on_submit() else None
    if job is None:
        flash(_("There is no file waiting to be imported: upload it again."), "danger")
        return redirect(url_for("questionbank.import_upload"))
    return redirect(url_for("questionbank.import_job", job_id=job.id))
