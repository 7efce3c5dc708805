"""Hostile question files and fields (issue "Files in", item 4): bounded numbers, images decoded
before they are kept, one allow-list for every HTML field on the way in and on the way out."""
from __future__ import annotations

import base64
import io
import os

import pytest
from flask_babel import force_locale
from PIL import Image

from questionbank import api, bank, importers, sanitize
from questionbank.importers import spreadsheet
from questionbank.models import Question, QuestionImage, QuestionVersion
from recruitment import tabular
from recruitment.extensions import db
from recruitment.tabular import ImportRejected
from tests.support.factories import approved_question

DEFAULTS = {"topic": "Chung", "section": "general", "difficulty": 2}


def _png(size=(4, 3), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _moodle(stem: str = "Câu hỏi?", grade: str = "1", files: dict[str, bytes] | None = None, feedback: str = "") -> bytes:
    embedded = "".join(f'<file name="{n}" path="/" encoding="base64">{base64.b64encode(d).decode()}</file>'
                       for n, d in (files or {}).items())
    return f"""<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse"><name><text>Q</text></name>
<questiontext format="html"><text><![CDATA[{stem}]]></text>{embedded}</questiontext>
<generalfeedback format="html"><text><![CDATA[{feedback}]]></text></generalfeedback>
<defaultgrade>{grade}</defaultgrade>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>""".encode()


def _import(filename: str, data: bytes):
    with force_locale("en"):
        parsed = importers.parse(filename, data, DEFAULTS)
        return bank.import_records(parsed.records, None, filename=filename)


def _refused(filename: str, data: bytes) -> list[tuple]:
    with pytest.raises(ImportRejected) as excinfo:
        _import(filename, data)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 0
    return [(e.row, e.column, str(e.message)) for e in excinfo.value.errors]


@pytest.mark.parametrize("grade", ["1e999999", "NaN", "1e23", "-Infinity", "1000"])
def test_an_unbounded_defaultgrade_is_refused(app, grade):
    assert [(r, c) for r, c, _m in _refused("q.xml", _moodle(grade=grade))] == [(1, "points")]


def test_points_in_a_spreadsheet_are_bounded(app):
    row = ["", "general", "", "Hiến pháp", 1, "single", "Năm nào?", "1992", "2013", "", "", "", "", "B", "5000", ""]
    data = tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])])
    assert [(r, c) for r, c, _m in _refused("q.xlsx", data)] == [(2, "points")]


def test_random_bytes_named_png_are_refused(app):
    fake = b"\x89PNG\r\n\x1a\n" + os.urandom(200_000)
    errors = _refused("q.xml", _moodle('<img src="@@PLUGINFILE@@/a.png">', files={"a.png": fake}))
    assert [(r, c) for r, c, _m in errors] == [(1, "image")]


def test_an_image_over_the_pixel_bound_is_refused_before_decoding(app, monkeypatch):
    from questionbank import image_check

    monkeypatch.setattr(image_check, "MAX_PIXELS", 10_000)
    errors = _refused("q.xml", _moodle('<img src="@@PLUGINFILE@@/a.png">', files={"a.png": _png((200, 200), "L")}))
    assert [(r, c) for r, c, _m in errors] == [(1, "image")] and "pixels" in errors[0][2]


def test_an_image_referenced_but_missing_is_refused(app):
    errors = _refused("q.xml", _moodle('Hình: <img src="missing.png">'))
    assert [(r, c) for r, c, _m in errors] == [(1, "image")] and "missing.png" in errors[0][2]
    _import("q.xml", _moodle('<img src="@@PLUGINFILE@@/a.png">', files={"a.png": _png()}))
    name = db.session.scalar(db.select(QuestionImage)).name  # named by its contents too (Moodle repeats names)
    assert name.startswith("a-") and name.endswith(".png")


def test_image_sources_are_only_bank_file_names(app):
    for src in ("javascript:alert(1)", "//evil.example/x.png", "https://evil.example/x.png", "data:image/png;base64,AA",
                "../secret.png"):
        assert "src=" not in sanitize.clean(f'<img src="{src}">'), src
    assert sanitize.clean('<img src="h-1.png" alt="x">') == '<img src="h-1.png" alt="x">'


def test_a_stored_javascript_url_never_reaches_the_page_or_the_paper(app, client, make_user, login):
    author, reviewer = make_user("a", "question_setter"), make_user("b", "question_setter")
    question = approved_question(author, reviewer)
    hostile = '<p><a href="javascript:alert(1)">x</a><img src="javascript:alert(2)" onerror="alert(3)"></p>'
    db.session.execute(db.update(QuestionVersion).where(QuestionVersion.id == question.current_version_id)
                       .values(stem_html=hostile, explanation=hostile))
    db.session.commit()
    assert "javascript:" not in api.candidate_html(hostile) and "onerror" not in api.candidate_html(hostile)
    login(author)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "javascript:" not in page and "alert(3)" not in page


def test_the_explanation_is_sanitised_from_the_form_and_from_files(app, client, make_user, login):
    login(make_user("a", "question_setter"))
    client.post("/questions/new", data={"section": "general", "topic": "Tin học", "difficulty": "1", "type": "single",
                                        "stem": "Phím Ctrl+S?", "a": "Lưu", "b": "In", "answer": "A", "points": "1",
                                        "explanation": '<b>Lưu</b><span onclick="alert(1)">!</span><script>x()</script>'})
    question = db.session.scalar(db.select(Question))
    assert question.current.explanation == "<b>Lưu</b><span>!</span>"
    _import("q.xml", _moodle(feedback='<a href="javascript:alert(1)">xem</a>'))
    row = ["", "general", "", "Hiến pháp", 1, "single", "Năm nào?", "1992", "2013", "", "", "", "", "B", 1,
           "<script>alert(1)</script>Năm 2013 & sau"]
    _import("q.xlsx", tabular.xlsx_bytes([("q", spreadsheet.HEADERS, [row])]))
    explanations = db.session.scalars(db.select(QuestionVersion.explanation)).all()
    assert not any("javascript:" in e or "<script" in e for e in explanations)
    assert "Năm 2013 &amp; sau" in explanations[-1] or "Năm 2013 & sau" in explanations[-1]
