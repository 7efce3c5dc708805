"""The admission ticket and the score slip wrap what people typed (the name, the position, the test's
title) within their cells: a position name of 150 characters (the column takes 300) was drawn past
the right edge of the A4 page, and the printed ticket lost it."""
import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from sqlalchemy import select

from exam.day import papers
from exam.day.models import Placement, Sitting
from recruitment.extensions import db
from tests.support.factories import build_day

LONG = ("Chuyên viên quản lý ngân sách nhà nước và tài chính doanh nghiệp thuộc Phòng Tài chính - Kế hoạch "
        "Ủy ban nhân dân quận Ngô Quyền thành phố Hải Phòng")


def _rightmost(data: bytes) -> float:
    """Where the longest drawn line ends: its start on the page plus its width in the ticket's font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from recruitment.pdf import FONT, register_fonts

    register_fonts()
    right = 0.0
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, font_dict, font_size):
            nonlocal right
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                right = max(right, x + stringWidth(text.strip(), FONT, 8))
        page.extract_text(visitor_text=visit)
    return right


def test_a_long_position_name_stays_on_the_ticket(app, tmp_path):
    day = build_day(tmp_path, candidates=1)
    sitting = db.session.get(Sitting, day.sitting_id)
    placement = db.session.scalar(select(Placement).filter_by(sitting_id=sitting.id))
    placement.attempt.application.position.name = LONG
    db.session.flush()
    data = papers.tickets(sitting, {placement.id: "ABCD"}, photos_shown=lambda room: False)
    end = _rightmost(data)
    assert end < A4[0], f"a line of the ticket ends at {end:.0f} pt, the page at {A4[0]:.0f} pt"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert LONG.split() == text.split()[text.split().index("Chuyên"):][:len(LONG.split())]  # all of it, wrapped
