"""Dossier scans (issue "Files in", item 5): a PDF is parsed, not sniffed; scripts, actions, launches
and embedded files are refused; a scan is only ever served as an attachment, sandboxed."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen import canvas

from verification import uploads
from verification.models import Document
from verification.uploads import UploadRefused, check


def _clean_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.drawString(100, 750, "Bang tot nghiep")
    c.save()
    return out.getvalue()


def _written(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://example.com")})


def _page_aa(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})})


def _launch_annotation(writer):
    from pypdf.generic import ArrayObject, FloatObject
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): TextStringObject("cmd.exe")})})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


HOSTILE = {
    "html-body": b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
    "javascript": _written(lambda w: w.add_js("app.alert('x');")),
    "open-action": _written(_open_action),
    "page-additional-actions": _written(_page_aa),
    "launch": _written(_launch_annotation),
    "embedded-file": _written(lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00")),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_active_or_fake_pdfs_are_refused(app, case):
    with pytest.raises(UploadRefused):
        check("bang.pdf", HOSTILE[case])


def test_a_plain_pdf_is_accepted(app):
    assert check("bang.pdf", _clean_pdf()) == "application/pdf"
    assert check("bang.pdf", _written(lambda w: None)) == "application/pdf"


@pytest.mark.parametrize("mime", ["application/pdf", "image/png"])
def test_scans_are_served_as_sandboxed_attachments(app, mime):
    from verification.views import _send_scan

    document = Document(id=7, mime=mime, stored_name=uploads.store(b"%PDF-1.4 fake", mime))
    with app.test_request_context():
        response = _send_scan(document)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
