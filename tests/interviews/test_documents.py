"""The interview papers on real data: the schedule (PDF, XLSX), the invitation letters and the
boards' score sheets say in Vietnamese who comes when and where, and only those entitled may
download them."""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale, get_babel, refresh
from openpyxl import load_workbook
from pypdf import PdfReader

from interviews import documents, service
from interviews.models import Board, Interview
from recruitment import i18n
from recruitment.extensions import db
from recruitment.models import Application
from tests.support.auth import login_as
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row

DAY = datetime(2026, 12, 1)  # a Tuesday
NAMES = ["Trần Văn An", "Lê Thị Bình", "Võ Minh Cường"]


def _pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF")
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def setup(app, make_user, tmp_path):
    """A round with three candidates for TC-01; a board (head + member) interviews two of them on
    1 December and one on 2 December. The first is scored by both, the member declared a conflict
    with the second (C4, G5)."""
    head = make_user("truongban", "interviewer", full_name="Hoàng Văn Thành")
    member = make_user("thanhvien", "interviewer", full_name="Ngô Thị Minh Phương")
    outsider = make_user("khac", "interviewer", full_name="Đặng Quốc Bảo")
    round_ = make_round("PV")
    round_.name = "Thi tuyển công chức thành phố Hải Phòng năm 2026"
    rows = [application_row(f"03100000000{i}", name) for i, name in enumerate(NAMES, 1)]
    import_candidates(round_, tmp_path, rows)
    apps = {a.full_name: a for a in db.session.scalars(db.select(Application))}
    board = Board(round_id=round_.id, name="Ban phỏng vấn số 1", room="Phòng 301", head_id=head.id, positions="TC-01")
    board.members = [head, member]
    db.session.add(board)
    db.session.flush()
    starts = [DAY.replace(hour=8), DAY.replace(hour=8, minute=30), DAY.replace(hour=8) + timedelta(days=1)]
    interviews = []
    for name, start in zip(NAMES, starts, strict=True):
        interviews.append(Interview(board_id=board.id, application_id=apps[name].id, starts_at=start, minutes=30))
    db.session.add_all(interviews)
    db.session.flush()
    for user, points in ((head, [35, 25, 15, 8]), (member, [30, 22, 14, 9])):  # 83 and 75
        service.declare(interviews[0], user, conflict=False)
        service.submit(interviews[0], user, [Decimal(p) for p in points])
    service.declare(interviews[1], member, conflict=True, note="anh họ")
    db.session.commit()
    return {"round": round_, "board": board, "head": head, "member": member, "outsider": outsider,
            "interviews": interviews, "apps": apps}


def test_schedule_pdf_lists_each_day_and_board_in_vietnamese(setup):
    text = " ".join(_pages(documents.schedule_pdf(setup["round"])))
    assert "LỊCH PHỎNG VẤN" in text and "Thi tuyển công chức thành phố Hải Phòng năm 2026" in text
    assert "Thứ Ba, ngày 01/12/2026" in text and "Thứ Tư, ngày 02/12/2026" in text
    assert "Ban phỏng vấn số 1" in text and "Phòng 301" in text
    assert "Hoàng Văn Thành (Trưởng ban)" in text and "Ngô Thị Minh Phương" in text
    for name in NAMES:
        assert name in text
    assert "08:00–08:30" in text and "08:30–09:00" in text
    assert "TC-01 — Chuyên viên ngân sách" in text
    # In time order: the first day's candidates before the second day's.
    assert text.index("Trần Văn An") < text.index("Lê Thị Bình") < text.index("Thứ Tư") < text.index("Võ Minh Cường")
    assert all(a.number_label and a.number_label in text for a in setup["apps"].values())


def test_schedule_pdf_of_one_board_and_in_english(setup, make_user):
    other = Board(round_id=setup["round"].id, name="Ban số 2", room="Phòng 302", head_id=setup["outsider"].id,
                  positions="VT-02")
    other.members = [setup["outsider"]]
    db.session.add(other)
    db.session.commit()
    assert "Ban số 2" not in " ".join(_pages(documents.schedule_pdf(setup["round"], setup["board"])))
    with force_locale("en"):
        text = " ".join(_pages(documents.schedule_pdf(setup["round"], other)))
    assert "INTERVIEW SCHEDULE" in text and "Nothing scheduled yet." in text and "Ban số 2" in text


