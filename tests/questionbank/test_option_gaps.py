"""F2: an option left out between others never moves the key to another option's text: the key is a
letter, so the file is refused, naming the question (a spreadsheet row or a Word question)."""
import io

import pytest
from docx import Document

from questionbank.importers import spreadsheet, word
from recruitment import tabular
from recruitment.tabular import ImportRejected

ROW = ["", "general", "", "Hiến pháp", 1, "single", "Hiến pháp hiện hành được thông qua năm nào?",
       "1992", "", "2013", "2015", "", "", "C", 1, ""]


def test_an_empty_option_before_a_filled_one_is_the_rows_error(app):
    with pytest.raises(ImportRejected) as refused:
        spreadsheet.parse("bank.csv", tabular.csv_bytes(spreadsheet.HEADERS, [ROW]))
    [error] = refused.value.errors
    assert error.row == 2 and error.column == "b"
    assert "B" in error.message


def test_options_filled_in_order_still_import(app):
    row = ROW[:8] + ["2013", "2015", "", "", "", "B"] + ROW[14:]
    [record] = spreadsheet.parse("bank.csv", tabular.csv_bytes(spreadsheet.HEADERS, [row]))
    assert record.options[record.answer[0]] == "2013"


def _docx(lines: list[str]) -> bytes:
    document = Document()
    document.add_heading("Phần: Kiến thức chung — Chủ đề: Hiến pháp — Mức độ: dễ", level=1)
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Câu", "Đáp án"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "1", "C"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_missing_option_letter_in_word_is_the_questions_error(app):
    data = _docx(["Câu 1. Hiến pháp hiện hành được Quốc hội thông qua năm nào?", "A. 1992", "C. 2013", "D. 2015"])
    with pytest.raises(ImportRejected) as refused:
        word.parse("bank.docx", data, {"section": "general", "positions": [], "difficulty": 2})
    [error] = refused.value.errors
    assert error.row == 1 and "C" in error.message and "A" in error.message


def test_options_in_order_in_word_keep_their_key(app):
    data = _docx(["Câu 1. Hiến pháp hiện hành được Quốc hội thông qua năm nào?", "A. 1992", "B. 2001", "C. 2013"])
    [record], _skipped = word.parse("bank.docx", data, {"section": "general", "positions": [], "difficulty": 2})
    assert record.options[record.answer[0]] == "2013"


def test_a_seventh_option_in_word_is_the_questions_error(app):
    data = _docx(["Câu 1. Hiến pháp hiện hành được Quốc hội thông qua năm nào?", "A. a B. b C. c D. d E. e F. f",
                  "F. g", "B. h"])
    with pytest.raises(ImportRejected) as refused:
        word.parse("bank.docx", data, {"section": "general", "positions": [], "difficulty": 2})
    [error] = refused.value.errors
    assert error.row == 1
