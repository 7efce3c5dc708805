"""Photos in and out, as an attacker or a careless file would try them: who sees a candidate's photo
through the printed room list and tickets, what a zip of photos costs in memory, a photo whose EXIF
is broken, and photos named by national ID in a round that takes several positions per person."""
from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from exam.day.models import Room, Sitting
from recruitment import importing, photos, tabular
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.photos_demo import avatar
from recruitment.tabular import ImportRejected
from tests.support.bounded import in_bounded_memory
from tests.support.factories import build_day, make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row


def test_the_chair_gets_no_photo_through_the_room_list_pdf(app, client, make_user, login, tmp_path):
    """console.may_see_photos: 'the staff of that room, HR and the supervisor; no one else, not even
    the chair' - and /photo.jpg answers the chair 403 (tests/recruitment/test_photos.py). But the
    room's result list (G4), which the chair may download for every room, embeds every candidate's
    photo (papers.room_results_pdf -> _photo) whoever asks."""
    day = build_day(tmp_path, candidates=3)
    applications = db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)).all()
    photos.import_photos(db.session.get(Round, day.round_id), [(f"{a.number_label}.jpg", avatar(a.full_name))
                                                               for a in applications])
    db.session.commit()
    room = db.session.scalar(db.select(Room).join(Sitting).where(Sitting.id == day.sitting_id))
    login(make_user("chair", "council_chair"))
    response = client.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.pdf")
    assert response.status_code == 200
    pictures = sum(len(page.images) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert pictures == 0  # was 3, one per candidate


def test_tickets_carry_photos_only_for_who_may_see_them(app, client, make_user, login, tmp_path):
    """The chair may issue new tickets for a sitting, but the photos on them are for the door's staff
    and HR: the chair's tickets print without them, HR's with them."""
    day = build_day(tmp_path, candidates=2)
    applications = db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)).all()
    photos.import_photos(db.session.get(Round, day.round_id), [(f"{a.number_label}.jpg", avatar(a.full_name))
                                                               for a in applications])
    db.session.commit()
    pictures = {}
    for role in ("council_chair", "hr"):
        login(make_user(f"{role}-1", role))
        response = client.post(f"/exam/sittings/{day.sitting_id}/tickets.pdf", data={"confirmed": "1"})
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        pictures[role] = sum(len(page.images) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert pictures == {"council_chair": 0, "hr": 2}


def test_a_zip_of_photos_is_not_inflated_whole_into_memory(tmp_path):
    """110 members of 10 MB of zeros (each at the per-file bound, 1.1 GB in all, under the 2 GB
    MAX_TOTAL_BYTES) zip to ~1.1 MB, under MAX_CONTENT_LENGTH. read_zip read every member into one
    list before any was checked, so the request (or job) held all of it at once: under a 1 GB
    address-space cap it died with MemoryError instead of refusing 110 'not an image' files."""
    path = tmp_path / "photos.zip"
    zeros = b"\0" * (10 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(110):
            archive.writestr(f"{i:04d}.jpg", zeros)
    assert path.stat().st_size < 32 * 1024 * 1024
    printed = in_bounded_memory(tmp_path, f"""
        from recruitment import photos
        from recruitment.tabular import ImportRejected
        try:
            for name, source in photos.read_zip(open({str(path)!r}, "rb").read(), "photos.zip"):
                photos.normalise(photos.read(source))
            print("READ")
        except (ImportRejected, photos.PhotoRefused):
            print("REFUSED")
    """)
    assert printed.startswith("REFUSED"), printed


def test_a_photo_named_by_national_id_reaches_every_application_of_that_person(app):
    """A1: a round may let one person apply to several positions. photos._owners maps a national ID
    to ONE application (a dict keyed by national_id: the last one wins), so the person's other
    application - its admission ticket, its room list - silently has no photo, and no error says so."""
    round_ = make_round(several_positions=True)
    importing.import_positions(round_, "p.xlsx", tabular.xlsx_bytes([("d", POSITION_HEADERS, POSITIONS)]))
    rows = [application_row("031000000001", "Trần Văn An", position="TC-01"),
            application_row("031000000001", "Trần Văn An", position="VT-02", degree="dai_hoc")]
    importing.import_applications(round_, "a.xlsx", tabular.xlsx_bytes([("d", APPLICATION_HEADERS, rows)]))
    db.session.commit()
    both = db.session.scalars(db.select(Application).filter_by(round_id=round_.id)).all()
    assert len(both) == 2
    try:
        photos.import_photos(round_, [("031000000001.jpg", avatar("Trần Văn An"))])
    except tabular.ImportRejected:
        return  # an error asking for candidate numbers would also do
    assert [photos.photo_of(a.id) is not None for a in both] == [True, True]  # was one of the two


def _jpeg_with_a_text_in_a_number_tag() -> bytes:
    """A camera-like JPEG (orientation 6, so exif_transpose rewrites the EXIF) whose EXIF holds tag
    293 (T6Options, a LONG) typed as ASCII text - one flipped byte of a real file."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = "x" * 100
    raw = exif.tobytes().replace(b"\x01\x0e\x00\x02", b"\x01\x25\x00\x02", 1)
    out = io.BytesIO()
    Image.new("RGB", (100, 120), "red").save(out, "JPEG", exif=raw)
    return out.getvalue()


def test_a_photo_with_broken_exif_is_imported_not_a_500(app, client, make_user, login, tmp_path):
    """ImageOps.exif_transpose re-packs the EXIF and raised struct.error, which escaped normalise:
    the HR upload answered 500. The photo is kept as it is, without its EXIF, as every stored photo."""
    day = build_day(tmp_path, candidates=1)
    first = db.session.scalar(db.select(Application).filter_by(round_id=day.round_id))
    login(make_user("hr1", "hr"))
    response = client.post(f"/hr/rounds/{day.round_id}/photos", content_type="multipart/form-data",
                           data={"images": [(io.BytesIO(_jpeg_with_a_text_in_a_number_tag()), f"{first.number_label}.jpg")]})
    assert response.status_code == 302  # imported as it is (its EXIF cannot be read back), not a 500
    stored = photos.photo_of(first.id)
    assert stored is not None and (stored.width, stored.height) == (100, 120)


def _damaged_zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    raw = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + 40):  # scramble the deflate stream, sizes and header intact
        raw[i] ^= 0xA5
    return bytes(raw)


def test_damaged_member_is_refused_not_a_500(app, tmp_path):
    day = build_day(tmp_path, candidates=1)
    application = db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)).first()
    archive = _damaged_zip(f"{application.number_label}.jpg", avatar(application.full_name))
    files = photos.read_zip(archive, "photos.zip")
    with pytest.raises(ImportRejected):  # zlib.error escaped: a 500 on the page and in the job
        photos.import_photos(db.session.get(Round, day.round_id), files)


def test_damaged_member_in_upload_view(app, client, make_user, login, tmp_path):
    day = build_day(tmp_path, candidates=1)
    application = db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)).first()
    archive = _damaged_zip(f"{application.number_label}.jpg", avatar(application.full_name))
    login(make_user("hr-1", "hr"))
    response = client.post(f"/hr/rounds/{day.round_id}/photos",
                           data={"archive": (io.BytesIO(archive), "photos.zip")}, content_type="multipart/form-data")
    assert response.status_code == 422


def test_every_damaged_member_of_a_zip_sent_beside_files_is_named(app, client, make_user, login, tmp_path):
    """A big upload (a zip and photo files at once) is put into one zip for its job: the first damaged
    member stopped that, and HR learnt of one bad photo per try."""
    app.config["IMPORT_BACKGROUND_BYTES"] = 1
    day = build_day(tmp_path, candidates=3)
    first, second, third = db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)
                                               .order_by(Application.candidate_number)).all()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for application in (first, second):
            archive.writestr(f"{application.number_label}.jpg", avatar(application.full_name))
    raw = bytearray(out.getvalue())
    for info in zipfile.ZipFile(io.BytesIO(bytes(raw))).infolist():
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start, start + 40):
            raw[i] ^= 0xA5
    login(make_user("hr-1", "hr"))
    response = client.post(f"/hr/rounds/{day.round_id}/photos", content_type="multipart/form-data", data={
        "archive": (io.BytesIO(bytes(raw)), "photos.zip"),
        "images": [(io.BytesIO(avatar(third.full_name)), f"{third.number_label}.jpg")]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{first.number_label}.jpg" in page and f"{second.number_label}.jpg" in page
