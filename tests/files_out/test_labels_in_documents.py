"""Item 9: the codes the documents and reasons used to print, now in words (one catalogue,
recruitment/labels.py), and the documents' own mistakes (a suspension is not a failure, the
cancellation note names its reason, the room list's headers do not overlap)."""
from __future__ import annotations

import io

from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from exam.day import papers
from exam.day.models import Placement, Room
from recruitment import labels
from recruitment.extensions import db
from recruitment.models import Application
from results import announce, reasons, service
from results.models import ResultVersion, TieDecision
from results.ranking import Reason


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_value_list_has_its_labels():
    from exam.models import ATTEMPT_STATUSES, TEST_KINDS
    from questionbank.models import STATUSES, TYPES
    from recruitment.rulesets import DEGREE_LEVELS, GRADES, PRESETS, SECTIONS
    from recruitment.scores import SANCTIONS
    from verification.importing import OUTCOMES
    from verification.models import DECISIONS, KINDS

    for kind, codes in [("grade", GRADES), ("degree", DEGREE_LEVELS), ("section", SECTIONS), ("sanction", SANCTIONS),
                        ("attempt_status", ATTEMPT_STATUSES), ("test_kind", TEST_KINDS), ("question_status", STATUSES),
                        ("question_type", TYPES), ("doc_kind", KINDS), ("doc_decision", DECISIONS),
                        ("dossier_outcome", OUTCOMES), ("rule_set", PRESETS)]:
        assert set(codes) <= set(labels.kinds()[kind]), kind


def test_reasons_name_the_part_and_the_sanction_in_words(app):
    with app.test_request_context(), force_locale("vi"):
        text = reasons.sentence(Reason("round1_fail", ("general", 20, 60, 30, "warning")))
        voided = reasons.sentence(Reason("round1_voided", ("language",)))
    assert "kiến thức chung" in text and "cảnh cáo" in text and "general" not in text and "warning" not in text
    assert "ngoại ngữ" in voided and "language" not in voided


def test_the_room_list_and_slip_say_suspended_not_failed_and_name_the_sanction(demo_round):
    room = db.session.scalar(select(Room).order_by(Room.id))
    placement = db.session.scalar(select(Placement).filter_by(seat_id=room.seats[0].id))
    placement.attempt.sanction, placement.attempt.passed = "suspension", False
    db.session.flush()
    room_pdf, slip = _pdf_text(papers.room_results_pdf(room, photos_shown=True)), _pdf_text(papers.score_slip(placement))
    for text in (room_pdf, slip):
        assert "đình chỉ" in text and "suspension" not in text
    line = next(line for line in slip.splitlines() if line.startswith("Kết quả"))
    assert "không đạt" not in line
    assert "Số câu" in room_pdf and "đúng" in room_pdf and "Số câu đúngKỷ luật" not in room_pdf.replace(" ", "")


def test_the_cancellation_note_names_the_reason(demo_round, app):
    for n, row in enumerate(r for r in service.compute(demo_round).rows if r.status == "tie_pending"):
        db.session.add(TieDecision(application_id=row.candidate.application_id,
                                   decision="selected" if n == 0 else "not_selected", reason="Kinh nghiệm"))
    selected = next(r for r in service.compute(demo_round).rows if r.status == "selected")
    application = db.session.get(Application, selected.candidate.application_id)
    application.cancelled, application.cancel_reason = True, "bằng tốt nghiệp giả"
    db.session.commit()
    announce.on_selections_cancelled(app, application_ids=[application.id])  # F3: the batch publishes one version
    note = db.session.scalar(select(ResultVersion.note).order_by(ResultVersion.number.desc()))
    assert "bằng tốt nghiệp giả" in note and "cancellation of" not in note and application.number_label in note


def test_a_rejection_for_the_degree_level_names_the_levels_in_words(app):
    from recruitment.applications import shortfall_text
    from recruitment.eligibility import Shortfall

    shortfall = Shortfall("degree_level", {"have": "dai_hoc", "need": "thac_si"})
    with app.test_request_context():
        with force_locale("en"):
            english = shortfall_text(shortfall)
        with force_locale("vi"):
            vietnamese = shortfall_text(shortfall)
    assert "Bachelor (đại học)" in english and "Master (thạc sĩ)" in english
    for text in (english, vietnamese):
        assert "dai_hoc" not in text and "thac_si" not in text


def test_a_rounds_rule_set_is_named_by_its_decree(app, client, make_user, login):
    """The round's pages, the results and the round form showed the rule set's code (vn-2025)."""
    from recruitment.models import Round
    from tests.support.factories import make_round

    round_ = make_round()
    db.session.commit()
    login(make_user("hr", "hr"))
    for path in ("/hr/rounds", f"/hr/rounds/{round_.id}", "/hr/rounds/new"):
        page = client.get(path).get_data(as_text=True)
        assert "170/2025" in page and ">vn-2025<" not in page and "vn-2025 " not in page, path
    assert db.session.get(Round, round_.id).rules_code == "vn-2025"
