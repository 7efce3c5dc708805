"""Files in and out: a control character in user text (a vertical tab is what a Word line break
becomes when pasted into Excel) was accepted by the imports and stored, and then every XLSX / DOCX
export that met it crashed (500) and the Moodle XML export was not well-formed. Imports now make it
a space, and every writer drops what slipped in before."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from interviews import documents
from questionbank import bank, importers
from questionbank.importers import spreadsheet
from questionbank.models import Question
from recruitment import importing, tabular
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.tabular import ImportRejected
from results import exports, service
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row

ROW = ["", "general", "", "Hiến pháp", 1, "single", "Câu hỏi dòng một\x0bdòng hai\x1f?", "1992", "2013\x07", "", "",
       "", "", "B", 1, ""]


def _csv(headers, rows) -> bytes:
    return ("\ufeff" + ",".join(headers) + "\n" + "\n".join(",".join(str(v) for v in r) for r in rows) + "\n").encode()


@pytest.mark.parametrize("url", ["/questions/export.docx", "/questions/export.docx?keys=1", "/questions/export.xlsx",
                                 "/questions/export.xml"])
def test_a_question_with_a_vertical_tab_imports_and_then_breaks_the_banks_exports(app, client, make_user, login, url):
    setter = make_user("tac_gia", "question_setter")
    parsed = importers.parse("bank.csv", _csv(spreadsheet.HEADERS, [ROW]), {})
    bank.import_records(parsed.records, setter, filename="bank.csv")
    db.session.commit()
    login(setter)
    response = client.get(url)  # was .docx: ValueError, .xlsx: IllegalCharacterError (a 500)
    assert response.status_code == 200
    if url.endswith(".xml"):
        ET.fromstring(response.data)  # was not well-formed (\x0b is not allowed in XML 1.0)


def test_an_applicant_name_with_a_control_character_is_refused_or_cleaned(app):
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", tabular.xlsx_bytes([("d", POSITION_HEADERS, POSITIONS)]))
    data = _csv(APPLICATION_HEADERS, [application_row("031000000001", "Lê\x07Bình")])
    try:
        importing.import_applications(round_, "a.csv", data)
    except ImportRejected as rejected:
        assert [(e.row, e.column) for e in rejected.errors] == [(2, "full_name")]
        return
    name = db.session.scalar(db.select(Application.full_name))
    assert name.isprintable(), repr(name)  # was stored as is


def test_results_and_interview_xlsx_survive_a_control_character_in_a_name(demo_round):
    rows = service.rows_of(service.latest(demo_round))
    rows[0]["full_name"] = "Lê\x07Bình"
    exports.to_xlsx(rows)  # was openpyxl IllegalCharacterError: the export answered 500
    interview = documents.interviews_of(demo_round)[0]
    interview.application.full_name = "Trần\x01An"
    db.session.flush()
    documents.schedule_xlsx(demo_round)


def test_a_topic_stored_with_a_control_character_does_not_break_the_word_export(app, client, make_user, login):
    setter = make_user("tac_gia", "question_setter")
    parsed = importers.parse("bank.csv", _csv(spreadsheet.HEADERS, [ROW]), {})
    bank.import_records(parsed.records, setter, filename="bank.csv")
    for question in db.session.scalars(db.select(Question)):
        question.topic = "Hiến\x07pháp"  # as a row stored before the imports cleaned control characters
    db.session.commit()
    login(setter)
    response = client.get("/questions/export.docx")
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/questions/export.docx", "/questions/export.xlsx"])
def test_a_noncharacter_in_a_question_does_not_break_the_exports(app, client, make_user, login, url):
    setter = make_user("tac_gia", "question_setter")
    row = list(ROW)
    row[6] = "Câu hỏi\uffff?"
    parsed = importers.parse("bank.csv", _csv(spreadsheet.HEADERS, [row]), {})
    assert not parsed.errors if hasattr(parsed, "errors") else True
    bank.import_records(parsed.records, setter, filename="bank.csv")
    db.session.commit()
    login(setter)
    assert client.get(url).status_code == 200
