"""Item 7: no spreadsheet that leaves the system carries a live formula from user data, and XLSX
cells are typed (numbers as numbers, dates as dates shown dd/mm/yyyy)."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from exam.day import papers
from exam.day.models import Placement, Room
from interviews import documents
from questionbank import exporters
from questionbank.importers import spreadsheet
from questionbank.records import QuestionRecord
from recruitment.extensions import db
from recruitment.sheets import csv_bytes, neutralise, xlsx_bytes
from results import exports, service
from tests.support.hostile import FORMULAS


@pytest.mark.parametrize("payload", FORMULAS)
def test_neutralise_prefixes_an_apostrophe_to_what_a_spreadsheet_would_run(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Lê Văn An", "70.00", "-1.50", "+84", "", None, 3, Decimal("-2.5"), "a=b"])
def test_neutralise_leaves_ordinary_values(value):
    assert neutralise(value) == value


def _csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def _dangerous(cell) -> bool:
    return isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not cell.lstrip("+-").replace(".", "").isdigit()


def _xlsx_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _no_formula(data: bytes, payloads: list[str]) -> None:
    cells = _xlsx_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = {str(c.value).strip() for c in cells}  # XML turns a CR into a line feed, and that is all
    for payload in payloads:
        assert payload.strip() in found, payload  # kept as the text it was, not a formula nor an apostrophe


def test_writers_defuse_every_cell():
    rows = [[p, 1] for p in FORMULAS]
    assert not [c for c in _csv_cells(csv_bytes(["name", "n"], rows)) if _dangerous(c)]
    _no_formula(xlsx_bytes([("s", ["name", "n"], rows)]), FORMULAS)


def test_results_csv_and_xlsx_with_hostile_names(demo_round):
    rows = service.rows_of(service.latest(demo_round))
    for row, payload in zip(rows, FORMULAS * 20, strict=False):
        row["full_name"] = payload
        row["reason"] = payload
    cells = _csv_cells(exports.to_csv(rows))
    assert not [c for c in cells if _dangerous(c)]
    assert "'" + FORMULAS[0] in cells  # still readable: the apostrophe shows it was defused
    _no_formula(exports.to_xlsx(rows), FORMULAS)


def test_results_xlsx_cells_are_typed(demo_round):
    rows = service.rows_of(service.latest(demo_round))
    book = load_workbook(io.BytesIO(exports.to_xlsx(rows)))
    values = [cell for sheet in book.worksheets for line in sheet.iter_rows(min_row=2) for cell in line]
    numbers = [c for c in values if c.data_type == "n" and c.value is not None]
    assert numbers, "scores and ranks are numbers"
    scored = next(r for r in rows if r["total"])
    assert any(c.value == pytest.approx(float(scored["total"])) and c.number_format == "0.00" for c in numbers)
    assert not [c.value for c in values if isinstance(c.value, str) and c.value.replace(".", "").isdigit()
                and "." in c.value], "no score written as text"


def test_room_csv_with_hostile_names(demo_round):
    room = db.session.scalar(select(Room).order_by(Room.id))
    placed = [db.session.scalar(select(Placement).filter_by(seat_id=s.id)) for s in room.seats]
    placed = [p.attempt.application for p in placed if p is not None][:len(FORMULAS)]
    for application, payload in zip(placed, FORMULAS, strict=False):
        application.full_name = payload
    db.session.flush()
    cells = _csv_cells(papers.room_results_csv(room))
    assert not [c for c in cells if _dangerous(c)]
    assert "'" + FORMULAS[1] in cells


def test_interview_schedule_xlsx_with_hostile_names_and_typed_cells(demo_round):
    interviews = documents.interviews_of(demo_round)
    assert interviews
    for interview, payload in zip(interviews, FORMULAS, strict=False):
        interview.application.full_name = payload
    interviews[0].board.room = "=1+1"
    db.session.flush()
    data = documents.schedule_xlsx(demo_round)
    _no_formula(data, FORMULAS + ["=1+1"])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert isinstance(first["ngay_sinh"].value, datetime) and first["ngay_sinh"].number_format == "DD/MM/YYYY"
    assert isinstance(first["ngay"].value, datetime) and first["ngay"].number_format == "DD/MM/YYYY"
    assert first["so_phut"].data_type == "n"
    a = interviews[0].application
    assert first["ngay_sinh"].value.date() == a.date_of_birth


def test_question_bank_export_keeps_formulas_as_text_and_round_trips():
    records = [QuestionRecord(ref=1, stem="=1+1 là bao nhiêu?", options=["=2", "+3", "@4", "-5 lần"], answer=[0],
                              topic="=HYPERLINK(\"x\")", explanation="@SUM(A1)", code="Q-1", points=Decimal("1.5"))]
    data = exporters.to_xlsx(records)
    _no_formula(data, ["=1+1 là bao nhiêu?", "=2", "+3", "@4", "=HYPERLINK(\"x\")", "@SUM(A1)"])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    points = sheet.cell(2, spreadsheet.HEADERS.index("points") + 1) if "points" in spreadsheet.HEADERS else None
    if points is not None:
        assert points.data_type == "n"


