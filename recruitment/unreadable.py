"""Why a file someone sent cannot be read, in the reader's words. The decompressor's and the parsers'
own are English ("Bad CRC-32 for file ...", "Error -3 while decompressing data"), and an error's
class name (BadZipFile) is a code: each kind of failure HR and the question setters meet is named
here, and whatever else is "damaged"."""
from __future__ import annotations

import zipfile
import zlib

from flask_babel import gettext as _


def cause(error: BaseException) -> str:
    text = str(error).lower()
    if "encrypted" in text or "password" in text:
        return _("it is protected by a password")
    if isinstance(error, NotImplementedError) or "compression method" in text:
        return _("it is compressed in a way that cannot be read")
    if "crc" in text:
        return _("its contents do not match their checksum")
    if isinstance(error, zipfile.LargeZipFile):
        return _("it is too large")
    if isinstance(error, EOFError) or "truncated" in text or "unexpected end" in text:
        return _("it is cut short")
    if "not a zip file" in text or type(error).__name__ == "PackageNotFoundError":
        return _("it is not a zip package (.xlsx and .docx files are)")
    if "is not a word file" in text:  # python-docx: a package of another kind (a workbook renamed .docx)
        return _("it is not a Word document")
    if isinstance(error, zlib.error):
        return _("it cannot be decompressed")
    if isinstance(error, KeyError):
        return _("a part it needs is missing")
    return _("it is damaged")
