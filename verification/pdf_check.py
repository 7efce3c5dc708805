"""A scanned PDF must be a document and nothing more: parsed with pypdf (never just sniffed for
%PDF ... %%EOF, which an HTML page can carry), with at least one page, and with no JavaScript, no
automatic or triggered actions (OpenAction, AA), no launch, link-out or form-submit actions, and no
embedded or attached files. Every object in the file is looked at, reachable from the catalogue or not."""
from __future__ import annotations

import io
import logging

from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from recruitment import errors

# Keys whose mere presence makes a PDF active or a carrier of other files.
ACTIVE_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/OpenAction": "OpenAction",
               "/AA": "AA", "/EmbeddedFiles": "EmbeddedFiles", "/EF": "EmbeddedFile", "/RichMedia": "RichMedia",
               "/XFA": "XFA"}
# Action types (/S) a scan has no use for; /GoTo (a jump inside the document) is the one left.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm", "/GoToR", "/GoToE",
                  "/URI", "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Hide", "/SetOCGState", "/Named"}
ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen", "/3D"}
MAX_OBJECTS = 200_000


class PdfRefused(errors.Refused):
    pass


def check(data: bytes) -> None:
    """Raises PdfRefused saying why; returns for a plain PDF."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(_("a password-protected PDF cannot be checked; upload it without a password"))
        if len(reader.pages) < 1:
            raise PdfRefused(_("this PDF has no page"))
        found = _active_part(reader)
    except PdfRefused:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged or fake PDF
        raise PdfRefused(_("this PDF is damaged or is not a PDF")) from None
    if found:
        raise PdfRefused(_("this PDF contains %(part)s, which a scan must not; print it to a plain PDF or scan it again",
                           part=found))


def _active_part(reader: PdfReader) -> str | None:
    roots: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in getattr(reader, "xref_objStm", {}))
    seen: set[tuple[int, int]] = set()
    stack = roots
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise PdfRefused(_("this PDF has too many objects to be a scan"))
        if isinstance(item, DictionaryObject):
            for key, name in ACTIVE_KEYS.items():
                if key in item:
                    return name
            if str(item.get("/S", "")) in ACTIVE_ACTIONS:
                return str(item["/S"]).lstrip("/")
            if str(item.get("/Type", "")) in ACTIVE_TYPES or str(item.get("/Subtype", "")) in ACTIVE_TYPES:
                return str(item.get("/Subtype") or item.get("/Type")).lstrip("/")
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None
