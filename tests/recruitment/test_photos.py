"""Identity photos (from a folder, a zip or the HR page): decoded and downscaled with Pillow, anything
that is not an image refused with its file named, a pixel bound against decompression bombs,
all-or-nothing; served only to HR, the supervisor and the staff of the candidate's room; printed on
the admission tickets and the room list."""
from __future__ import annotations

import io
import zipfile

import pytest
from flask_babel import force_locale
from PIL import Image
from pypdf import PdfReader

from exam.day import papers
from exam.day.models import Placement, Room, Sitting
from recruitment import photos
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.photos_demo import avatar
from recruitment.tabular import ImportRejected
from tests.support.factories import build_day


def _png(size=(800, 1000), colour="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def day(app, tmp_path):
    return build_day(tmp_path, candidates=3)


def _applications(day) -> list[Application]:
    return list(db.session.scalars(db.select(Application).filter_by(round_id=day.round_id)
                                   .order_by(Application.candidate_number)))


def test_photos_by_candidate_number_or_national_id_are_downscaled_jpegs(day):
    first, second, _third = _applications(day)
    round_ = db.session.get(Round, day.round_id)
    report = photos.import_photos(round_, [(f"{first.number_label}.png", _png()),
                                           (f"anh/{second.national_id}.jpg", avatar("Trần Văn B"))])
    db.session.commit()
    assert report.imported == 2 and report.replaced == 0
    stored = photos.photo_of(first.id)
    image = Image.open(io.BytesIO(stored.data))
    assert image.format == "JPEG" and max(image.size) <= 480 and image.size == (stored.width, stored.height)
    assert photos.photo_of(second.id) is not None
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="photos_imported")).one()
    assert str(first.id) in entry.after
    again = photos.import_photos(round_, [(f"{int(first.candidate_number)}.png", _png(colour="red"))])
    assert again.replaced == 1


def test_one_photo_of_a_person_with_two_applications_counts_once(day):
    """A national ID names every application of that person (A1: several positions per person): one
    file is one photo imported, for two applications; it was counted as two photos."""
    first, second, _third = _applications(day)
    second.national_id = first.national_id
    db.session.flush()
    report = photos.import_photos(db.session.get(Round, day.round_id), [(f"{first.national_id}.png", _png())])
    db.session.commit()
    assert report.imported == 1 and report.applications == sorted([first.id, second.id])
    with force_locale("vi"):
        assert report.text() == "Đã nhập 1 ảnh, cho 2 hồ sơ (thay thế ảnh của 0 hồ sơ)."
    assert photos.photo_of(first.id) is not None and photos.photo_of(second.id) is not None


def test_not_an_image_a_bomb_an_unknown_candidate_and_a_twin_are_refused_and_nothing_is_written(day):
    first, second, third = _applications(day)
    round_ = db.session.get(Round, day.round_id)
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 megapixels, a few kilobytes
    files = [(f"{first.number_label}.jpg", b"%PDF-1.4 not a photo"), (f"{second.number_label}.png", bomb.getvalue()),
             ("999999999999.jpg", _png()), (f"{third.number_label}.png", _png()), (f"{third.national_id}.jpg", _png()),
             (f"{first.national_id}.gif", b"GIF89a\x01\x00")]
    with force_locale("en"), pytest.raises(ImportRejected) as caught:
        photos.import_photos(round_, files)
    messages = [e.message for e in caught.value.errors]
    assert any(m.startswith(f"{first.number_label}.jpg: it is not an image") for m in messages)
    assert any(m.startswith(f"{second.number_label}.png: the image has too many pixels") for m in messages)
    assert any(m.startswith("999999999999.jpg: no application") for m in messages)
    assert any(m.startswith(f"{third.national_id}.jpg:") and f"{third.number_label}.png" in m for m in messages)
    assert any(m.startswith(f"{first.national_id}.gif:") for m in messages)
    assert db.session.scalar(db.select(db.func.count()).select_from(photos.ApplicationPhoto)) == 0


def test_the_command_reads_a_folder_or_a_zip(day, app, tmp_path):
    first, second, _third = _applications(day)
    folder = tmp_path / "anh"
    folder.mkdir()
    (folder / f"{first.number_label}.jpg").write_bytes(avatar("A"))
    (folder / ".DS_Store").write_bytes(b"junk")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["applications", "photos", "--round", "DAY", str(folder)])
    assert result.exit_code == 0 and "1 photo(s) imported" in result.output
    archive = tmp_path / "anh.zip"
    archive.write_bytes(_zip({f"{second.number_label}.jpg": avatar("B"), "__MACOSX/._x.jpg": b"x",
                              "notes.txt": b"danh sach"}))
    result = runner.invoke(args=["applications", "photos", "--round", "DAY", "--lang", "en", str(archive)])
    assert result.exit_code == 2 and "notes.txt" in result.output and "nothing was imported" in result.output
    assert photos.photo_of(second.id) is None


def test_the_photo_is_served_to_hr_the_supervisor_and_the_rooms_staff_only(day, client, make_user, login):
    first = _applications(day)[0]
    photos.import_photos(db.session.get(Round, day.round_id), [(f"{first.number_label}.jpg", avatar("A"))])
    room = db.session.scalar(db.select(Room).join(Sitting).where(Sitting.id == day.sitting_id))
    inside = make_user("gt1", "proctor")
    room.staff.append(inside)
    db.session.commit()
    placement = db.session.scalar(db.select(Placement).join(Placement.attempt).filter_by(application_id=first.id))
    url = f"/exam/sittings/placements/{placement.id}/photo.jpg"
    for username, roles, status in (("gt1", None, 200), ("gt2", "proctor", 403), ("chair", "council_chair", 403),
                                    ("hr1", "hr", 200), ("sup", "supervisor", 200)):
        user = inside if roles is None else make_user(username, roles)
        login(user)
        response = client.get(url)
        assert response.status_code == status, username
        if status == 200:
            assert response.mimetype == "image/jpeg" and "max-age" in response.headers["Cache-Control"]
    login(make_user("hr2", "hr"))
    assert client.get(f"/hr/applications/{first.id}/photo.jpg").status_code == 200
    assert "application-photo" in client.get(f"/hr/applications/{first.id}").get_data(as_text=True)
    login(inside)
    assert client.get(f"/hr/applications/{first.id}/photo.jpg").status_code == 403
    assert "seat-photo" in client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)


def test_tickets_and_the_room_list_carry_the_photo(day):
    applications = _applications(day)
    photos.import_photos(db.session.get(Round, day.round_id), [(f"{a.number_label}.jpg", avatar(a.full_name))
                                                               for a in applications[:2]])
    db.session.commit()
    sitting = db.session.get(Sitting, day.sitting_id)
    codes = {p.id: "123456" for p in db.session.scalars(db.select(Placement).filter_by(sitting_id=sitting.id))}
    tickets = PdfReader(io.BytesIO(papers.tickets(sitting, codes, photos_shown=lambda room: True)))
    assert sum(len(page.images) for page in tickets.pages) == 2
    room_list = PdfReader(io.BytesIO(papers.room_results_pdf(sitting.rooms[0], photos_shown=True)))
    assert sum(len(page.images) for page in room_list.pages) == 2
