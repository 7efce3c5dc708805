"""Word question banks: the two sample files (keys marked in the text; keys in an answer table),
headings that set section, topic, difficulty and positions, embedded pictures through the image
checks, all-or-nothing errors naming the question, and export to Word with or without keys."""
from __future__ import annotations

import io

import pytest
from docx import Document
from flask_babel import force_locale

from questionbank import bank, importers, word_export
from questionbank.models import Question, QuestionImage
from recruitment.extensions import db
from recruitment.tabular import ImportRejected
from tests.support.wordbank import GENERAL, PROFESSIONAL, word_file


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _parse(data: bytes, **defaults):
    return importers.parse("bank.docx", data, {"topic": "", **defaults})


def _errors(data: bytes, **defaults) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        _parse(data, **defaults)
    return [str(e) for e in caught.value.errors]


def test_the_general_sample_keys_marked_in_bold_underline_and_star_with_its_picture():
    parsed = importers.parse(GENERAL.name, GENERAL.read_bytes(), {})
    assert parsed.format == "docx"
    got = [(r.ref, r.section, r.topic, r.difficulty, r.answer[0]) for r in parsed.records]
    assert got == [(1, "general", "Luật Cán bộ, công chức", 1, 0), (2, "general", "Luật Cán bộ, công chức", 1, 1),
                   (3, "general", "Luật Cán bộ, công chức", 1, 2), (4, "general", "Tin học văn phòng", 2, 0),
                   (5, "general", "Tin học văn phòng", 2, 3), (6, "general", "Tin học văn phòng", 2, 0),
                   (7, "general", "Quản lý hành chính nhà nước", 3, 1),
                   (8, "general", "Quản lý hành chính nhà nước", 3, 1)]
    star = parsed.records[2]
    assert star.options[2] == "Trốn tránh trách nhiệm, thoái thác công việc"  # the * is not part of the option
    one_line = parsed.records[3]
    assert one_line.options == ["Ctrl + S", "Ctrl + P", "Ctrl + O", "Ctrl + N"]
    chart = parsed.records[4]
    (name, data), = chart.images.items()
    assert f'<img src="{name}"' in chart.stem and data.startswith(b"\x89PNG")


def test_the_professional_sample_keys_from_the_answer_table_and_positions_from_the_headings():
    parsed = importers.parse(PROFESSIONAL.name, PROFESSIONAL.read_bytes(), {})
    assert [(r.ref, r.positions, r.topic, r.difficulty, "ABCD"[r.answer[0]]) for r in parsed.records] == [
        (1, ["CV-TC-01"], "Ngân sách nhà nước", 2, "A"), (2, ["CV-TC-01"], "Ngân sách nhà nước", 2, "A"),
        (3, ["CV-TC-01"], "Ngân sách nhà nước", 2, "B"), (4, ["CS-VT-04"], "Văn thư, lưu trữ", 1, "A"),
        (5, ["CS-VT-04"], "Văn thư, lưu trữ", 1, "C"), (6, ["CS-VT-04"], "Văn thư, lưu trữ", 1, "A")]
    assert all(r.section == "professional" for r in parsed.records)


def test_both_samples_import_for_review_and_their_picture_is_stored(app, make_user):
    author = make_user("setter", "question_setter")
    for path in (GENERAL, PROFESSIONAL):
        parsed = importers.parse(path.name, path.read_bytes(), {})
        bank.import_records(parsed.records, author, filename=path.name)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Question).filter_by(status="in_review")) == 14
    assert db.session.scalar(db.select(QuestionImage.name)).startswith("docx-")


def test_the_topic_option_serves_a_file_without_headings():
    data = word_file("Câu 1. Thủ đô của Việt Nam là?", "A. Hà Nội*", "B. Huế", "C. Đà Nẵng")
    assert "topic" in " ".join(_errors(data))
    record, = _parse(data, topic="Địa lý", difficulty=1).records
    assert (record.topic, record.difficulty, record.answer) == ("Địa lý", 1, [0])


def test_errors_name_each_question_and_nothing_is_imported():
    data = word_file(("h1", "Chủ đề: Hiến pháp — Mức độ: dễ"),
                 "Câu 1. Không có đáp án?", "A. Một", "B. Hai",
                 "Câu 2. Hai đáp án?", "A. Một*", "B. Hai*",
                 "Câu 3. Một phương án?", "A. Duy nhất*",
                 "Câu 4. Đúng?", "A. Có*", "B. Không",
                 "Câu 4. Trùng số?", "A. Có*", "B. Không",
                 "Câu 5. Bảng mâu thuẫn?", "A. Có*", "B. Không",
                 table=[("Câu", "Đáp án"), ("5", "B"), ("9", "A")])
    errors = _errors(data)
    assert any("Question 1: no key" in e for e in errors)
    assert any("Question 2: several options are marked as the key: A, B" in e for e in errors)
    assert any("Question 3:" in e and "2 to 6 options" in e for e in errors)
    assert any("Question 4: this number is used twice" in e for e in errors)
    assert any("Question 5: the answer table gives B but the option marked in the text is A" in e for e in errors)
    assert any("question 9, which is not in the file" in e for e in errors)
    assert not any("Question 4: no key" in e for e in errors)


