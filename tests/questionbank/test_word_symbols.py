"""Characters a Word bank writes in a symbol font: Insert > Symbol (w:sym, "x ≥ 5") and older files'
letters set in the Symbol font ("a" that shows α). They were dropped or read as the letter stored,
so the candidate read a question that says something else, and no error or preview warned."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from questionbank import importers
from recruitment.tabular import ImportRejected


def _bank(stem_runs) -> bytes:
    document = Document()
    stem = document.add_paragraph("Câu 1. Chọn điều kiện: x ")
    for add in stem_runs:
        add(stem)
    document.add_paragraph("A. Đúng*")
    document.add_paragraph("B. Sai")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _inserted_symbol(font: str, char: str):
    def add(paragraph):
        sym = OxmlElement("w:sym")
        sym.set(qn("w:font"), font)
        sym.set(qn("w:char"), char)
        paragraph.add_run()._r.append(sym)
    return add


def _in_font(font: str, text: str):
    def add(paragraph):
        paragraph.add_run(text).font.name = font
    return add


def _text(text: str):
    return lambda paragraph: paragraph.add_run(text)


def test_a_symbol_inserted_from_the_symbol_font_is_its_character():
    data = _bank([_inserted_symbol("Symbol", "F0B3"), _text(" 5 và góc "), _inserted_symbol("Symbol", "F061"),
                  _text(" "), _inserted_symbol("Symbol", "F0B1"), _text(" 1")])
    record, = importers.parse("bank.docx", data, {"topic": "T"}).records
    assert "x ≥ 5 và góc α ± 1" in record.stem, record.stem


def test_letters_set_in_the_symbol_font_are_the_greek_letters_shown():
    data = _bank([_in_font("Symbol", "a"), _text(" + "), _in_font("Symbol", "b"), _text(" = 90°")])
    record, = importers.parse("bank.docx", data, {"topic": "T"}).records
    assert "x α + β = 90°" in record.stem, record.stem


def test_a_pictograph_with_no_text_form_is_an_error_naming_its_question_and_font():
    data = _bank([_inserted_symbol("Wingdings", "F0FC"), _text(" đúng")])
    with pytest.raises(ImportRejected) as rejected:
        importers.parse("bank.docx", data, {"topic": "T"})
    errors = rejected.value.errors
    assert [e.row for e in errors] == [1] and "Wingdings" in errors[0].message, errors


def test_a_plain_font_s_inserted_character_is_kept():
    """Insert > Symbol from a text font writes w:sym too, with the character's own code."""
    data = _bank([_inserted_symbol("Times New Roman", "2264"), _text(" 5")])
    record, = importers.parse("bank.docx", data, {"topic": "T"}).records
    assert "x ≤ 5" in record.stem, record.stem


def test_a_space_set_in_a_pictograph_font_is_a_space():
    data = _bank([_text("lớn hơn"), _in_font("Wingdings", " "), _text("5")])
    record, = importers.parse("bank.docx", data, {"topic": "T"}).records
    assert "x lớn hơn 5" in record.stem, record.stem


def test_a_non_breaking_space_set_in_the_symbol_font_stays_a_space():
    """Symbol's code 0xA0 is the euro sign: a non-breaking space typed in a Symbol run became "€"."""
    data = _bank([_text("lớn hơn"), _in_font("Symbol", "\u00a0"), _text("5")])
    record, = importers.parse("bank.docx", data, {"topic": "T"}).records
    assert "€" not in record.stem and "5" in record.stem, record.stem


@pytest.mark.parametrize("char", ["D800", "DFFF", "110000", "ZZ"])
def test_a_symbol_code_that_is_no_character_is_an_error_naming_its_question(char):
    """A hand-made file's w:char: a lone surrogate was kept and failed only when stored (a 500)."""
    data = _bank([_inserted_symbol("Times New Roman", char), _text(" 5")])
    with pytest.raises(ImportRejected) as rejected:
        importers.parse("bank.docx", data, {"topic": "T"})
    assert [e.row for e in rejected.value.errors] == [1], rejected.value.errors
