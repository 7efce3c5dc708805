"""Each importer on real files: Moodle's own fixtures (../shared/fixtures/moodle) and files of ours.
Garbage and truncated files give a clear error, never a traceback."""
from __future__ import annotations

import base64
import csv
import io

import pytest
from flask_babel import force_locale

from questionbank import importers
from questionbank.importers import spreadsheet
from recruitment import tabular
from recruitment.tabular import ImportRejected

DEFAULTS = {"topic": "Chung", "section": "general", "difficulty": 2}
PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _parse(path, defaults=DEFAULTS):
    return importers.parse(path.name, path.read_bytes(), defaults)


def test_moodle_xml_fixture_categories_become_topics_and_the_essay_is_skipped(shared_fixtures):
    parsed = _parse(shared_fixtures / "moodle" / "nested_categories_with_questions.xml")
    assert parsed.format == "moodle_xml"
    assert [(r.label, r.topic, r.type, r.answer) for r in parsed.records] == [
        ("Iota Question", "Iota", "truefalse", [0]), ("Kappa Question", "Kappa", "truefalse", [0]),
        ("Lambda Question", "Lambda", "truefalse", [0]), ("Mu Question", "Mu", "truefalse", [0])]
    assert len(parsed.skipped) == 1 and "Kappa Essay Question" in parsed.skipped[0] and "essay" in parsed.skipped[0]


def test_gift_fixture_takes_what_the_bank_can_hold_and_names_the_rest(shared_fixtures):
    parsed = _parse(shared_fixtures / "moodle" / "questions.gift.txt")
    kinds = [(r.label, r.type, r.answer) for r in parsed.records]
    assert ("Q2", "single", [0]) in kinds  # =yellow among ~red ~blue, feedback dropped
    assert ("Shortanswer", "fill", ["Frog"]) in kinds  # partial credit (%50%Cat) is not an accepted answer
    assert ("Q1", "truefalse", [1]) in kinds  # FALSE
    assert kinds.count(("2-08 TSL", "truefalse", [0])) == 2  # {T} and {TRUE}
    q2 = next(r for r in parsed.records if r.label == "Q2")
    assert q2.options == ["yellow", "red", "blue"]
    skipped = " ".join(parsed.skipped)
    for name in ("Q8", "Moodle activities", "colours", "Q5"):
        assert name in skipped


def test_aiken_fixture_escapes_html_characters_in_a_plain_stem(shared_fixtures):
    parsed = _parse(shared_fixtures / "moodle" / "questions.aiken.txt")
    first, second = parsed.records
    assert first.options[1] == "Martin Dougiamas" and first.answer == [1]
    assert "&lt;html class=\"cool\"&gt; &amp; images" in second.stem  # shown as text, never as markup


def test_aiken_errors_are_each_named_by_line(shared_fixtures):
    with pytest.raises(ImportRejected) as excinfo:
        _parse(shared_fixtures / "moodle" / "aiken_errors.txt")
    found = [(e.row, str(e.message)) for e in excinfo.value.errors]
    causes = " | ".join(m for _r, m in found)
    for cause in ("fewer than 2 options", "an option without a question", "an answer without a question",
                  "not finished", "needs a space after its letter"):
        assert cause in causes
    assert (1, "the question has fewer than 2 options") in found


def test_moodle_xml_with_an_embedded_image_keeps_it(tmp_path):
    xml = f"""<?xml version="1.0" encoding="UTF-8"?><quiz>
      <question type="category"><category><text>$course$/Tin học/Excel</text></category></question>
      <question type="multichoice"><name><text>Biểu đồ</text></name>
        <questiontext format="html"><text><![CDATA[<p>Xem hình <img src="@@PLUGINFILE@@/hinh 1.png"> và chọn:</p><script>alert(1)</script>]]></text>
          <file name="hinh 1.png" encoding="base64">{base64.b64encode(PNG_1PX).decode()}</file></questiontext>
        <defaultgrade>2</defaultgrade><single>true</single>
        <answer fraction="100"><text>Cột</text></answer><answer fraction="0"><text>Tròn</text></answer>
      </question>
      <question type="shortanswer"><name><text>Thủ đô</text></name><questiontext format="html"><text>Thủ đô của Việt Nam?</text></questiontext>
        <answer fraction="100"><text>Hà Nội</text></answer><answer fraction="100"><text>Ha Noi</text></answer></question>
    </quiz>"""
    path = tmp_path / "q.xml"
    path.write_text(xml, encoding="utf-8")
    chart, capital = _parse(path).records
    assert chart.topic == "Excel" and chart.points == 2
    (name,) = chart.images
    assert chart.images[name] == PNG_1PX and name.startswith("hinh_1-") and f'src="{name}"' in chart.stem
    assert "<script>" not in chart.stem and "alert" not in chart.stem
    assert capital.type == "fill" and capital.answer == ["Hà Nội", "Ha Noi"]


