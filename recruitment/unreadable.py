"""Why a file someone sent cannot be read, in the reader's words. The decompressor's, the CSV reader's
and the parsers' own are English ("Bad CRC-32 for file ...", "Error -3 while decompressing data",
"new-line character seen in unquoted field"), and an error's class name (BadZipFile) is a code: each
kind of failure HR and the question setters meet is named here by its type (a message may quote a
name from the file), and whatever else is "damaged"."""
from __future__ import annotations

import csv
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from flask_babel import gettext as _

# An OLE compound file's signature (MS-CFB 2.2). Office saves a workbook or Word file with a password
# to open as one (the zip encrypted inside it), and its 97-2003 formats (.xls, .doc) are one too: the
# zip reader says only that it is not a zip.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def cause(error: BaseException, *, xml_file: bool = False, data: bytes | None = None) -> str:
    """xml_file: the file is the XML itself, so a parser's line and column point into what the reader sent.
    data: the file, for an Office file sent as a zip package (.xlsx, .docx)."""
    if data is not None and data.startswith(OLE_SIGNATURE):
        return _("it is protected by a password, or saved in the old Office format (.xls, .doc): open it, "
                 "remove the password and save it again as .xlsx or .docx")
    text = str(error).lower()
    kind = type(error).__name__
    if isinstance(error, RuntimeError) and "encrypted" in text:  # zipfile: "File %r is encrypted, password required"
        return _("it is protected by a password")
    if isinstance(error, NotImplementedError):  # zipfile: "That compression method is not supported"
        return _("it is compressed in a way that cannot be read")
    if isinstance(error, UnicodeDecodeError):  # zipfile: a member name flagged UTF-8 that is not UTF-8
        return _("the name of a file inside it cannot be read")
    if isinstance(error, zipfile.LargeZipFile):
        return _("it is too large")
    if isinstance(error, zipfile.BadZipFile):
        if text.startswith("bad crc-32"):
            return _("its contents do not match their checksum")
        if text.startswith("file is not a zip file"):
            return _("it is not a zip package (.xlsx and .docx files are)")
        return _("it is damaged")
    if kind == "PackageNotFoundError":  # python-docx: not a package at all
        return _("it is not a zip package (.xlsx and .docx files are)")
    if isinstance(error, ValueError) and "is not a word file" in text:  # python-docx: a package of another kind
        return _("it is not a Word document")
    if isinstance(error, EOFError) or isinstance(error, zlib.error) and "truncated" in text:
        return _("it is cut short")
    if isinstance(error, zlib.error):
        return _("it cannot be decompressed")
    if isinstance(error, KeyError):  # a part the package lists is missing
        return _("a part it needs is missing")
    if isinstance(error, csv.Error):  # rare since Python 3.11 ("new-line character seen in unquoted field")
        return _("its quotes or line breaks do not match")
    if kind.startswith(("DefusedXml", "EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden")):
        return _("it declares entities or a DTD, which are refused")
    if xml_file and isinstance(error, ParseError) and getattr(error, "position", None):
        line, column = error.position
        return _("it is not well-formed XML at line %(line)s, column %(column)s", line=line, column=column + 1)
    return _("it is damaged")
