"""Scans of diplomas and certificates: PDF, JPEG or PNG up to the configured size, the type read
from the content (never from the name), a PDF parsed and refused when active (pdf_check), stored
outside static/ under a random name and served only as a sandboxed attachment (SERVE_HEADERS)."""
from __future__ import annotations

import io
import secrets
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from PIL import Image

from recruitment import errors

from . import pdf_check

ALLOWED = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


# A scan is downloaded, never rendered by the browser in the application's origin: even a file that
# slipped past check() cannot run script there (CSP sandbox) or be read as another type (nosniff).
SERVE_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'", "X-Content-Type-Options": "nosniff",
                 "Cache-Control": "private, no-store", "Cross-Origin-Resource-Policy": "same-origin"}


class UploadRefused(errors.Refused):
    pass


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "dossiers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check(name: str, data: bytes) -> str:
    """The MIME type the content really has, or UploadRefused saying why."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if len(data) > limit:
        raise UploadRefused(_("the file is larger than %(mb)d MB", mb=limit // (1024 * 1024)))
    if not data:
        raise UploadRefused(_("the file is empty"))
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise UploadRefused(_("only PDF, JPEG and PNG scans are accepted; this file is %(kind)s",
                              kind=mime or _("of an unknown type")))
    if mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise UploadRefused(_("this PDF is damaged or incomplete"))
        try:
            pdf_check.check(data)
        except pdf_check.PdfRefused as refused:
            raise UploadRefused(str(refused)) from None
    else:
        try:
            Image.open(io.BytesIO(data)).verify()
        except Exception:  # Pillow raises many kinds for a broken image
            raise UploadRefused(_("this image is damaged")) from None
    extension = Path(name).suffix.lower()
    if extension and extension not in (".pdf", ".jpg", ".jpeg", ".png"):
        raise UploadRefused(_("the file name ends in %(ext)s but the file is %(kind)s", ext=extension, kind=mime))
    if extension == ".pdf" and mime != "application/pdf" or extension in (".jpg", ".jpeg", ".png") and mime == "application/pdf":
        raise UploadRefused(_("the file name ends in %(ext)s but the file is %(kind)s", ext=extension, kind=mime))
    return mime


def store(data: bytes, mime: str) -> str:
    name = secrets.token_hex(16) + ALLOWED[mime]
    (folder() / name).write_bytes(data)
    return name


def read(stored_name: str) -> bytes:
    path = folder() / Path(stored_name).name  # never a path from outside
    return path.read_bytes()