def test_moodle_pictures_of_one_name_in_two_questions_are_two_pictures(app, make_user):
    """Moodle names a pasted picture image.png in every question (and writes the name URL-encoded in
    the text): the preview passed, then the import refused the file (another image is already stored
    as image.png), and every later file with another image.png too (a second reviewer's finding)."""
    from PIL import Image

    from questionbank import bank
    from questionbank.models import QuestionImage
    from recruitment.extensions import db

    def question(n: int, colour: str) -> str:
        out = io.BytesIO()
        Image.new("RGB", (20, 20), colour).save(out, "PNG")
        return f"""<question type="multichoice"><name><text>Hình {n}</text></name>
          <questiontext format="html"><text><![CDATA[<p>Hình {n}: <img src="@@PLUGINFILE@@/image%20{n}.png"></p>]]></text>
          <file name="image {n}.png" path="/" encoding="base64">{base64.b64encode(out.getvalue()).decode()}</file>
          </questiontext><single>true</single>
          <answer fraction="100"><text>Đúng</text></answer><answer fraction="0"><text>Sai</text></answer></question>"""

    author = make_user("soan-de", "question_setter")
    first, second = (f'<?xml version="1.0"?><quiz>{question(1, colour)}{question(2, colour)}</quiz>'.encode()
                     for colour in ("red", "blue"))
    with app.test_request_context(), force_locale("vi"):
        for data in (first, second):
            bank.import_records(importers.parse("bank.xml", data, {"topic": "Hình"}).records, author, filename="bank.xml")
    db.session.commit()
    names = set(db.session.scalars(db.select(QuestionImage.name)))
    assert len(names) == 4 and all(name.startswith(("image_1-", "image_2-")) for name in names)  # each file's own
    stems = [v.stem_html for v in db.session.scalars(db.select(bank.QuestionVersion))]
    assert len(stems) == 4 and all(any(f'src="{name}"' in stem for name in names) for stem in stems), stems


def test_spreadsheet_rows_with_errors_are_pinned_to_their_rows(tmp_path):
    rows = [
        ["", "general", "", "Hiến pháp", 1, "single", "Câu hỏi đúng?", "A1", "B1", "", "", "", "", "A", 1, ""],
        ["", "general", "", "Hiến pháp", 4, "single", "Độ khó sai?", "A1", "B1", "", "", "", "", "A", 1, ""],
        ["", "general", "", "Hiến pháp", 1, "single", "Đáp án sai?", "A1", "B1", "", "", "", "", "D", 1, ""],
        ["", "general", "", "Hiến pháp", 1, "single", "Một phương án?", "A1", "", "", "", "", "", "A", 1, ""],
        ["", "general", "", "", 1, "fill", "Thiếu chủ đề và đáp án?", "", "", "", "", "", "", "", 1, ""],
    ]
    path = tmp_path / "bank.xlsx"
    path.write_bytes(tabular.xlsx_bytes([("q", spreadsheet.HEADERS, rows)]))
    with pytest.raises(ImportRejected) as excinfo:
        _parse(path)
    pinned = {(e.row, e.column) for e in excinfo.value.errors}
    assert {(3, "difficulty"), (4, "answer"), (5, "options"), (6, "topic")} <= pinned
    assert not any(row == 2 for row, _c in pinned)


