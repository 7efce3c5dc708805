"""Every picture the bank accepted goes into the Word export. python-docx sizes a picture from the
resolution its header states and identifies a JPEG by its JFIF or Exif header: a PNG stating 12
pixels a metre (0.3 dpi, read as 0) divided by zero, and a JPEG with neither header was an
UnrecognizedImageError. Both are pictures Pillow decodes whole, so the bank took them; then one
of them answered 500 for the Word export of the whole bank."""
from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.image.image import Image as DocxImage
from PIL import Image

from questionbank import bank, image_check, word_export
from recruitment.extensions import db
from tests.support.factories import question_record


def _png(dpi: tuple[float, float] | None = None, colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG", **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def _jpeg_without_a_header() -> bytes:
    """A baseline JPEG with its JFIF (APP0) segment taken out, as some scanners and tools write it."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "JPEG")
    data = out.getvalue()
    assert data[2:4] == b"\xff\xe0"  # Pillow writes JFIF right after the start of image
    length = int.from_bytes(data[4:6], "big")
    return data[:2] + data[4 + length:]


PICTURES = {"tiny-dpi.png": _png(dpi=(0.3, 0.3)), "bare.jpg": _jpeg_without_a_header(),
            "plain.png": _png(colour="red")}


def _broken_for_python_docx(data: bytes) -> bool:
    try:
        header = DocxImage.from_blob(data)
        return not (header.width and header.height)
    except Exception:  # noqa: BLE001 - what python-docx raises on each
        return True


def test_the_pictures_are_ones_the_bank_takes_and_python_docx_cannot_place():
    assert [image_check.check(name, data) for name, data in PICTURES.items()] == ["image/png", "image/jpeg", "image/png"]
    assert [_broken_for_python_docx(data) for data in PICTURES.values()] == [True, True, False]


def _record(ref: int, name: str):
    return question_record(ref=ref, stem=f'Hình bên là gì? <img src="{name}" alt="">',
                           options=["Một", f'Hai <img src="{name}" alt="">', "Ba", "Bốn"])


def _media(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [package.read(n) for n in package.namelist() if n.startswith("word/media/")]


@pytest.mark.parametrize("name", list(PICTURES))
def test_each_picture_the_bank_took_is_in_the_word_export(app, name):
    """Before: ZeroDivisionError (the PNG) and UnrecognizedImageError (the JPEG) out of to_docx."""
    with app.test_request_context():
        data = word_export.to_docx([_record(1, name)], {name: PICTURES[name]})
    document = Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 2  # in the stem and in option B
    assert all(shape.width > 0 and shape.height > 0 for shape in document.inline_shapes)
    if name == "plain.png":  # a picture python-docx reads is exported as it is stored
        assert PICTURES[name] in _media(data)


def test_a_stored_picture_nothing_can_read_leaves_a_note_and_the_rest_exports(app):
    """A picture stored before the bank checked them: the export says so in its place."""
    with app.test_request_context():
        data = word_export.to_docx([_record(1, "lost.png"), _record(2, "plain.png")],
                                   {"lost.png": b"not a picture", "plain.png": PICTURES["plain.png"]})
    document = Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 2
    assert sum("lost.png" in p.text for p in document.paragraphs) == 2, [p.text for p in document.paragraphs]


def test_the_word_export_page_of_a_bank_with_such_pictures(app, client, make_user, login):
    """Before: one such picture answered 500 for the export of the whole bank, with keys or without."""
    setter = make_user("tac_gia", "question_setter")
    records = [_record(n, name) for n, name in enumerate(PICTURES, start=1)]
    for record in records:
        record.images = {name: PICTURES[name] for name in PICTURES if name in record.stem}
    bank.import_records(records, setter, filename="bank.docx")
    db.session.commit()
    login(setter)
    for url in ("/questions/export.docx", "/questions/export.docx?keys=1"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(Document(io.BytesIO(response.data)).inline_shapes) == 2 * len(PICTURES)
