"""The import preview named the file's format by its code: "(format: spreadsheet)", "moodle_xml".
It is named in words."""
from __future__ import annotations

import io

from questionbank.importers import spreadsheet
from recruitment import tabular

STEM = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?"


def test_the_preview_names_the_format_in_words(app, client, make_user, login):
    row = ["", "general", "", "Hiến pháp", 1, "single", STEM, "Chính phủ", "Quốc hội", "", "", "", "", "A", 1, ""]
    login(make_user("qs", "question_setter"))
    data = tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])])
    page = client.post("/questions/import", data={"file": (io.BytesIO(data), "bank.xlsx"), "section": "general",
                                                  "difficulty": "2"}, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and STEM in text
    assert ": spreadsheet)" not in text and "(.xlsx, .csv)" in text
