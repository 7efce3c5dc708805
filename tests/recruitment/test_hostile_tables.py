"""Hostile spreadsheets (issue "Files in", items 1-3): whatever the file declares, the reader reads the
rows that are really there, within the limits formats.md states, and a file it cannot read ends in a
file-level error, never a traceback, a hang or a dense grid built from a declared size."""
from __future__ import annotations

import pytest

from recruitment import audit_check, importing, tabular
from recruitment.extensions import db
from recruitment.models import Application, Position
from recruitment.tabular import ImportRejected
from tests.support import hostile
from tests.support.bounded import in_bounded_memory
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


@pytest.fixture
def round_with_positions(app, tmp_path):
    round_ = make_round()
    path = write_xlsx(tmp_path / "positions.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(round_, path.name, path.read_bytes())
    return round_


def _rejected(call) -> list[tuple]:
    with pytest.raises(ImportRejected) as excinfo:
        call()
    return [(e.row, e.column, str(e.message)) for e in excinfo.value.errors]


def test_one_far_cell_in_a_sheet_declaring_its_whole_size_is_a_file_error_in_bounded_memory(tmp_path):
    """Item 1: A1:XFD1048576 with one cell at XFD1048576, read under a 1 GB cap in a child process."""
    data = hostile.with_dimension(hostile.xlsx(APPLICATION_HEADERS, [application_row("031000000001", "Trần An")]),
                                  "A1:XFD1048576",
                                  '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    printed = in_bounded_memory(tmp_path, f"""
        from recruitment import importing, tabular
        try:
            tabular.read_table("far.xlsx", open({str(path)!r}, "rb").read(), importing.APPLICATION_COLUMNS)
            print("READ")
        except tabular.ImportRejected as rejected:
            print("REJECTED", rejected.errors[0].row, rejected.errors[0].column, rejected.errors[0].message)
    """, timeout=120)
    assert printed.startswith("REJECTED"), printed
    assert "XFD1048576" in printed


def test_rows_beyond_the_declared_size_are_read_and_checked(round_with_positions, tmp_path):
    """Item 2: a 10-row sheet that declares 3 rows; its invalid row 10 must be seen."""
    rows = [application_row(f"0310000000{i:02d}", f"Người Số {i}") for i in range(1, 10)]
    rows.append(application_row("123", "Sai Số CCCD"))
    data = hostile.with_dimension(hostile.xlsx(APPLICATION_HEADERS, rows), "A1:K3")
    errors = _rejected(lambda: importing.import_applications(round_with_positions, "short.xlsx", data))
    assert [(row, column) for row, column, _m in errors] == [(11, "national_id")]
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0

    rows[-1] = application_row("031000000010", "Người Số 10")
    data = hostile.with_dimension(hostile.xlsx(APPLICATION_HEADERS, rows), "A1:K3")
    report = importing.import_applications(round_with_positions, "short.xlsx", data)
    assert report.rows == 10


def test_a_sheet_declaring_more_than_it_has_is_not_padded(app):
    data = hostile.with_dimension(hostile.xlsx(["code"], [["A"]]), "A1:XFD200")
    table = tabular.read_table("wide.xlsx", data, [tabular.Column("code", "ma", True, tabular.required_text)])
    assert table.errors == [] and [r for _n, r in table.rows] == [{"code": "A"}]


def test_too_many_rows_or_columns_or_a_too_long_cell_are_file_errors(app, monkeypatch):
    columns = [tabular.Column("code", "ma", True, tabular.required_text)]
    monkeypatch.setattr(tabular, "MAX_ROWS", 5)
    rows = "\n".join(["code"] + [f"C{i}" for i in range(6)]).encode()
    [(row, _c, message)] = _rejected(lambda: tabular.read_table("many.csv", rows, columns))
    assert row == 7 and "5" in message
    monkeypatch.setattr(tabular, "MAX_ROWS", 100)
    wide = ("code" + "," * tabular.MAX_COLUMNS + "x\nA\n").encode()
    [(row, _c, message)] = _rejected(lambda: tabular.read_table("wide.csv", wide, columns))
    assert row == 1 and str(tabular.MAX_COLUMNS) in message
    long = ("code\n" + "x" * (tabular.MAX_CELL_CHARS + 1) + "\n").encode()
    [(row, column, _m)] = _rejected(lambda: tabular.read_table("long.csv", long, columns))
    assert (row, column) == (2, "A")


def test_a_csv_cell_longer_than_the_csv_modules_limit_is_a_row_error(app):
    """Item 3: csv.field_size_limit (131,072) raised a traceback."""
    data = ("code,name\nA," + "x" * 200_000 + "\n").encode()
    columns = [tabular.Column("code", "ma", True, tabular.required_text), tabular.Column("name", "ten")]
    [(row, _c, message)] = _rejected(lambda: tabular.read_table("long.csv", data, columns))
    assert row == 2 and "32,767" in message


@pytest.mark.parametrize("case", ["no_worksheet", "broken_xml", "bad_dimension", "bad_cell_ref", "not_a_zip",
                                  "huge_unzipped"])
def test_unreadable_xlsx_files_are_file_errors(app, monkeypatch, case):
    """Item 3: an xlsx with no worksheet, malformed sheet XML, a malformed size declaration."""
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    good = hostile.xlsx(POSITION_HEADERS, POSITIONS)
    xml = hostile.sheet_xml(good)
    data = {
        "no_worksheet": lambda: hostile.rewrite(good, {hostile.SHEET: None}),
        "broken_xml": lambda: hostile.rewrite(good, {hostile.SHEET: xml[: len(xml) // 2].encode()}),
        "bad_dimension": lambda: hostile.with_dimension(good, "A1:ZZZZZZZ99999999999"),
        "bad_cell_ref": lambda: hostile.rewrite(good, {hostile.SHEET: xml.replace('r="A2"', 'r="!!"').encode()}),
        "not_a_zip": lambda: b"PK\x03\x04" + b"\x00" * 100,
        "huge_unzipped": lambda: hostile.rewrite(good, {"xl/padding.bin": b"\x00" * (tabular.MAX_UNZIPPED_BYTES + 1)}),
    }[case]()
    errors = _rejected(lambda: tabular.read_table("x.xlsx", data, importing.POSITION_COLUMNS))
    assert errors and errors[0][0] in (None, 1, 2)


@pytest.mark.parametrize("value", ["1e23", "100000000000000000000000", "1e999999"])
def test_a_huge_quota_is_a_cell_error(app, tmp_path, value):
    """Item 3: 10^23 as a quota reached the database."""
    round_ = make_round()
    rows = [list(POSITIONS[0])]
    rows[0][4] = value
    path = hostile.xlsx(POSITION_HEADERS, rows)
    errors = _rejected(lambda: importing.import_positions(round_, "p.xlsx", path))
    assert [(r, c) for r, c, _m in errors] == [(2, "quota")]
    assert db.session.scalar(db.select(db.func.count(Position.id))) == 0


def test_the_cli_ends_a_bad_file_with_exit_2(app, tmp_path):
    from recruitment.cli import applications_cli

    make_round()
    path = tmp_path / "long.csv"
    path.write_bytes((",".join(APPLICATION_HEADERS) + "\n" + "x" * 200_000 + "\n").encode())
    result = app.test_cli_runner().invoke(applications_cli, ["import", "--round", "R1", str(path), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "row 2" in result.output


def test_applications_are_written_with_a_number_of_statements_that_does_not_grow_with_the_rows(round_with_positions):
    """Item 6: no query or flush per row (100,000 rows must import in seconds); timing is in bench.imports."""
    from sqlalchemy import event


    def statements(first: int, count: int) -> int:
        seen = []
        rows = [application_row(f"0310{i:08d}", f"Người Số {i}") for i in range(first, first + count)]
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            importing.import_applications(round_with_positions, "a.xlsx", hostile.xlsx(APPLICATION_HEADERS, rows))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few, many = statements(1, 3), statements(100, 3 * 1000)
    assert many <= few + 5
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 3003
    assert audit_check.verify().ok


@pytest.mark.parametrize("total", ["1e23", "100000000000000000000000"])
def test_a_huge_round1_total_is_a_cell_error(round_with_positions, total):
    """Item 3: 10^23 as a round-1 total reached the database."""
    from results.importing import import_round1

    importing.import_applications(round_with_positions, "a.xlsx", hostile.xlsx(
        APPLICATION_HEADERS, [application_row("031000000001", "Trần An")]))
    data = f"candidate_number,part,correct,total\n1,general,1,{total}\n".encode()
    errors = _rejected(lambda: import_round1(round_with_positions, "r.csv", data))
    assert (2, "total") in [(r, c) for r, c, _m in errors]