def test_schedule_xlsx_has_one_row_per_interview(setup):
    book = load_workbook(io.BytesIO(documents.schedule_xlsx(setup["round"])))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == documents.SCHEDULE_COLUMNS
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    a = setup["apps"]["Trần Văn An"]
    # Typed cells (shown dd/mm/yyyy and hh:mm), so that HR can sort and filter them.
    assert first["ngay"] == datetime(2026, 12, 1) and first["ngay_sinh"].date() == a.date_of_birth
    assert first["gio_bat_dau"].strftime("%H:%M") == "08:00" and first["gio_ket_thuc"].strftime("%H:%M") == "08:30"
    assert first["so_bao_danh"] == a.number_label and first["ho_ten"] == "Trần Văn An"
    assert first["phong"] == "Phòng 301" and first["ma_vi_tri"] == "TC-01" and first["so_phut"] == 30
    assert first["truong_ban"] == "Hoàng Văn Thành" and first["thanh_vien"] == "Ngô Thị Minh Phương"
    assert [r[7] for r in rows[1:]] == NAMES


def test_invitation_letters_one_page_each(setup):
    pages = _pages(documents.invitation_letters_pdf(setup["round"], setup["interviews"]))
    assert len(pages) == 3
    for page, name in zip(pages, NAMES, strict=True):
        assert "GIẤY MỜI PHỎNG VẤN" in page and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
        assert f"Kính gửi: Ông/Bà {name}" in page
        assert "Thi tuyển công chức thành phố Hải Phòng năm 2026" in page
        assert "Phòng 301" in page and "Ban phỏng vấn số 1" in page
        assert "căn cước công dân" in page and "trước giờ phỏng vấn 15 phút" in page
        assert "30 phút" in page
    assert "Từ 08:30 đến 09:00, Thứ Ba, ngày 01/12/2026" in pages[1]
    assert "Từ 08:00 đến 08:30, Thứ Tư, ngày 02/12/2026" in pages[2]
    assert setup["apps"]["Lê Thị Bình"].number_label in pages[1]


def test_a_letter_is_dated_the_day_it_is_issued_in_the_configured_time_zone(setup, monkeypatch):
    """The letter's date is the day where the council sits (BABEL_DEFAULT_TIMEZONE), as every other
    day the system counts, not UTC plus Vietnam's seven hours fixed in the code."""
    monkeypatch.setattr(get_babel(), "default_timezone", "Asia/Tokyo")
    refresh()  # the time zone this request context had taken
    now = lambda: datetime(2026, 11, 30, 16, 30)  # noqa: E731 -- 01:30 on 1 December in Tokyo, 23:30 on 30 November in Vietnam
    monkeypatch.setattr(i18n, "utcnow", now)
    monkeypatch.setattr(documents, "utcnow", now, raising=False)
    page = _pages(documents.invitation_letters_pdf(setup["round"], setup["interviews"][:1]))[0]
    assert "ngày 01 tháng 12 năm 2026" in page


def test_score_sheets_one_per_member_and_the_summary(setup):
    pages = _pages(documents.score_sheets_pdf(setup["board"], DAY.date()))
    assert len(pages) == 3  # the head's sheet, the member's sheet, the summary
    head_sheet, member_sheet, summary = pages
    for sheet, who in ((head_sheet, "Hoàng Văn Thành (Trưởng ban)"), (member_sheet, "Ngô Thị Minh Phương (Thành viên)")):
        assert "PHIẾU CHẤM ĐIỂM PHỎNG VẤN" in sheet and f"Người chấm: {who}" in sheet
        assert "Kiến thức chuyên môn (tối đa 40)" in sheet and "Thái độ, tác phong (tối đa 10)" in sheet
        assert "Tổng (100)" in sheet and "Thứ Ba, ngày 01/12/2026" in sheet
        assert sheet.index("Trần Văn An") < sheet.index("Lê Thị Bình")
        assert "Võ Minh Cường" not in sheet  # another day
    assert "đã khai báo xung đột" in member_sheet and "đã khai báo xung đột" not in head_sheet
    assert "BIÊN BẢN TỔNG HỢP ĐIỂM PHỎNG VẤN" in summary
    assert "83,00" in summary and "75,00" in summary and "79,00" in summary  # the mean (C4), decimal comma
    assert "xung đột" in summary and "Chữ ký" in summary and "TRƯỞNG BAN PHỎNG VẤN" in summary


