"""Interview papers, in Vietnamese by default: the schedule (PDF per day and board, XLSX one row per
interview), the invitation letters sent to candidates, and the score sheets each board fills in by
hand and signs (C4). Plain functions on the database, no request: views and commands call them.

Interview times are stored as the wall-clock time of the interview (the schedule is built from
local days and hours), so they are printed as stored.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import groupby

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from recruitment import pdf
from recruitment.extensions import db
from recruitment.i18n import format_number, local_today
from recruitment.models import Round, User
from recruitment.tabular import xlsx_bytes
from recruitment.vietnamese import name_sort_key

from . import rubrics, service
from .models import DEFAULT_RUBRIC, Board, Interview, Score, Substitute

# The schedule workbook's columns: fixed names (the Vietnamese aliases style of formats.md), the
# same whatever the reader's language, so that HR's own sheets and scripts can rely on them.
SCHEDULE_COLUMNS = ["ngay", "gio_bat_dau", "gio_ket_thuc", "so_phut", "ban_phong_van", "phong", "so_bao_danh",
                    "ho_ten", "ngay_sinh", "ma_vi_tri", "ten_vi_tri", "co_quan", "truong_ban", "thanh_vien"]


def _weekday(day: date) -> str:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return names[day.weekday()]


def day_label(day: date) -> str:
    return _("%(weekday)s, %(date)s", weekday=_weekday(day), date=day.strftime("%d/%m/%Y"))


def _hm(value: datetime) -> str:
    return value.strftime("%H:%M")


def _end(interview: Interview) -> datetime:
    return interview.starts_at + timedelta(minutes=interview.minutes)


escape, _p, _heads = pdf.escape, pdf.para, pdf.heads  # names typed by people never read as markup


def _keep_with_next(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_kwn", parent=style, keepWithNext=1)


def members(board: Board) -> list[User]:
    """The head first, then the other members in Vietnamese name order (A3's order)."""
    others = {m.id: m for m in board.members if m.id != board.head_id}
    return [board.head, *sorted(others.values(), key=lambda u: name_sort_key(u.full_name))]


def _member_names(board: Board) -> str:
    people = members(board)
    text = _("%(name)s (head)", name=people[0].full_name)
    return "; ".join([text, *(m.full_name for m in people[1:])])


def interviews_of(round_: Round, board: Board | None = None) -> list[Interview]:
    query = select(Interview).join(Board).where(Board.round_id == round_.id)
    if board is not None:
        query = query.where(Interview.board_id == board.id)
    return list(db.session.scalars(query.order_by(Interview.starts_at, Board.name, Interview.id)))


def board_day(board: Board, day: date) -> list[Interview]:
    start = datetime(day.year, day.month, day.day)
    return list(db.session.scalars(select(Interview).where(Interview.board_id == board.id,
                                                           Interview.starts_at >= start,
                                                           Interview.starts_at < start + timedelta(days=1))
                                   .order_by(Interview.starts_at, Interview.id)))


def board_days(board: Board) -> list[date]:
    return sorted({i.starts_at.date() for i in db.session.scalars(select(Interview).filter_by(board_id=board.id))})


def _letterhead(round_: Round, st) -> Table:
    """Left: the council and its round; right: the national title, as administrative papers have."""
    centre = ParagraphStyle("centre", parent=st["body"], alignment=TA_CENTER)
    bold = ParagraphStyle("centre_bold", parent=centre, fontName=pdf.FONT_BOLD)
    left = [Paragraph(escape(_("RECRUITMENT COUNCIL")), bold), _p(round_.name, centre)]
    right = [Paragraph(escape(_("SOCIALIST REPUBLIC OF VIETNAM")), bold),
             Paragraph("<u>" + escape(_("Independence - Freedom - Happiness")) + "</u>", bold)]
    head = Table([[left, right]], colWidths=["45%", "55%"])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return head


def _footer(round_: Round, extra: str = "") -> str:
    return " · ".join(part for part in (round_.code, round_.name, extra) if part)


# --- the schedule ---------------------------------------------------------------------------

def schedule_pdf(round_: Round, board: Board | None = None) -> bytes:
    """Per day, then per board (its room and members): time, room, candidate, position."""
    st = pdf.styles()
    title = _("INTERVIEW SCHEDULE")
    story = [Paragraph(escape(title), st["title"]), _p(round_.name, st["body"])]
    if board is not None:
        story.append(_p(board.name, st["body"]))
    story.append(Spacer(1, 4 * mm))
    found = interviews_of(round_, board)
    if not found:
        story.append(Paragraph(escape(_("Nothing scheduled yet.")), st["body"]))
    headers = [_("#"), _("Time"), _("Room"), _("No."), _("Full name"), _("Date of birth"), _("Position")]
    widths = [10 * mm, 26 * mm, 38 * mm, 18 * mm, 58 * mm, 24 * mm, 93 * mm]
    for day, of_day in groupby(found, key=lambda i: i.starts_at.date()):
        story.append(Paragraph(escape(day_label(day)), _keep_with_next(st["h2"])))
        of_day = sorted(of_day, key=lambda i: (i.board.name, i.board_id, i.starts_at, i.id))
        for _board_id, rows in groupby(of_day, key=lambda i: i.board_id):
            rows = list(rows)
            b = rows[0].board
            story.append(Paragraph(
                "<b>" + escape(b.name) + "</b> · " + escape(_("Room: %(room)s", room=b.room or "—")) + " · "
                + escape(_("Board: %(names)s", names=_member_names(b))), _keep_with_next(st["body"])))
            table = [headers] + [[str(n), f"{_hm(i.starts_at)}–{_hm(_end(i))}", _p(b.room, st["cell"]),
                                  i.application.number_label, _p(i.application.full_name, st["cell"]),
                                  i.application.date_of_birth.strftime("%d/%m/%Y"),
                                  _p(f"{i.application.position.code} — {i.application.position.name}", st["cell"])]
                                 for n, i in enumerate(rows, 1)]
            story += [pdf.table(table, widths), Spacer(1, 4 * mm)]
    return pdf.build(story, title=title, footer=_footer(round_, board.name if board else ""), landscape_pages=True,
                     page_label=_("Page %(page)d"))


def schedule_rows(round_: Round) -> list[list]:
    rows = []
    for i in interviews_of(round_):
        a, b = i.application, i.board
        people = members(b)
        rows.append([i.starts_at.date(), i.starts_at.time(), _end(i).time(), i.minutes, b.name, b.room,
                     a.number_label, a.full_name, a.date_of_birth, a.position.code,
                     a.position.name, a.position.agency, people[0].full_name, "; ".join(m.full_name for m in people[1:])])
    return rows


def schedule_xlsx(round_: Round) -> bytes:
    """One row per interview, in time order, under SCHEDULE_COLUMNS; days and times are typed cells
    (shown dd/mm/yyyy and hh:mm) so that HR can sort and filter them."""
    return xlsx_bytes([(round_.code, SCHEDULE_COLUMNS, schedule_rows(round_))])


# --- invitation letters ---------------------------------------------------------------------

def invitation_letters_pdf(round_: Round, interviews: Iterable[Interview], issued: date | None = None) -> bytes:
    """One page per candidate: a formal invitation (giấy mời) to their interview."""
    st = pdf.styles()
    issued = issued or local_today()  # the day where the council sits
    right = ParagraphStyle("right", parent=st["body"], alignment=TA_RIGHT)
    centre = ParagraphStyle("centre", parent=st["body"], alignment=TA_CENTER)
    story = []
    for n, i in enumerate(interviews):
        a, b = i.application, i.board
        if n:
            story.append(PageBreak())
        when = _("%(start)s to %(end)s, %(day)s", start=_hm(i.starts_at), end=_hm(_end(i)),
                 day=day_label(i.starts_at.date()))
        details = [(_("Candidate number"), a.number_label), (_("Full name"), a.full_name),
                   (_("Date of birth"), a.date_of_birth.strftime("%d/%m/%Y")),
                   (_("Position"), f"{a.position.code} — {a.position.name}"), (_("Agency"), a.position.agency),
                   (_("Time"), when), (_("Room"), b.room or "—"), (_("Interview board"), f"{b.name}: {_member_names(b)}")]
        table = pdf.table([[k, _p(v, st["body"])] for k, v in details], [45 * mm, 125 * mm], header_rows=0)
        table.setStyle(TableStyle([("FONT", (0, 0), (0, -1), pdf.FONT_BOLD, 9), ("BACKGROUND", (1, 0), (1, -1), colors.white),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        bring = [_("your identity document (citizen identity card or passport), which is checked before the interview;"),
                 _("this letter.")]
        story += [
            _letterhead(round_, st), Spacer(1, 4 * mm),
            Paragraph(escape(_("Issued on %(day)02d/%(month)02d/%(year)d", day=issued.day, month=issued.month,
                                 year=issued.year)), right),
            Spacer(1, 6 * mm), Paragraph(escape(_("INVITATION TO AN INTERVIEW")), st["title"]),
            Paragraph(escape(_("(Round 2: professional test)")), centre), Spacer(1, 4 * mm),
            Paragraph("<b>" + escape(_("To: Mr/Ms %(name)s", name=a.full_name)) + "</b>", st["body"]), Spacer(1, 3 * mm),
            Paragraph(escape(_("The Recruitment Council of %(round)s invites you to the interview of round 2 for the "
                               "position you applied to, as follows:", round=round_.name)), st["body"]),
            Spacer(1, 3 * mm), table, Spacer(1, 4 * mm),
            # C4: the interview lasts at most the rule set's minutes (30).
            Paragraph(escape(_("The interview lasts %(n)d minutes. The board's members score you independently "
                               "on 100 points (C4).", n=i.minutes)), st["body"]),
            Spacer(1, 2 * mm),
            Paragraph(escape(_("Please arrive at the room %(n)d minutes before your time, and bring:", n=15)), st["body"]),
            *(Paragraph("– " + escape(item), st["body"]) for item in bring),
            Spacer(1, 2 * mm),
            Paragraph(escape(_("A candidate who does not attend at the stated time is treated as absent from the "
                               "interview.")), st["body"]),
            Spacer(1, 10 * mm),
            KeepTogether([Paragraph("<b>" + escape(_("ON BEHALF OF THE RECRUITMENT COUNCIL")) + "</b>", right),
                          Paragraph(escape(_("(signature, full name and seal)")), right)]),
        ]
    if not story:
        story.append(Paragraph(escape(_("Nothing scheduled yet.")), st["body"]))
    return pdf.build(story, title=_("Invitations to the interview"), footer=_footer(round_),
                     page_label=_("Page %(page)d"))


# --- score sheets (C4) ------------------------------------------------------------------------

def _sheet_head(board: Board, day: date, title: str, st) -> list:
    return [_letterhead(board.round, st), Spacer(1, 4 * mm), Paragraph(escape(title), st["title"]),
            Paragraph(escape(_("%(board)s · Room: %(room)s · %(day)s", board=board.name, room=board.room or "—",
                               day=day_label(day))), ParagraphStyle("c", parent=st["body"], alignment=TA_CENTER)),
            Spacer(1, 4 * mm)]


def _tall_rows(padding: float) -> TableStyle:
    return TableStyle([("TOPPADDING", (0, 1), (-1, -1), padding), ("BOTTOMPADDING", (0, 1), (-1, -1), padding),
                       ("VALIGN", (0, 1), (-1, -1), "MIDDLE")])


def _role(board: Board, user: User) -> str:
    if user.id == board.head_id:
        return _("Head of the board")
    return _("Member") if user in board.members else _("Substitute")


def _substitutes(board: Board, found: list[Interview]) -> dict[int, tuple[User, set[int]]]:
    """Those the head appointed in place of a member with a conflict (C4) on these interviews, not
    members themselves: user id -> (user, the interviews they score)."""
    subs: dict[int, tuple[User, set[int]]] = {}
    for sub in db.session.scalars(select(Substitute).where(Substitute.interview_id.in_([i.id for i in found]))):
        if sub.substitute_id != board.head_id and sub.substitute not in board.members:
            subs.setdefault(sub.substitute_id, (sub.substitute, set()))[1].add(sub.interview_id)
    return subs


def score_sheets_pdf(board: Board, day: date, reader: User | None = None) -> bytes:
    """For one board and one day: a sheet per member (and per substitute, of the interviews they score)
    listing the day's candidates in order, a column per rubric criterion and the total, to score by
    hand and sign; then the summary the board signs, with each one's submitted total and the
    reconciled score (C4). reader: an interviewer printing them, who reads the others' scores of an
    interview only once they have submitted their own (C4, as the interview's page); None for HR,
    the council chair and the supervisor, who read them all."""
    st = pdf.styles()
    found = board_day(board, day)
    subs = _substitutes(board, found)
    people = members(board) + sorted((u for u, _scored in subs.values()), key=lambda u: name_sort_key(u.full_name))
    scores = {(s.interview_id, s.user_id): s for s in db.session.scalars(
        select(Score).where(Score.interview_id.in_([i.id for i in found])))} if found else {}
    story: list = []
    # Landscape A4 leaves 267 mm: the fixed columns take 137, the criteria and the total share the rest.
    fixed = [10 * mm, 22 * mm, 15 * mm, 44 * mm, 20 * mm, 26 * mm]
    # Each position has its own rubric: a sheet per member and per position interviewed that day.
    by_position: dict[int, list[Interview]] = {}
    for i in found:
        by_position.setdefault(i.application.position_id, []).append(i)
    sheets = [(group, rubrics.rubric_for(group[0].application.position)) for group in by_position.values()] or [([], DEFAULT_RUBRIC)]
    for member, (group, criteria) in ((m, sheet) for m in people for sheet in sheets):
        if member.id in subs:  # a substitute scores only the interviews they were appointed to
            group = [i for i in group if i.id in subs[member.id][1]]
            if not group:
                continue
        share = (267 * mm - sum(fixed)) / (len(criteria) + 1)
        if story:
            story.append(PageBreak())
        story += _sheet_head(board, day, _("INTERVIEW SCORE SHEET"), st)
        story.append(Paragraph(escape(_("Interviewer: %(name)s (%(role)s)", name=member.full_name,
                                         role=_role(board, member))), st["body"]))
        story.append(Spacer(1, 2 * mm))
        headers = _heads([_("#"), _("Time"), _("No."), _("Full name"), _("Position"),
                          *(_("%(name)s (max %(weight)s)", name=c["name"], weight=c["weight"]) for c in criteria),
                          _("Total (100)"), _("Notes")], st)
        rows = [headers]
        for n, i in enumerate(group, 1):
            own = scores.get((i.id, member.id))
            # C4, G5: a declared conflict means this member does not score the candidate.
            note = _("conflict declared: not scored") if own is not None and own.conflict else ""
            rows.append([str(n), f"{_hm(i.starts_at)}–{_hm(_end(i))}", i.application.number_label,
                         _p(i.application.full_name, st["cell"]), i.application.position.code,
                         *([""] * (len(criteria) + 1)), _p(note, st["cell"])])
        table = pdf.table(rows, fixed[:5] + [share * 0.9] * (len(criteria) + 1) + [fixed[5] + share * 0.1 * (len(criteria) + 1)])
        table.setStyle(_tall_rows(3.5 * mm))  # room to write by hand
        story += [table, Spacer(1, 3 * mm)]
        if not found:
            story.append(Paragraph(escape(_("No interview for this board on this day.")), st["body"]))
        story += [
            Paragraph(escape(_("Each criterion is scored from 0 to its weight; the total is on 100 points. Score "
                               "each candidate on your own and show nobody your scores before every member has "
                               "submitted theirs (C4).")), st["small"]),
            Paragraph(escape(_("By signing I confirm that I have no prohibited relationship with the candidates I "
                               "scored (C4, G5).")), st["small"]),
            Spacer(1, 8 * mm),
            KeepTogether([Paragraph("<b>" + escape(_("INTERVIEWER")) + "</b>",
                                    ParagraphStyle("r", parent=st["body"], alignment=TA_RIGHT)),
                          Paragraph(escape(_("(signature and full name)")),
                                    ParagraphStyle("r2", parent=st["small"], alignment=TA_RIGHT)),
                          Spacer(1, 14 * mm),
                          _p(member.full_name, ParagraphStyle("r3", parent=st["body"], alignment=TA_RIGHT))]),
        ]
    story.append(PageBreak())
    story += _summary(board, day, found, people, scores, st, reader)
    return pdf.build(story, title=_("Interview score sheets"), landscape_pages=True,
                     footer=_footer(board.round, f"{board.name} · {day.strftime('%d/%m/%Y')}"),
                     page_label=_("Page %(page)d"))


def _outcome_note(interview: Interview, submitted: list[Decimal]) -> tuple[str, str]:
    """The reconciled score and how it was reached (C4)."""
    rules = interview.board.round.rules
    outcome = service.outcome_of(interview)  # the page's and the hub's C4: it waits for the whole panel
    if not submitted and not interview.head_reason:
        return "", ""
    if interview.head_reason:
        note = _("decided by the head: %(reason)s", reason=interview.head_reason)
    elif outcome.needs == "head":
        note = _("spread over %(n)s points: the head decides (C4)", n=format_number(rules.interview_max_spread, 0))
    elif outcome.needs == "more_interviewers" and len(submitted) >= rules.interview_min_interviewers:
        note = _("Waiting for the other interviewers.")
    elif outcome.needs == "more_interviewers":
        note = _("at least %(n)d scores are needed (C4)", n=rules.interview_min_interviewers)
    else:
        note = _("mean of the scores (C4)")
    return ("" if outcome.score is None else format_number(outcome.score, 2)), note


def _summary(board: Board, day: date, found: list[Interview], people: list[User], scores: dict, st,
             reader: User | None = None) -> list:
    story = _sheet_head(board, day, _("INTERVIEW SCORE SUMMARY"), st)
    headers = _heads([_("#"), _("Time"), _("No."), _("Full name"), _("Position"), *(m.full_name for m in people),
                      _("Spread"), _("Interview score"), _("Notes")], st)
    rows = [headers]
    for n, i in enumerate(found, 1):
        own = scores.get((i.id, reader.id)) if reader is not None else None
        sealed = reader is not None and (own is None or own.submitted_at is None)  # C4: not before their own
        cells, submitted = [], []
        for m in people:
            s = scores.get((i.id, m.id))
            if s is not None and s.conflict:
                cells.append(_("conflict"))
            elif s is not None and s.submitted_at and s.total is not None:
                cells.append("" if sealed and m.id != reader.id else format_number(s.total, 2))
                submitted.append(s.total)
            else:
                cells.append("")
        spread = format_number(max(submitted) - min(submitted), 2) if len(submitted) >= 2 and not sealed else ""
        if sealed:
            score, note = "", _("The other members' scores are shown to you once you have submitted your own (C4).")
        else:
            score, note = _outcome_note(i, submitted)
        rows.append([str(n), f"{_hm(i.starts_at)}–{_hm(_end(i))}", i.application.number_label,
                     _p(i.application.full_name, st["cell"]), i.application.position.code, *cells, spread, score,
                     _p(note, st["cell"])])
    fixed = [10 * mm, 22 * mm, 15 * mm, 41 * mm, 20 * mm]
    tail = [18 * mm, 22 * mm]
    per_member = min(24 * mm, (267 * mm - sum(fixed) - sum(tail) - 40 * mm) / max(len(people), 1))
    note_width = 267 * mm - sum(fixed) - sum(tail) - per_member * len(people)
    story += [pdf.table(rows, fixed + [per_member] * len(people) + tail + [note_width]), Spacer(1, 3 * mm)]
    if not found:
        story.append(Paragraph(escape(_("No interview for this board on this day.")), st["body"]))
    story += [Paragraph(escape(_("Each member's total is the score submitted in the system; the interview score is "
                                 "their mean, or the head's decision when they differ by more than %(n)s points (C4).",
                                 n=format_number(board.round.rules.interview_max_spread, 0))), st["small"]),
              Spacer(1, 6 * mm), Paragraph(escape(_("Signatures of the board")), st["h2"])]
    signatures = [_heads([_("#"), _("Full name"), _("Role"), _("Signature")], st)]
    signatures += [[str(n), _p(m.full_name, st["cell"]), _role(board, m), ""] for n, m in enumerate(people, 1)]
    table = pdf.table(signatures, [10 * mm, 80 * mm, 45 * mm, 70 * mm])
    table.setStyle(_tall_rows(5 * mm))
    right = ParagraphStyle("r", parent=st["body"], alignment=TA_RIGHT)
    story += [table, Spacer(1, 8 * mm),
              KeepTogether([Paragraph("<b>" + escape(_("HEAD OF THE BOARD")) + "</b>", right),
                            Paragraph(escape(_("(signature and full name)")), right), Spacer(1, 14 * mm),
                            _p(board.head.full_name, right)])]
    return story
