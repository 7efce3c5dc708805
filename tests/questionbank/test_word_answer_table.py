"""A Word bank's answer table: each cell names one of the question's options. A blank cell was taken
as key A and "BC" as B (a text test on "ABCD"), so the whole file imported with wrong keys."""
from __future__ import annotations

import pytest

from questionbank import importers
from recruitment.tabular import ImportRejected
from tests.support.wordbank import word_file

DOC = [("h1", "Phần: Kiến thức chung — Chủ đề: Hiến pháp — Mức độ: dễ"),
       "Câu 1. Cơ quan hành chính nhà nước cao nhất là?",
       "A. Quốc hội", "B. Chính phủ", "C. Tòa án", "D. Viện kiểm sát",
       "Câu 2. Hiến pháp hiện hành được thông qua năm nào?",
       "A. 1992", "B. 2001", "C. 2013", "D. 2015"]


@pytest.mark.parametrize("given", ["", "BC", "CD", ".", "E"])
def test_an_answer_cell_that_names_no_single_option_is_the_questions_error(app, given):
    data = word_file(*DOC, table=[["Câu", "Đáp án"], ["1", "B"], ["2", given]])
    with pytest.raises(ImportRejected) as rejected:
        importers.parse("bank.docx", data, {})
    errors = rejected.value.errors
    assert len(errors) == 1 and errors[0].column == "answer" and "2" in str(errors[0].row)


def test_a_right_answer_table_gives_the_keys(app):
    data = word_file(*DOC, table=[["Câu", "Đáp án"], ["1", "B"], ["2", "c"]])
    parsed = importers.parse("bank.docx", data, {})
    assert [r.answer for r in parsed.records] == [[1], [2]]