def test_a_long_head_reason_breaks_no_score_summary(setup):
    """The board head's reason, printed in the summary's notes, had no limit: a few thousand characters
    made the row taller than a page (reportlab's LayoutError, a 500). The row now runs on to the next
    page, and the reason is printed whole."""
    reason = "Hai thành viên chấm lệch nhau về kinh nghiệm thực tế của thí sinh, biên bản BB-07. " * 45
    interview = setup["interviews"][0]
    interview.final_score, interview.head_reason = Decimal(80), reason
    db.session.commit()
    text = " ".join(_pages(documents.score_sheets_pdf(setup["board"], DAY.date())))
    assert text.count("BB-07") == 45  # every sentence, page footers coming between its pages


def test_score_sheets_of_a_day_without_interviews(setup):
    pages = _pages(documents.score_sheets_pdf(setup["board"], DAY.date() + timedelta(days=5)))
    assert len(pages) == 3 and all("Ban không có lượt phỏng vấn nào trong ngày này." in p for p in pages)


def _get(client, user, url):
    login_as(client, user)
    return client.get(url)


def test_schedule_downloads_for_hr_the_chair_and_the_supervisor(setup, client, make_user):
    round_id = setup["round"].id
    for username, role in (("hr", "hr"), ("chair", "council_chair"), ("giamsat", "supervisor")):
        user = make_user(username, role)
        pdf = _get(client, user, f"/interviews/documents/rounds/{round_id}/schedule.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert "Trần Văn An" in " ".join(_pages(pdf.data))
        xlsx = _get(client, user, f"/interviews/documents/rounds/{round_id}/schedule.xlsx")
        assert xlsx.status_code == 200
        assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert load_workbook(io.BytesIO(xlsx.data)).worksheets[0].max_row == 4
    hr = make_user("hr2", "hr")
    board_pdf = _get(client, hr, f"/interviews/documents/rounds/{round_id}/schedule.pdf?board={setup['board'].id}")
    assert board_pdf.status_code == 200
    assert _get(client, hr, f"/interviews/documents/rounds/{round_id}/schedule.pdf?board=999").status_code == 404
    assert _get(client, hr, "/interviews/documents/rounds/999/schedule.xlsx").status_code == 404
    assert _get(client, setup["head"], f"/interviews/documents/rounds/{round_id}/schedule.pdf").status_code == 403


def test_invitations_for_hr_only(setup, client, make_user):
    url = f"/interviews/documents/rounds/{setup['round'].id}/invitations.pdf"
    response = _get(client, make_user("hr", "hr"), url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(_pages(response.data)) == 3
    one_day = _get(client, make_user("hr2", "hr"), url + "?day=2026-12-02")
    assert [p for p in _pages(one_day.data) if "Võ Minh Cường" in p] and len(_pages(one_day.data)) == 1
    assert _get(client, make_user("hr3", "hr"), url + "?day=02-12-2026").status_code == 404
    assert _get(client, make_user("chair", "council_chair"), url).status_code == 403
    assert _get(client, setup["head"], url).status_code == 403


def test_score_sheets_for_the_board_hr_and_the_chair_only(setup, client, make_user, monkeypatch):
    url = f"/interviews/documents/boards/{setup['board'].id}/score-sheets.pdf?day=2026-12-01"
    for user in (setup["head"], setup["member"], make_user("hr", "hr"), make_user("chair", "council_chair")):
        response = _get(client, user, url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "PHIẾU CHẤM ĐIỂM PHỎNG VẤN" in _pages(response.data)[0]
    assert _get(client, setup["outsider"], url).status_code == 403  # an interviewer of no such board
    assert _get(client, make_user("proctor", "proctor"), url).status_code == 403
    # Without a day: the board's next day of interviews, seen the day before the first (1 December
    # 2026). Read on the real clock, this failed from the second day of interviews on.
    monkeypatch.setattr(i18n, "utcnow", lambda: DAY - timedelta(days=1))
    default = _get(client, setup["member"], f"/interviews/documents/boards/{setup['board'].id}/score-sheets.pdf")
    assert default.status_code == 200 and "01/12/2026" in _pages(default.data)[0]


def test_the_default_score_sheets_are_of_the_day_in_vietnam(setup, client, monkeypatch):
    """At 23:30 UTC on 1 December it is 06:30 on 2 December in Vietnam, where the interviews' times
    are written: a member printing the sheets before the day's interviews gets the 2nd's, not the
    1st's (today was taken as UTC's day, a day behind until 07:00 in Vietnam)."""
    monkeypatch.setattr(i18n, "utcnow", lambda: datetime(2026, 12, 1, 23, 30))
    default = _get(client, setup["member"], f"/interviews/documents/boards/{setup['board'].id}/score-sheets.pdf")
    first = _pages(default.data)[0]
    assert default.status_code == 200 and "02/12/2026" in first and "01/12/2026" not in first


def test_the_pages_link_the_downloads(setup, client, make_user, monkeypatch):
    round_id = setup["round"].id
    page = _get(client, make_user("hr", "hr"), f"/interviews/rounds/{round_id}/schedule").get_data(as_text=True)
    assert f"/interviews/documents/rounds/{round_id}/schedule.pdf" in page
    assert f"/interviews/documents/rounds/{round_id}/schedule.xlsx" in page
    assert f"/interviews/documents/rounds/{round_id}/invitations.pdf" in page
    chair_page = _get(client, make_user("chair", "council_chair"), f"/interviews/rounds/{round_id}/schedule")
    assert "invitations.pdf" not in chair_page.get_data(as_text=True)
    # Today's sheets are linked on the member's page, today being the day in Vietnam: at 23:30 UTC on
    # 1 December it is 06:30 on the 2nd there, a day of this board. Read on the real clock, the day
    # the test put an interview on and the day the page took could differ.
    monkeypatch.setattr(i18n, "utcnow", lambda: datetime(2026, 12, 1, 23, 30))
    mine = _get(client, setup["member"], "/interviews/mine").get_data(as_text=True)
    assert f"/interviews/documents/boards/{setup['board'].id}/score-sheets.pdf?day=2026-12-02" in mine
    assert "score-sheets.pdf?day=2026-12-01" not in mine
    assert "score-sheets.pdf" not in _get(client, setup["outsider"], "/interviews/mine").get_data(as_text=True)


def _summary_of(response) -> str:
    """The summary the board signs: the last sheet, which may run on to a second page."""
    assert response.status_code == 200
    text = " ".join(_pages(response.data))
    return text[text.index("BIÊN BẢN TỔNG HỢP ĐIỂM PHỎNG VẤN"):]


def test_a_member_reads_no_other_score_of_an_interview_before_submitting_their_own(setup, client, make_user):
    """C4: nobody sees another's score before submitting their own, as on the interview's page. The
    summary of the score sheets, which any member may print at any time, listed every submitted total,
    the spread and the result: a member who had not scored read the others' before scoring."""
    first, second = setup["interviews"][:2]
    outsider = setup["outsider"]
    setup["board"].members.append(outsider)  # a third member, who has not scored the first candidate yet
    service.declare(second, setup["head"], conflict=False)
    service.submit(second, setup["head"], [Decimal(p) for p in (36, 27, 18, 9)])  # 90
    db.session.commit()
    url = f"/interviews/documents/boards/{setup['board'].id}/score-sheets.pdf?day=2026-12-01"
    late = _summary_of(_get(client, outsider, url))
    assert "83,00" not in late and "75,00" not in late and "79,00" not in late and "90,00" not in late
    assert "sau khi nộp điểm của mình" in late  # says why the others' scores are not shown
    conflicted = _summary_of(_get(client, setup["member"], url))  # scored the first; a conflict on the second
    assert "83,00" in conflicted and "75,00" in conflicted and "90,00" not in conflicted
    head = _summary_of(_get(client, setup["head"], url))
    assert "83,00" in head and "75,00" in head and "90,00" in head  # scored both: sees both
    for reader in (make_user("hr", "hr"), make_user("chair", "council_chair")):
        whole = _summary_of(_get(client, reader, url))
        assert "83,00" in whole and "75,00" in whole and "90,00" in whole  # the first waits for the third member


def test_a_substitutes_score_is_on_the_summary_and_they_sign_it(setup, make_user):
    """C4: the head's replacement for a member who declared a conflict scores that interview; the
    summary listed the board's members only, so the substitute's total never appeared on it."""
    second = setup["interviews"][1]
    spare = make_user("duphong", "interviewer", full_name="Bùi Thị Thu")
    service.replace_member(second, setup["head"], setup["member"], spare)
    for user, points in ((setup["head"], (36, 27, 18, 9)), (spare, (32, 24, 16, 8))):  # 90 and 80
        service.declare(second, user, conflict=False)
        service.submit(second, user, [Decimal(p) for p in points])
    db.session.commit()
    text = " ".join(_pages(documents.score_sheets_pdf(setup["board"], DAY.date())))
    summary = text[text.index("BIÊN BẢN TỔNG HỢP ĐIỂM PHỎNG VẤN"):]
    assert "Bùi Thị Thu" in summary and "90,00" in summary and "80,00" in summary and "85,00" in summary
    assert "Người thay thế" in summary  # their role, where they sign
