"""HR's identity photos: the upload of a round's photos (a zip, or image files, each named by national
ID or candidate number), and a candidate's photo for HR and the supervisor. The room's staff see
their candidates' photos through the exam day's console."""
from __future__ import annotations

import io
import zipfile

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from sqlalchemy import func, select

from .. import import_jobs, photos
from ..access import roles
from ..actions import committed, shown_on_page
from ..extensions import db
from ..models import Application, Round
from ..tabular import ImportRejected, RowError

bp = Blueprint("photos", __name__, url_prefix="/hr")


class PhotoUploadForm(FlaskForm):
    archive = FileField(_l("A zip of photos"))
    images = MultipleFileField(_l("Or the photo files themselves"))


def photo_response(photo: photos.ApplicationPhoto) -> Response:
    # Personal data: kept out of shared caches (the console reloads its rows every few seconds, so the
    # staff's own browser may keep it a few minutes) and never sniffed as anything but a JPEG.
    return Response(photo.data, mimetype="image/jpeg",
                    headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"})


@bp.route("/rounds/<int:round_id>/photos", methods=["GET", "POST"])
@roles("hr")
def upload(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = PhotoUploadForm()
    errors = None
    if form.validate_on_submit():
        files = [(f.filename, f.read()) for f in form.images.data or [] if f and f.filename]
        archive = form.archive.data.read() if form.archive.data and form.archive.data.filename else None
        if sum(len(data) for _name, data in files) + len(archive or b"") >= current_app.config["IMPORT_BACKGROUND_BYTES"]:
            # Thousands of photos to decode would outlast the worker's timeout: a job, one zip.
            try:
                bundle = _one_zip(files, archive)
            except ImportRejected as refused:  # the zip sent beside the files cannot be read
                return _page(round_, form, refused.errors)
            job = import_jobs.start(PHOTOS_JOB, form.archive.data.filename if archive else "photos.zip",
                                    bundle, current_user.id, round_id=round_.id)
            return redirect(url_for("hr.import_job", round_id=round_id, job_id=job.id))
        with committed(ImportRejected, say=shown_on_page) as outcome:
            if archive is not None:
                files += photos.read_zip(archive, form.archive.data.filename)
            report = photos.import_photos(round_, files, current_user)
        if outcome.refused is not None:
            errors = outcome.refused.errors
        else:
            flash(report.text(), "success")
            return redirect(url_for("photos.upload", round_id=round_id))
    elif form.is_submitted():
        errors = [RowError(None, None, _("The form has expired: send the files again."))]
    return _page(round_, form, errors)


def _page(round_: Round, form: PhotoUploadForm, errors: list[RowError] | None):
    count = db.session.scalar(select(func.count()).select_from(photos.ApplicationPhoto)
                              .join(Application, Application.id == photos.ApplicationPhoto.application_id)
                              .where(Application.round_id == round_.id))
    return render_template("recruitment/photos.html", round=round_, form=form, errors=errors, count=count,
                           max_mb=photos.MAX_FILE_BYTES // (1024 * 1024)), 422 if errors else 200


PHOTOS_JOB = "photos"


def _one_zip(files: list[tuple[str, bytes]], archive: bytes | None) -> bytes:
    """The upload as the job reads it: the zip as sent, or the photo files put into one (stored)."""
    if not files:
        return archive
    out, errors = io.BytesIO(), []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as bundle:
        if archive is not None:
            for name, source in photos.read_zip(archive, "zip"):
                try:
                    bundle.writestr(name, photos.read(source))
                except photos.PhotoRefused as refused:  # every damaged member named at once, not one per try
                    errors.append(RowError(None, None, f"{name}: {refused}"))
        for name, data in files:
            bundle.writestr(name, data)
    if errors:
        raise ImportRejected(errors)
    return out.getvalue()


def _photos_job(job: import_jobs.ImportJob, data: bytes, progress) -> import_jobs.Outcome:
    files = photos.read_zip(data, job.filename)
    progress(1, 2)
    report = photos.import_photos(db.session.get(Round, job.round_id), files, current_user)
    return import_jobs.Outcome(report.imported, {"rows": report.imported, "replaced": report.replaced})


import_jobs.register(PHOTOS_JOB, _photos_job)


@bp.route("/applications/<int:application_id>/photo.jpg")
@roles("hr")
def photo(application_id: int):
    found = photos.photo_of(application_id)
    if found is None:
        abort(404)
    return photo_response(found)