def test_heading_keys_are_checked_and_inherited_by_sub_headings():
    data = word_file(("h1", "Phần: Nghề nghiệp — Mức độ: rất khó"), "Câu 1. X?", "A. a*", "B. b")
    errors = _errors(data, topic="T")
    assert any("Nghề nghiệp" in e for e in errors) and any("rất khó" in e for e in errors)
    data = word_file(("h1", "Phần: Chuyên ngành — Vị trí: CV-01, CV-02"), ("h2", "Chủ đề: Thuế — Mức độ: khó"),
                 "Câu 1. X?", "A. a", "B. b*", ("h2", "Chủ đề: Phí"), "Câu 2. Y?", "A. a*", "B. b")
    first, second = _parse(data).records
    assert (first.section, first.positions, first.topic, first.difficulty) == ("professional", ["CV-01", "CV-02"], "Thuế", 3)
    assert (second.section, second.topic, second.difficulty) == ("professional", "Phí", 2)  # the default difficulty


def test_text_inside_a_hyperlink_is_kept():
    from docx.oxml import OxmlElement

    document = Document()
    stem = document.add_paragraph("Câu 1. Cổng dịch vụ công quốc gia là ")
    link = OxmlElement("w:hyperlink")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "dichvucong.gov.vn"
    run.append(text)
    link.append(run)
    stem._p.append(link)
    document.add_paragraph("A. Đúng*")
    document.add_paragraph("B. Sai")
    out = io.BytesIO()
    document.save(out)
    record, = _parse(out.getvalue(), topic="Dịch vụ công").records
    assert record.stem.endswith("dichvucong.gov.vn")


def test_not_a_word_file_is_refused_clearly():
    errors = _errors(b"PK\x03\x04 this is not a docx at all")
    assert "not a readable Word .docx file" in errors[0]


def test_a_picture_that_is_not_an_image_the_bank_takes_is_refused_naming_the_question(app, make_user):
    parsed = importers.parse(GENERAL.name, GENERAL.read_bytes(), {})
    chart = parsed.records[4]
    name = next(iter(chart.images))
    chart.images[name] = b"\x01\x00\x00\x00 EMF picture"
    with pytest.raises(ImportRejected) as caught:
        bank.import_records(parsed.records, make_user("s", "question_setter"), filename="x.docx")
    assert [(e.row, name in e.message) for e in caught.value.errors] == [(5, True)]


def test_export_with_and_without_keys_reimports_the_same_questions():
    records = importers.parse(GENERAL.name, GENERAL.read_bytes(), {}).records
    records += importers.parse(PROFESSIONAL.name, PROFESSIONAL.read_bytes(), {}).records
    images = {n: d for r in records for n, d in r.images.items()}
    with_keys = word_export.to_docx(records, images, keys=True)
    text = "\n".join(p.text for p in Document(io.BytesIO(with_keys)).paragraphs)
    assert "Trốn tránh trách nhiệm, thoái thác công việc" in text and "Phần: Chuyên ngành" in text  # Vietnamese intact
    again = importers.parse("x.docx", with_keys, {}).records
    key = lambda r: (r.section, tuple(r.positions), r.topic, r.difficulty, r.options[r.answer[0]])  # noqa: E731
    assert sorted(map(key, again)) == sorted(map(key, records))
    assert sum(bool(r.images) for r in again) == 1
    without = word_export.to_docx(records, images, keys=False)
    document = Document(io.BytesIO(without))
    assert not document.tables and not any(run.bold for p in document.paragraphs for run in p.runs
                                           if not run.text.startswith("Câu"))
    assert "no key" in " ".join(_errors(without))


def test_the_commands_import_and_export_word(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["questions", "import", str(GENERAL)])
    assert result.exit_code == 0 and "8 question(s) imported (docx)" in result.output
    out = tmp_path / "review.docx"
    assert runner.invoke(args=["questions", "export", "--no-keys", "--output", str(out)]).exit_code == 0
    assert not Document(out).tables
    bad = tmp_path / "bad.docx"
    bad.write_bytes(word_file("Câu 7. Thiếu đáp án?", "A. Một", "B. Hai"))
    result = runner.invoke(args=["questions", "import", "--lang", "en", "--topic", "T", str(bad)])
    assert result.exit_code == 2 and "Question 7: no key" in result.output
