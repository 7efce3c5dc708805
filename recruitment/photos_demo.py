"""Demo identity photos: a plain drawn avatar per admitted candidate (a silhouette on a colour of
their own, with their initials), imported through photos.import_photos like a folder of real photos,
so that the admission tickets, room lists and the proctor console show them."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from . import photos
from .models import Application
from .vietnamese import fold

FONT = Path(__file__).resolve().parents[1] / "static" / "fonts" / "DejaVuSans-Bold.ttf"


def avatar(name: str, size: tuple[int, int] = (300, 400)) -> bytes:
    digest = hashlib.sha256(name.encode()).digest()
    background = (120 + digest[0] % 100, 120 + digest[1] % 100, 120 + digest[2] % 100)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse([w * 0.3, h * 0.16, w * 0.7, h * 0.5], fill=(240, 224, 205))  # head
    draw.ellipse([w * 0.12, h * 0.55, w * 0.88, h * 1.2], fill=(40 + digest[3] % 60, 60, 90))  # shoulders
    initials = "".join(word[0] for word in fold(name).upper().split()[-2:])
    draw.text((w / 2, h * 0.86), initials, fill="white", anchor="mm", font=ImageFont.truetype(str(FONT), 48))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def load(round_, applications: list[Application]) -> int:
    files = [(f"{a.number_label}.jpg", avatar(a.full_name)) for a in applications if a.candidate_number is not None]
    return photos.import_photos(round_, files).imported
