"""Item 8: text typed by people (names, reasons, titles) reaches every PDF as plain text: no markup
read by reportlab, no embedded server file, no failure. Each PDF is read back with pypdf."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from exam.day import papers
from exam.day.models import Placement, Room, Sitting
from interviews import documents
from recruitment.extensions import db
from recruitment.models import Application
from results import exports, service
from results.models import TieDecision
from tests.support.hostile import MARKUP


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert not page.images, "a name embedded an image"
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _shown(text: str, name: str) -> bool:
    return re.sub(r"\s+", " ", name) in text


def test_results_pdf_prints_hostile_names_and_reasons_as_written(demo_round):
    rows = service.rows_of(service.latest(demo_round))
    for row, name in zip(rows, MARKUP, strict=False):
        row["full_name"] = name
        row["reason"] = "hủy kết quả: <b>hồ sơ giả</b> & <i>"
    data = exports.to_pdf(rows, title="Thi tuyển <b>2026", version=3, digest="abc",
                          positions={rows[0]["position_code"]: "Chuyên viên <img src='x.png'/>"}, chair="Phạm <Hòa>")
    text = _text(data)
    for name in MARKUP:
        assert _shown(text, name), name
    assert "<b>hồ sơ giả</b>" in text and "Thi tuyển <b>2026" in text and "Phạm <Hòa>" in text


def _admitted(round_, name: str) -> Application:
    return db.session.scalar(select(Application).filter_by(round_id=round_.id, full_name=name))


def test_a_cancellation_reason_with_markup_publishes_and_exports(demo_round, client, make_user, login):
    """The reason reaches version 2 and the page that serves it: 200, and printed as written."""
    rows = service.compute(demo_round).rows
    for n, row in enumerate(r for r in rows if r.status == "tie_pending"):
        db.session.add(TieDecision(application_id=row.candidate.application_id,
                                   decision="selected" if n == 0 else "not_selected", reason="Kinh nghiệm"))
    selected = next(r for r in rows if r.status == "selected")
    application = db.session.get(Application, selected.candidate.application_id)
    application.cancelled, application.cancel_reason = True, "bằng <b>giả & <không hợp lệ"
    application.full_name = MARKUP[0]
    db.session.commit()
    service.publish(demo_round, "test", "<b>")
    login(make_user("chair", "council_chair"))
    response = client.get(f"/results/{demo_round.id}/versions/2.pdf")
    assert response.status_code == 200
    text = _text(response.data)
    assert "bằng <b>giả & <không hợp lệ" in text and _shown(text, MARKUP[0])


def test_exam_day_papers_print_hostile_names(demo_round):
    sitting = db.session.scalar(select(Sitting))
    room = db.session.scalar(select(Room).filter_by(sitting_id=sitting.id).order_by(Room.id))
    placements = [db.session.scalar(select(Placement).filter_by(seat_id=s.id)) for s in room.seats]
    placements = [p for p in placements if p is not None][:len(MARKUP)]
    for placement, name in zip(placements, MARKUP, strict=True):
        placement.attempt.application.full_name = name
    sitting.test.title = "Kiến thức chung <b>vòng 1"
    placements[0].attempt.application.round.name = "Thi tuyển <i>2026 & <img src='/etc/passwd'/>"
    db.session.flush()
    tickets = _text(papers.tickets(sitting, {p.id: f"CODE{p.id}" for p in placements}, photos_shown=lambda room: True))
    room_pdf = _text(papers.room_results_pdf(room, photos_shown=True))
    slip = _text(papers.score_slip(placements[1]))
    for name in MARKUP:
        assert _shown(tickets, name) and _shown(room_pdf, name), name
    assert "Thi tuyển <i>2026 & <img src='/etc/passwd'/>" in tickets
    assert "Kiến thức chung <b>vòng 1" in room_pdf and _shown(slip, MARKUP[1])


def test_interview_papers_print_hostile_names(demo_round):
    interviews = documents.interviews_of(demo_round)
    for interview, name in zip(interviews, MARKUP, strict=False):
        interview.application.full_name = name
    db.session.flush()
    text = _text(documents.schedule_pdf(demo_round)) + _text(documents.invitation_letters_pdf(demo_round, interviews[:5]))
    for name in MARKUP[:len(interviews)]:
        assert _shown(text, name), name


LONG_REASON = "Thí sinh trao đổi bài với thí sinh bên cạnh, biên bản kèm theo số 12/BB. " * 60  # 4,380 characters


def _printed_whole(text: str) -> bool:
    """Every sentence of LONG_REASON is in the text (page footers come between its pages)."""
    return text.count("12/BB") == 60 and _shown(text, LONG_REASON[:200].strip()) and _shown(text, LONG_REASON[-200:].strip())


def test_a_long_sanction_reason_breaks_no_score_slip(demo_round):
    """A sanction reason of 4,000 characters (the console's field had no limit) made the score slip's
    table row taller than a page: reportlab's LayoutError, a 500. The row now runs on to the next page,
    and the reason is printed whole."""
    sitting = db.session.scalar(select(Sitting))
    room = db.session.scalar(select(Room).filter_by(sitting_id=sitting.id).order_by(Room.id))
    placement = next(p for p in (db.session.scalar(select(Placement).filter_by(seat_id=s.id)) for s in room.seats)
                     if p is not None)
    placement.attempt.sanction, placement.attempt.sanction_reason = "reprimand", LONG_REASON
    db.session.flush()
    assert _printed_whole(_text(papers.score_slip(placement)))


def test_a_long_cancellation_reason_breaks_no_results_list(app):
    """A cancellation reason of about 3,700 characters (the verification file took reasons up to 32,767)
    made a row of the results list taller than a page: LayoutError, a 500 on the published version's
    PDF. The row now runs on to the next page, and the reason is printed whole."""
    row = dict.fromkeys(service.CSV_COLUMNS, "")
    row.update(position_code="TC-01", candidate_number="1", full_name="Trần An", status="cancelled", round1="pass",
               reason="selection cancelled: " + LONG_REASON)
    text = _text(exports.to_pdf([row], title="Kết quả", version=2, digest="x", positions={"TC-01": "Chuyên viên"}))
    assert _printed_whole(text)
