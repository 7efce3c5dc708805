"""HR's identity photos: the upload of a round's photos (a zip, or image files, each named by national
ID or candidate number), and a candidate's photo for HR and the supervisor. The room's staff see
their candidates' photos through the exam day's console."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from sqlalchemy import func, select

from .. import photos
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
        with committed(ImportRejected, say=shown_on_page) as outcome:
            files = [(f.filename, f.read()) for f in form.images.data or [] if f and f.filename]
            if form.archive.data and form.archive.data.filename:
                files += photos.read_zip(form.archive.data.read(), form.archive.data.filename)
            report = photos.import_photos(round_, files, current_user)
        if outcome.refused is not None:
            errors = outcome.refused.errors
        else:
            flash(_("%(n)d photos imported (%(r)d replaced).", n=report.imported, r=report.replaced), "success")
            return redirect(url_for("photos.upload", round_id=round_id))
    elif form.is_submitted():
        errors = [RowError(None, None, _("The form has expired: send the files again."))]
    count = db.session.scalar(select(func.count()).select_from(photos.ApplicationPhoto)
                              .join(Application, Application.id == photos.ApplicationPhoto.application_id)
                              .where(Application.round_id == round_id))
    return render_template("recruitment/photos.html", round=round_, form=form, errors=errors, count=count,
                           max_mb=photos.MAX_FILE_BYTES // (1024 * 1024)), 422 if errors else 200


@bp.route("/applications/<int:application_id>/photo.jpg")
@roles("hr")
def photo(application_id: int):
    found = photos.photo_of(application_id)
    if found is None:
        abort(404)
    return photo_response(found)


