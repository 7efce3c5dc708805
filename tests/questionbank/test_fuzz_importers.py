"""The question importers in every format, fed mutations of valid files: a clean error or a clean
import, never a traceback, never a partial write (issue "Files in", item 3)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from questionbank import bank, importers
from questionbank.importers.spreadsheet import HEADERS
from tests.support.fuzz import FUZZ, check_import, tabular_mutant, text_mutant

FIXTURES = Path("/work/shared/fixtures/moodle")
DEFAULTS = {"topic": "Hiến pháp", "section": "general"}
ROWS = [["", "general", "", "Hiến pháp", 1, "single", "Năm nào?", "1992", "2001", "2013", "", "", "", "C", 1, "Năm 2013."],
        ["", "general", "", "Hiến pháp", 2, "truefalse", "<b>Đúng</b> hay sai?", "", "", "", "", "", "", "A", "1,5", ""],
        ["", "general", "", "Hiến pháp", 3, "fill", "Thủ đô là ___", "", "", "", "", "", "", "Hà Nội; Ha Noi", 1, ""]]


def _import(filename: str, data: bytes):
    parsed = importers.parse(filename, data, DEFAULTS)
    bank.import_records(parsed.records, None, filename=filename)


def test_spreadsheets_never_crash_nor_half_import(app):
    @FUZZ
    @given(tabular_mutant(HEADERS, ROWS))
    def run(mutant):
        check_import(lambda: _import(*mutant))

    run()


@pytest.mark.parametrize("name", ["nested_categories_with_questions.xml", "questions.gift.txt", "questions.aiken.txt"])
def test_text_formats_never_crash_nor_half_import(app, name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert check_import(lambda: _import(name, text.encode())) == "imported"

    @FUZZ
    @given(text_mutant(text))
    def run(data):
        check_import(lambda: _import(name, data))

    run()
