"""Hostile or careless Word question banks end in a clean, all-or-nothing refusal, never a 500 and
never unbounded memory; what Word writes between words (a line break, a non-breaking hyphen) stays."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from questionbank.models import Question
from recruitment.extensions import db
from tests.support.bounded import in_bounded_memory
from tests.support.hostile import rewrite
from tests.support.wordbank import word_file

BANK = ["Câu 1. Thủ đô của Việt Nam?", "A. Hà Nội*", "B. Huế"]


def _upload(client, data: bytes):
    form = {"file": (io.BytesIO(data), "bank.docx"), "section": "general", "difficulty": "2", "topic": "Địa lý"}
    return client.post("/questions/import", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize("part, xml", [
    ("word/numbering.xml", b"<w:numbering xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:num"),
    ("word/styles.xml", b"<w:styles><oops"),
    ("word/document.xml", b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"),
])
def test_a_docx_with_a_broken_xml_part_is_refused_not_a_500(client, make_user, login, part, xml):
    """A .docx whose numbering, styles or document part is not well-formed XML (a truncated or
    hand-edited file) raises lxml's XMLSyntaxError out of python-docx; word.parse only catches
    PackageNotFoundError/BadZipFile/KeyError/ValueError, so the upload answers 500."""
    login(make_user("tac_gia", "question_setter"))
    response = _upload(client, rewrite(word_file(*BANK), {part: xml}))
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def _with_a_picture() -> bytes:
    """One question whose stem holds a small picture."""
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    png.seek(0)
    document = Document()
    document.add_paragraph("Câu 1. Biển báo nào? ").add_run().add_picture(png)
    document.add_paragraph("A. Cấm*")
    document.add_paragraph("B. Nguy hiểm")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bomb_docx(path: Path, inflated: int) -> None:
    """A valid question whose picture part inflates to `inflated` bytes of zeros (a few MB zipped)."""
    with zipfile.ZipFile(io.BytesIO(_with_a_picture())) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename.startswith("word/media/"):
                with zout.open(info.filename, "w", force_zip64=True) as member:
                    chunk = b"\0" * (1 << 24)
                    for _ in range(inflated // len(chunk)):
                        member.write(chunk)
            else:
                zout.writestr(info.filename, zin.read(info.filename))


def test_a_zip_bomb_docx_is_refused_in_bounded_memory(tmp_path):
    """A 1.5 GB picture zipped into ~2 MB (under MAX_CONTENT_LENGTH): python-docx inflates every
    part into memory before any check, so the importer needs > 1 GB (4.2 GB peak RSS measured for a
    2 GB part). The spreadsheet reader refuses such a zip from its listed sizes (sheet_rows._check_zip);
    the Word importer does not."""
    path = tmp_path / "bomb.docx"
    _bomb_docx(path, 3 * (1 << 28))  # 768 MB: over the 256 MB the import takes
    assert path.stat().st_size < 32 * 1024 * 1024
    printed = in_bounded_memory(tmp_path, f"""
        from recruitment.tabular import ImportRejected
        from questionbank import importers
        try:
            importers.parse("bomb.docx", open({str(path)!r}, "rb").read(), {{"topic": "T"}})
            print("PARSED")
        except ImportRejected as rejected:
            print("REJECTED", rejected.errors[0].message)
    """)
    assert printed.startswith("REJECTED"), printed


def test_a_line_break_and_a_non_breaking_hyphen_keep_the_words_apart(app):
    """word._paragraph_text keeps only w:t, w:tab and pictures of a run: a manual line break
    (Shift+Enter, w:br) and a non-breaking hyphen (Ctrl+Shift+-, w:noBreakHyphen) vanish, so
    'dòng một' + line break + 'dòng hai' is imported as 'dòng mộtdòng hai', and COVID-19 as COVID19 -
    the candidate reads a changed question and no error or preview warns."""
    from docx.oxml import OxmlElement

    from questionbank import importers

    document = Document()
    stem = document.add_paragraph("Câu 1. Dòng một")
    run = stem.add_run()
    run.add_break()
    run.add_text("dòng hai, mã COVID")
    hyphen = stem.add_run()
    hyphen._r.append(OxmlElement("w:noBreakHyphen"))
    hyphen.add_text("19")
    document.add_paragraph("A. Có*")
    document.add_paragraph("B. Không")
    out = io.BytesIO()
    document.save(out)
    record, = importers.parse("bank.docx", out.getvalue(), {"topic": "T"}).records
    assert "mộtdòng" not in record.stem and "COVID19" not in record.stem, record.stem


def test_held_external_and_expanding_entities_are_never_resolved(app):
    """python-docx's parser does not resolve entities (file:///etc/passwd, billion laughs)."""
    from questionbank import importers
    from recruitment.tabular import ImportRejected

    base = word_file("Câu 1. Thủ đô?", "A. Hà Nội*", "B. Huế")
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        xml = z.read("word/document.xml").decode()
    for doctype in ('<!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                    '<!ENTITY e "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'):
        hostile = xml.replace("<w:document", doctype + "<w:document", 1).replace("Thủ đô?", "&e;")
        try:
            records = importers.parse("b.docx", rewrite(base, {"word/document.xml": hostile.encode()}), {"topic": "T"}).records
        except ImportRejected:
            continue
        assert "root:" not in records[0].stem and "aaaa" not in records[0].stem


def test_a_picture_linked_to_a_file_outside_the_document_is_an_error_naming_its_question(app):
    """Word's "Link to File" keeps only the picture's path (r:link, an external relationship): the
    question was imported without its picture, and nothing said so."""
    from questionbank import importers
    from recruitment.tabular import ImportRejected

    embedded = _with_a_picture()
    with zipfile.ZipFile(io.BytesIO(embedded)) as z:
        xml, rels = z.read("word/document.xml").decode(), z.read("word/_rels/document.xml.rels").decode()
    linked = xml.replace("r:embed=", "r:link=")
    rels = re.sub(r'Target="media/[^"]+"', 'Target="file:///C:/Anh/bien-bao.png" TargetMode="External"', rels)
    data = rewrite(embedded, {"word/document.xml": linked.encode(), "word/_rels/document.xml.rels": rels.encode()})
    with pytest.raises(ImportRejected) as rejected:
        importers.parse("bank.docx", data, {"topic": "T"})
    assert [(e.row, "linked" in e.message or "liên kết" in e.message) for e in rejected.value.errors] == [(1, True)]


@pytest.mark.parametrize("char", ["\ufffc", "\ufdd0"], ids=["object-replacement", "noncharacter"])
def test_a_character_the_importer_uses_as_a_marker_typed_in_the_text_is_dropped(app, char):
    """The importer marks a picture in a paragraph's text with U+FFFC and a pictograph with U+FDD0.
    The same character typed in the text (U+FFFC comes with text pasted from a browser: it stood for
    an object that was not copied) was taken for a marker: a stem with one took the picture's place
    and, with no picture left, the import crashed ("RuntimeError: generator raised StopIteration", a
    500); a U+FDD0 was imported into the question as it was."""
    from questionbank import importers

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    png.seek(0)
    document = Document()
    stem = document.add_paragraph(f"Câu 1. Biểu tượng {char} trong văn bản là gì? ")
    stem.add_run().add_picture(png)
    document.add_paragraph(f"A. Một {char}*")
    document.add_paragraph("B. Hai")
    document.add_paragraph(f"Câu 2. Chỉ có {char} mà không có hình?")
    document.add_paragraph("A. Có*")
    document.add_paragraph("B. Không")
    out = io.BytesIO()
    document.save(out)
    first, second = importers.parse("bank.docx", out.getvalue(), {"topic": "T"}).records
    assert char not in first.stem + "".join(first.options) + second.stem, (first.stem, first.options, second.stem)
    assert "Biểu tượng" in first.stem and first.stem.count("<img") == 1 and len(first.images) == 1, first.stem
    assert first.answer == [0] and "Một" in first.options[0]
    assert "Chỉ có" in second.stem and "<img" not in second.stem and not second.images
