"""Photos for identity at the door: one optional photo per application, printed on the admission
ticket and the room list and shown on the proctor console beside the seat.

Photos come in a folder or a zip whose files are named by the candidate's national ID or candidate
number (`012345678901.jpg`, `0012.png`). Every file is decoded and re-encoded with Pillow, so what is
stored is always a small JPEG without metadata: anything that is not an image, or has more pixels
than a photo could (a decompression bomb), is refused. The import is all-or-nothing and every error
names its file. Photos are served only through access-checked routes, never from static/."""
from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column

from . import audit, errors, unreadable
from .database import utcnow
from .extensions import db
from .models import Application, Round, User
from .sheet_rows import UNZIP_ERRORS
from .tabular import ImportRejected, RowError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF"}
MAX_FILE_BYTES = 10 * 1024 * 1024  # one photo file
MAX_PIXELS = 40_000_000  # far above any camera's photo; a larger image is a decompression bomb
MAX_FILES = 20_000  # files in one folder or zip
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # a zip's content, uncompressed
STORED_SIZE = (360, 480)  # 3x4 at a printing resolution of about 300 dpi
JPEG_QUALITY = 85


class ApplicationPhoto(db.Model):
    __tablename__ = "application_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # JPEG, re-encoded from the file, at most STORED_SIZE
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PhotoRefused(errors.Refused):
    pass


def normalise(data: bytes) -> tuple[bytes, int, int]:
    """A small JPEG (bytes, width, height) of any photo Pillow reads; PhotoRefused otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise PhotoRefused(_("the file is larger than %(mb)d MB", mb=MAX_FILE_BYTES // (1024 * 1024)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))  # reads the header only: the size is known before decoding
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRefused(_("it is not a photo (JPEG, PNG or WebP)"))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(_("the image has too many pixels (%(w)d × %(h)d)", w=image.width, h=image.height))
            image.draft("RGB", (STORED_SIZE[0] * 2, STORED_SIZE[1] * 2))  # JPEG: decode at a reduced scale
            image = _upright(image)
            image.thumbnail(STORED_SIZE)
            image = image.convert("RGB")
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused(_("the image has too many pixels for a photo (a decompression bomb?)")) from None
        except UnidentifiedImageError:
            raise PhotoRefused(_("it is not an image")) from None
        except Exception:  # noqa: BLE001 - OSError, ValueError, SyntaxError, struct.error...: Pillow's many ways to say so
            raise PhotoRefused(_("the image is damaged or cut short")) from None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no EXIF: nothing but the pixels is kept
    return out.getvalue(), image.width, image.height


def _upright(image: Image.Image) -> Image.Image:
    """Turned as the camera's EXIF says; as it is when that EXIF cannot be read back (a camera's
    malformed tag made Pillow's rewrite of it fail): the stored JPEG keeps no EXIF anyway."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - struct.error, TypeError... from the EXIF's own fields
        return image


def _skipped(name: str) -> bool:
    """Folders' and archivers' own files, not photos."""
    parts = PurePosixPath(name).parts
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts) or \
        parts[-1].lower() in ("thumbs.db", "desktop.ini")


# A photo's bytes, or how to read them when the import comes to it: a folder or a zip of thousands
# of photos is read one file at a time, never held whole (110 members of 10 MB zip into 1 MB).
Source = bytes | Callable[[], bytes]


