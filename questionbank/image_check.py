"""An image kept in the bank is one Pillow has decoded whole: a PNG, JPEG or GIF within a byte and a
pixel bound (the pixel bound is read from the header, before decoding, so a small file that would
inflate to gigabytes of pixels — a decompression bomb — is refused without being decoded)."""
from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _
from PIL import Image

from recruitment import errors

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 16_000_000  # 4000 x 4000, far above what a question needs


class ImageRefused(errors.Refused):
    pass


def check(name: str, data: bytes) -> str:
    """The image's MIME type, or ImageRefused saying why in the user's language."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(_("%(name)s is larger than %(mb)d MB", name=name, mb=MAX_IMAGE_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS:
                    raise ImageRefused(_("%(name)s is not a PNG, JPEG or GIF image", name=name))
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageRefused(_("%(name)s has %(n)s pixels; the limit is %(max)s pixels", name=name,
                                         n=f"{width * height:,}", max=f"{MAX_PIXELS:,}"))
                image.load()  # decodes every byte: a truncated or random body fails here
                return FORMATS[image.format]
    except ImageRefused:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on a broken image
        raise ImageRefused(_("%(name)s is not a readable PNG, JPEG or GIF image", name=name)) from None
