"""Scans of diplomas and certificates: PDF, JPEG or PNG up to the configured size, the type read
from the content (never from the name), stored outside static/ under a random name."""
from __future__ import annotations

import io
import secrets
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from PIL import Image

ALLOWED = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


class UploadRefused(ValueError):
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