def test_spreadsheet_csv_with_vietnamese_headers_and_fill_answers(tmp_path):
    headers = ["ma_cau", "phan_thi", "vi_tri", "chu_de", "do_kho", "loai", "noi_dung", "dap_an", "diem"]
    path = tmp_path / "bank.csv"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([headers, ["TH-1", "general", "CV-TC-01; CV-TP-02", "Tin học", "2", "fill",
                                                        "Phím tắt lưu văn bản là Ctrl + ___", "S; s", "1,5"]])
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    (record,) = _parse(path).records
    assert (record.code, record.positions, record.answer, str(record.points)) == (
        "TH-1", ["CV-TC-01", "CV-TP-02"], ["S", "s"], "1.5")


def test_spreadsheet_cells_longer_than_the_bank_keeps_are_row_errors(tmp_path):
    """A 41-character code, a 201-character topic or positions that fill more than the bank's 500
    characters failed the insert on PostgreSQL (a 500 on the page, a traceback from the command) and
    were stored whole on SQLite: now each is its row's error, named by the file's own header."""
    headers = ["ma_cau", "phan_thi", "vi_tri", "chu_de", "do_kho", "loai", "noi_dung", "phuong_an_a", "phuong_an_b",
               "dap_an"]
    many_positions = "; ".join(f"CV-TC-{n:02d}" for n in range(60))
    rows = [["TH-1", "general", "", "Tin học", 1, "single", "Câu hỏi đúng?", "A1", "B1", "A"],
            ["X" * 41, "general", "", "Tin học", 1, "single", "Mã quá dài?", "A1", "B1", "A"],
            ["", "general", "", "Chủ đề " * 30, 1, "single", "Chủ đề quá dài?", "A1", "B1", "A"],
            ["", "general", many_positions, "Tin học", 1, "single", "Quá nhiều vị trí?", "A1", "B1", "A"]]
    path = tmp_path / "bank.xlsx"
    path.write_bytes(tabular.xlsx_bytes([("q", headers, rows)]))
    with pytest.raises(ImportRejected) as excinfo:
        _parse(path)
    assert [(e.row, e.column) for e in excinfo.value.errors] == [(3, "ma_cau"), (4, "chu_de"), (5, "vi_tri")]
    assert "at most 40 characters" in excinfo.value.errors[0].message
    assert "at most 200 characters" in excinfo.value.errors[1].message
    assert "at most 500 characters" in excinfo.value.errors[2].message


def test_a_category_longer_than_a_topic_is_an_error_in_every_format(tmp_path):
    """A Moodle or GIFT category becomes the questions' topic: one over the bank's 200 characters
    failed the insert on PostgreSQL. Now each question under it is an error naming the topic."""
    category = "Kiến thức chung " * 14
    moodle = (f'<?xml version="1.0"?><quiz><question type="category"><category><text>$course$/{category}</text>'
              '</category></question><question type="truefalse"><name><text>T1</text></name><questiontext format="html">'
              '<text>Đúng?</text></questiontext><answer fraction="100"><text>true</text></answer>'
              '<answer fraction="0"><text>false</text></answer></question></quiz>').encode()
    gift = f"$CATEGORY: {category}\n\n::T1:: Đúng? {{T}}\n".encode()
    for name, data, place in (("bank.xml", moodle, 2), ("bank.gift", gift, 3)):  # the question's element, line
        with pytest.raises(ImportRejected) as excinfo:
            importers.parse(name, data, DEFAULTS)
        assert [(e.row, e.column) for e in excinfo.value.errors] == [(place, "topic")], name
        assert "at most 200 characters" in excinfo.value.errors[0].message


