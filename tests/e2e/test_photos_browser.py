"""HR imports the candidates' identity photos in Debian's chromium (a wrong zip is refused naming
its file, then the right one goes in), and the proctor of the room sees each photo beside the seat."""
from __future__ import annotations

import io
import zipfile

from exam.day.models import Room, Sitting
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.photos_demo import avatar
from tests.support.browser import browser_login, submit
from tests.support.factories import build_day


def _zip(path, files: dict[str, bytes]):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())
    return str(path)


def test_hr_imports_photos_and_the_rooms_proctor_sees_them(live_server, new_context, make_user, tmp_path):
    app = live_server.app
    with app.app_context():
        day = build_day(tmp_path, candidates=2)
        make_user("nhansu", "hr")
        proctor = make_user("giamthi", "proctor")
        room = db.session.scalar(db.select(Room).join(Sitting).where(Sitting.id == day.sitting_id))
        room.staff.append(proctor)
        db.session.commit()
        numbers = [a.number_label for a in db.session.scalars(db.select(Application).order_by(Application.candidate_number))]
        db.session.remove()

    hr = new_context().new_page()
    browser_login(hr, live_server, "nhansu")
    hr.goto(live_server(f"/hr/rounds/{day.round_id}"))
    hr.click("#round-photos")
    hr.wait_for_url("**/photos")
    hr.set_input_files("#archive", _zip(tmp_path / "sai.zip", {f"{numbers[0]}.jpg": avatar("A"),
                                                                  "danh-sach.xlsx": b"PK\x03\x04 not a photo"}))
    submit(hr, "#upload-photos")
    assert "danh-sach.xlsx" in hr.inner_text("#photo-errors")
    hr.set_input_files("#archive", _zip(tmp_path / "anh.zip", {f"{n}.jpg": avatar(n) for n in numbers}))
    submit(hr, "#upload-photos")
    assert hr.locator(".flash.success").is_visible() and "2" in hr.inner_text("#photo-count")

    console = new_context().new_page()
    browser_login(console, live_server, "giamthi")
    console.goto(live_server(f"/exam/sittings/{day.sitting_id}"))
    photos = console.locator("img.seat-photo")
    assert photos.count() == 2
    photos.first.scroll_into_view_if_needed()
    console.wait_for_function("() => [...document.querySelectorAll('img.seat-photo')].every(i => i.complete && i.naturalWidth > 0)")