def read_files(path: Path) -> list[tuple[str, Source]]:
    """(name, source) of every file in a folder (and its sub-folders) or a zip."""
    errors, files = [], []
    if path.is_dir():
        entries = sorted(p for p in path.rglob("*") if p.is_file() and not _skipped(str(p.relative_to(path))))
        if len(entries) > MAX_FILES:
            raise ImportRejected([RowError(None, None, _("more than %(n)d files", n=MAX_FILES))])
        for entry in entries:
            if entry.stat().st_size > MAX_FILE_BYTES:
                errors.append(RowError(None, None, _("%(file)s: the file is larger than %(mb)d MB", file=entry.name,
                                                     mb=MAX_FILE_BYTES // (1024 * 1024))))
            else:
                files.append((str(entry.relative_to(path)), entry.read_bytes))
    else:
        files = read_zip(path.read_bytes(), path.name)
    if errors:
        raise ImportRejected(errors)
    return files


def read_zip(data: bytes, filename: str) -> list[tuple[str, Source]]:
    """(name, source) of every photo in the zip, each read only when the import comes to it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRejected([RowError(None, None, _("%(file)s is neither a folder nor a zip file", file=filename))]) \
            from None
    except UNZIP_ERRORS as exc:  # a zip all the same, that this reader cannot open: why, in the reader's words
        raise ImportRejected([RowError(None, None, _("%(file)s cannot be read (%(cause)s)", file=filename,
                                                     cause=unreadable.cause(exc)))]) from None
    entries = [i for i in archive.infolist() if not i.is_dir() and not _skipped(i.filename)]
    if len(entries) > MAX_FILES or sum(i.file_size for i in entries) > MAX_TOTAL_BYTES:
        raise ImportRejected([RowError(None, None, _("%(file)s holds too many files or too much data", file=filename))])
    errors, files = [], []
    for info in entries:
        if info.file_size > MAX_FILE_BYTES:
            errors.append(RowError(None, None, _("%(file)s: the file is larger than %(mb)d MB", file=info.filename,
                                                 mb=MAX_FILE_BYTES // (1024 * 1024))))
        else:
            files.append((info.filename, partial(_member, archive, info)))
    if errors:
        raise ImportRejected(errors)
    return files


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as member:
            return member.read(MAX_FILE_BYTES + 1)  # the size in the header could lie: normalise refuses more
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError, an encrypted member...: named
        raise PhotoRefused(_("it cannot be read from the zip (%(cause)s)", cause=unreadable.cause(exc))) from None


def read(source: Source) -> bytes:
    return source() if callable(source) else source


@dataclass
class PhotoReport:
    imported: int = 0  # files: one named by a national ID is every application of that person's
    replaced: int = 0  # applications whose photo was replaced
    applications: list[int] = field(default_factory=list)

    def text(self) -> str:
        if len(self.applications) == self.imported:
            return _("%(n)d photos imported (%(r)d replaced).", n=self.imported, r=self.replaced)
        return _("%(n)d photos imported, for %(a)d applications (%(r)d replaced).", n=self.imported,
                 a=len(self.applications), r=self.replaced)


def _owners(round_: Round, names: list[str]) -> dict[str, list[Application]]:
    """File name -> the applications it names: a national ID (every application of that person: a
    round may take several positions per person, A1), else a candidate number ('0012' or '12')."""
    applications = db.session.scalars(select(Application).filter_by(round_id=round_.id)).all()
    by_id: dict[str, list[Application]] = {}
    for a in applications:
        by_id.setdefault(a.national_id, []).append(a)
    by_number = {a.candidate_number: a for a in applications if a.candidate_number is not None}
    owners = {}
    for name in names:
        stem = PurePosixPath(name).stem.strip()
        owned = by_id.get(stem, [])
        if not owned and stem.isascii() and stem.isdigit() and len(stem) <= 6 and int(stem) in by_number:
            owned = [by_number[int(stem)]]
        owners[name] = owned
    return owners


def import_photos(round_: Round, files: list[tuple[str, Source]], by: User | None = None, *,
                  dry_run: bool = False) -> PhotoReport:
    """All-or-nothing: every file must be a photo naming applications of the round, each once."""
    if not files:
        raise ImportRejected([RowError(None, None, _("no photo file was found"))])
    errors, ready, claimed = [], {}, {}
    owners = _owners(round_, [name for name, _data in files])
    for name, source in files:
        owned = owners[name]
        if not owned:
            errors.append(RowError(None, None, _("%(file)s: no application of round %(round)s has this national ID or "
                                                 "candidate number", file=name, round=round_.code)))
            continue
        already = next((claimed[a.id] for a in owned if a.id in claimed), None)
        if already is not None:
            errors.append(RowError(None, None, _("%(file)s: %(other)s is already a photo of the same candidate",
                                                 file=name, other=already)))
            continue
        claimed.update((a.id, name) for a in owned)
        try:
            photo = (name, *normalise(read(source)))  # the file's bytes are let go here, the small JPEG kept
        except PhotoRefused as refused:
            errors.append(RowError(None, None, f"{name}: {refused}"))
            continue
        ready.update((a.id, photo) for a in owned)
    if errors:
        raise ImportRejected(errors)
    report = PhotoReport(imported=len({name for name, *_photo in ready.values()}), applications=sorted(ready))
    if dry_run:
        return report
    existing = {p.application_id: p for p in db.session.scalars(
        select(ApplicationPhoto).where(ApplicationPhoto.application_id.in_(list(ready))))}
    changes = []
    for application_id, (name, jpeg, width, height) in ready.items():
        digest = hashlib.sha256(jpeg).hexdigest()
        photo = existing.get(application_id)
        changes.append([application_id, photo.sha256 if photo else None, digest])
        if photo is None:
            photo = ApplicationPhoto(application_id=application_id)
            db.session.add(photo)
        else:
            report.replaced += 1
        photo.data, photo.width, photo.height, photo.sha256 = jpeg, width, height, digest
        photo.source_name, photo.uploaded_at = name[:300], utcnow()
        photo.uploaded_by_id = by.id if by else None
    audit.record("photos_imported", "round", round_.id,
                 before={"photos": {a: old for a, old, _new in changes if old}},
                 after={"photos": {a: new for a, _old, new in changes}, "replaced": report.replaced},
                 actor=None if by else "cli")
    return report


def photo_of(application_id: int) -> ApplicationPhoto | None:
    return db.session.scalar(select(ApplicationPhoto).filter_by(application_id=application_id))


def with_photos(application_ids: list[int]) -> set[int]:
    if not application_ids:
        return set()
    return set(db.session.scalars(select(ApplicationPhoto.application_id)
                                  .where(ApplicationPhoto.application_id.in_(application_ids))))