@pytest.mark.parametrize("name, data, cause", [
    ("bank.xlsx", b"PK\x03\x04\x14\x00\x00\x00truncated", ".xlsx"),
    ("bank.xml", b'<?xml version="1.0"?><quiz><question type="truefalse"><name>', "Moodle XML"),
    ("bank.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>', "Moodle XML"),
    ("bank.xml", b"<?xml version='1.0'?><html></html>", "<quiz>"),
    ("bank.txt", b"\xff\xfe\x00garbage\x00\x01", "not recognised"),
    ("bank.gift", "::T:: Câu hỏi không có đáp án".encode(), "answer block"),
    ("bank.txt", b"   \n  ", "empty"),
])
def test_garbage_and_truncated_files_get_a_clear_error(name, data, cause):
    with pytest.raises(ImportRejected) as excinfo:
        importers.parse(name, data, DEFAULTS)
    assert cause in str(excinfo.value.errors[0])


def test_text_is_normalised_to_nfc(tmp_path):
    decomposed = "Hie\u0302\u0301n pha\u0301p"  # 'Hiến pháp' typed with combining marks
    path = tmp_path / "a.txt"
    path.write_text(f"{decomposed} có hiệu lực năm nào?\nA) 2013\nB) 2014\nANSWER: B\n", encoding="utf-8")
    (record,) = _parse(path).records
    assert record.stem.startswith("Hiến pháp") and "\u0301" not in record.stem


def test_an_xlsx_export_reads_back_through_openpyxl(app):
    from openpyxl import load_workbook

    from questionbank.exporters import to_xlsx
    from questionbank.records import QuestionRecord
    data = to_xlsx([QuestionRecord(ref=1, stem="Câu?", options=["a", "b"], answer=[1], topic="T")])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == spreadsheet.HEADERS and sheet["N2"].value == "B"


def test_a_date_typed_in_a_spreadsheet_cell_is_written_as_the_setter_sees_it(app):
    """Excel makes 28/11/2013 typed in a cell a date: the option was stored as "2013-11-28 00:00:00",
    shown so on the paper, and a fill-in key so marked "28/11/2013" wrong (a reviewer's finding)."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(spreadsheet.HEADERS)
    row = dict.fromkeys(spreadsheet.HEADERS, "")
    row.update(section="general", topic="Hiến pháp", difficulty=1, type="single", answer="A", points=1,
               stem="Hiến pháp 2013 được thông qua ngày nào?", a=datetime(2013, 11, 28), b=datetime(2013, 12, 1, 9, 30))
    sheet.append([row[h] for h in spreadsheet.HEADERS])
    row.update(type="fill", stem="Ngày Hiến pháp 2013 được thông qua?", a="", b="", answer=datetime(2013, 11, 28))
    sheet.append([row[h] for h in spreadsheet.HEADERS])
    out = io.BytesIO()
    book.save(out)
    with force_locale("vi"):
        choice, fill = spreadsheet.parse("q.xlsx", out.getvalue())
    assert choice.options == ["28/11/2013", "01/12/2013 09:30"]
    assert fill.answer == ["28/11/2013"]


def test_a_percentage_typed_in_a_spreadsheet_cell_is_written_as_the_setter_sees_it(app):
    """Excel keeps 10% typed in a cell as 0.1 with a percent format: the options of a question on a
    contribution rate read "0.08", "0.1"... on the paper, and a fill-in key of 10.5% marked "10.5%"
    wrong. Each is written as the cell shows it, with the format's decimals."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(spreadsheet.HEADERS)
    row = dict.fromkeys(spreadsheet.HEADERS, "")
    row.update(section="general", topic="Bảo hiểm xã hội", difficulty=1, type="single", answer="B", points=1,
               stem="Tỷ lệ đóng bảo hiểm xã hội của người lao động?", a=0.08, b=0.105, c=0.14, d=0.25)
    sheet.append([row[h] for h in spreadsheet.HEADERS])
    row.update(type="fill", stem="Tỷ lệ đóng của người lao động?", a="", b="", c="", d="", answer=0.105)
    sheet.append([row[h] for h in spreadsheet.HEADERS])
    column = {h: i + 1 for i, h in enumerate(spreadsheet.HEADERS)}
    for letter, shown in (("a", "0%"), ("b", "0.0%"), ("c", "0.00%"), ("d", "0%")):
        sheet.cell(2, column[letter]).number_format = shown
    sheet.cell(2, column["d"]).value = 0.255  # "0%" shows it rounded, as Excel does
    sheet.cell(3, column["answer"]).number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    with force_locale("vi"):
        choice, fill = spreadsheet.parse("q.xlsx", out.getvalue())
    assert choice.options == ["8%", "10.5%", "14.00%", "26%"]
    assert fill.answer == ["10.5%"]
