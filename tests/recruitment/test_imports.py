"""The HR imports of formats.md, on real .xlsx and .csv files: all-or-nothing, errors naming the
row, the column and the cause; eligibility (A2), one application per person (A1), numbers (A3)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from recruitment import importing, rulesets, tabular
from recruitment.extensions import db
from recruitment.models import Application, Position
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import (
    APPLICATION_HEADERS,
    POSITION_HEADERS,
    POSITIONS,
    application_row,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def round_with_positions(app, tmp_path):
    round_ = make_round()
    path = write_xlsx(tmp_path / "positions.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(round_, path.name, path.read_bytes())
    return round_


def _import_apps(round_, path):
    return importing.import_applications(round_, path.name, path.read_bytes())


def _errors(excinfo) -> list[tuple]:
    return [(e.row, e.column) for e in excinfo.value.errors]


def test_positions_from_csv_with_vietnamese_headers_semicolons_and_decimal(app, tmp_path):
    round_ = make_round()
    headers = ["ma_vi_tri", "TEN_VI_TRI", "co_quan", "ngach", "chi_tieu", "hinh_thuc_vong2", "trinh_do", "chuyen_nganh"]
    path = write_csv(tmp_path / "vt.csv", headers, [["KH-01", "Chuyên viên kế hoạch", "Sở KH&ĐT", "chuyen_vien", "3",
                                                     "written", "dai_hoc", "Kinh tế"]], delimiter=";")
    report = importing.import_positions(round_, path.name, path.read_bytes())
    assert report.created == 1
    position = db.session.scalar(db.select(Position).filter_by(code="KH-01"))
    assert (position.quota, position.major_list) == (3, ["Kinh tế"])


def test_eligible_applications_are_admitted_and_numbered_in_vietnamese_name_order(round_with_positions, tmp_path):
    rows = [
        application_row("031000000001", "Trần Văn Bình"),
        application_row("031000000002", "Nguyễn Thị An"),
        application_row("031000000003", "Lê Minh Anh"),
        application_row("031000000004", "Phạm Thu Hà", position="VT-02", degree="cao_dang", major="Văn thư"),
    ]
    report = _import_apps(round_with_positions, write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, rows))
    assert report.admitted == 4
    numbered = db.session.scalars(db.select(Application).order_by(Application.candidate_number)).all()
    # A3: position TC-01 first; inside it the given name decides (An < Anh < Bình), then VT-02.
    assert [(a.candidate_number, a.full_name) for a in numbered] == [
        (1, "Nguyễn Thị An"), (2, "Lê Minh Anh"), (3, "Trần Văn Bình"), (4, "Phạm Thu Hà")]


def test_a_second_batch_continues_the_numbers(round_with_positions, tmp_path):
    _import_apps(round_with_positions, write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS,
                                                  [application_row("031000000001", "Trần Văn Bình")]))
    _import_apps(round_with_positions, write_xlsx(tmp_path / "b.xlsx", APPLICATION_HEADERS,
                                                  [application_row("031000000002", "Nguyễn Thị An")]))
    numbers = db.session.scalars(db.select(Application.candidate_number).order_by(Application.candidate_number)).all()
    assert numbers == [1, 2]  # A3: ascending and continuous


def test_ineligible_rows_are_kept_as_rejected_with_their_reason(round_with_positions, tmp_path):
    rows = [
        application_row("031000000001", "Trần Văn Bình", born="02/10/2008"),  # 17 on 01/10/2026
        application_row("031000000002", "Nguyễn Thị An", major="Ngôn ngữ Anh"),
        application_row("031000000003", "Lê Minh Anh", degree="cao_dang"),
        application_row("031000000004", "Đỗ Văn Nam", born="01/10/2008"),  # 18 exactly on the deadline
    ]
    report = _import_apps(round_with_positions, write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, rows))
    assert report.admitted == 1 and len(report.rejected) == 3
    by_name = {a.full_name: a for a in db.session.scalars(db.select(Application))}
    assert by_name["Đỗ Văn Nam"].status == "admitted" and by_name["Đỗ Văn Nam"].candidate_number == 1
    assert "18" in by_name["Trần Văn Bình"].reject_reason  # A2, A4
    assert "Ngôn ngữ Anh" in by_name["Nguyễn Thị An"].reject_reason
    reason = by_name["Lê Minh Anh"].reject_reason  # the levels in words (A4: the candidate reads it)
    assert "Cao đẳng" in reason and "Đại học" in reason and "cao_dang" not in reason
    assert all(by_name[n].candidate_number is None for n in ("Trần Văn Bình", "Nguyễn Thị An", "Lê Minh Anh"))


@pytest.mark.parametrize("row, column, cause", [
    (application_row("03100000001", "Thiếu Một Số"), "national_id", "12"),
    (application_row("031000000009", "Sai Ngày Sinh", born="31/02/1995"), "date_of_birth", "DD/MM/YYYY"),
    (application_row("031000000009", "Sai Vị Trí", position="XX-99"), "position_code", "XX-99"),
    (application_row("031000000009", "Sai Ưu Tiên", priority="vip"), "priority", "vip"),
])
def test_one_malformed_row_refuses_the_whole_file(round_with_positions, tmp_path, row, column, cause):
    good = application_row("031000000001", "Trần Văn Bình")
    path = write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, [good, row])
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        _import_apps(round_with_positions, path)
    assert (3, column) in _errors(excinfo)
    assert cause in str(excinfo.value.errors[0])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_duplicate_national_id_in_the_file_and_in_the_round(round_with_positions, tmp_path):
    _import_apps(round_with_positions, write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS,
                                                  [application_row("031000000001", "Trần Văn Bình")]))
    rows = [application_row("031000000002", "Nguyễn Thị An"), application_row("031000000002", "Nguyễn Thị An"),
            application_row("031000000001", "Trần Văn Bình", position="VT-02", degree="cao_dang")]
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        _import_apps(round_with_positions, write_xlsx(tmp_path / "b.xlsx", APPLICATION_HEADERS, rows))
    messages = {(e.row, e.column): str(e.message) for e in excinfo.value.errors}
    assert "row 2" in messages[(3, "national_id")]  # A1, within the file
    assert "TC-01" in messages[(4, "national_id")]  # A1, against the round
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1


def test_a_round_allowing_several_positions_takes_a_second_position(app, tmp_path):
    round_ = make_round(several_positions=True)
    path = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(round_, path.name, path.read_bytes())
    rows = [application_row("031000000001", "Trần Văn Bình"),
            application_row("031000000001", "Trần Văn Bình", position="VT-02", degree="cao_dang")]
    assert _import_apps(round_, write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows)).admitted == 2


def test_unknown_and_missing_columns_are_named(round_with_positions, tmp_path):
    headers = [h for h in APPLICATION_HEADERS if h != "full_name"] + ["nickname"]
    path = write_csv(tmp_path / "a.csv", headers, [["031000000001"] + [""] * (len(headers) - 1)])
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        _import_apps(round_with_positions, path)
    columns = {e.column for e in excinfo.value.errors}
    assert {"nickname", "full_name"} <= columns


@pytest.mark.parametrize("name, data, cause", [
    ("a.xlsx", b"PK\x03\x04 this is not really a workbook", ".xlsx"),
    ("a.csv", "national_id,full_name\n031000000001,Tr\xe1n".encode("latin-1"), "UTF-8"),
    ("a.pdf", b"%PDF-1.4", ".xlsx"),
    ("a.csv", b"", "empty"),
])
def test_garbage_files_get_a_clear_error(round_with_positions, name, data, cause):
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        importing.import_applications(round_with_positions, name, data)
    assert cause in str(excinfo.value.errors[0])


def test_union_cadre_under_vn_2020_is_imported_with_a_warning(app, tmp_path):
    round_ = make_round(rules="vn-2020")
    path = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(round_, path.name, path.read_bytes())
    with force_locale("en"):
        report = _import_apps(round_, write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [
            application_row("031000000001", "Trần Văn Bình", priority="union_cadre")]))
    assert any("union_cadre" in m for m in report.messages)  # formats.md, L3


def test_interview_only_is_refused_under_vn_2025(app, tmp_path):
    round_ = make_round()
    rows = [["X-1", "Chuyên viên", "Sở", "chuyen_vien", 1, "interview", "dai_hoc", ""]]
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, rows).read_bytes())
    assert _errors(excinfo) == [(2, "round2_form")]  # C1


def test_two_imports_of_one_round_at_once_never_admit_a_person_twice(app, round_with_positions, tmp_path, monkeypatch):
    """A1 across imports: the command and an HR page (or two HR pages) import files naming the same
    person at the same moment. Each checked the round before the other wrote, and both wrote: the
    person had two applications and the second file's numbers clashed. Now the second waits for the
    first, checks again and refuses its file, naming the row."""
    import threading

    from recruitment.models import Round

    round_id = round_with_positions.id
    first = write_xlsx(tmp_path / "first.xlsx", APPLICATION_HEADERS, [application_row("031000000077", "Trần Văn Bình")])
    second = write_xlsx(tmp_path / "second.xlsx", APPLICATION_HEADERS, [application_row("031000000088", "Lê Thị Hoa"),
                                                                       application_row("031000000077", "Trần Văn Bình")])
    db.session.commit()
    outcome: dict[str, object] = {}

    def other_import():
        try:
            with app.app_context():
                try:
                    importing.import_applications(db.session.get(Round, round_id), second.name, second.read_bytes())
                    outcome["second"] = "imported"
                except ImportRejected as refused:
                    db.session.rollback()
                    outcome["second"] = refused
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 -- reported in the test's thread
            outcome["second"] = error

    other = threading.Thread(target=other_import)
    decide = importing._decide

    def decide_while_another_import_runs(*args, **kwargs):
        # This import has checked A1 and is about to write; meanwhile the other one runs (it
        # finishes, or it waits for this one: then this one goes on after a moment).
        if not other.is_alive() and "second" not in outcome:
            other.start()
            other.join(timeout=3)
        return decide(*args, **kwargs)

    monkeypatch.setattr(importing, "_decide", decide_while_another_import_runs)
    try:
        importing.import_applications(round_with_positions, first.name, first.read_bytes())
        outcome["first"] = "imported"
    except ImportRejected as refused:
        db.session.rollback()
        outcome["first"] = refused
    monkeypatch.setattr(importing, "_decide", decide)
    other.join(timeout=60)
    assert not other.is_alive()
    # Whichever took the round first wrote its file; the other was refused on the person, naming the row.
    assert sorted(k for k, v in outcome.items() if v == "imported") in (["first"], ["second"]), outcome
    refused = outcome["second"] if outcome["first"] == "imported" else outcome["first"]
    assert isinstance(refused, ImportRejected), refused
    clash_row = 3 if refused is outcome["second"] else 2
    assert [(e.row, e.column) for e in refused.errors] == [(clash_row, "national_id")]
    db.session.expire_all()
    count = lambda nid: db.session.scalar(db.select(db.func.count()).select_from(Application)  # noqa: E731
                                          .where(Application.national_id == nid))
    assert count("031000000077") == 1
    assert count("031000000088") == (0 if refused is outcome["second"] else 1)  # all or nothing


def test_a_cell_longer_than_its_database_column_is_a_row_error_on_every_engine(app, tmp_path):
    """A 41-character position code or a 301-character agency failed on PostgreSQL at the insert
    (StringDataRightTruncation: a 500 on the page, a traceback from the command) and was stored whole
    on SQLite. Now each is its row's error, named by the file's own header, on every engine; the
    rows around it are still checked and nothing is written."""
    round_ = make_round()
    headers = ["ma_vi_tri", "ten_vi_tri", "co_quan", "ngach", "chi_tieu", "hinh_thuc_vong2", "trinh_do", "chuyen_nganh"]
    rows = [POSITIONS[0], ["X" * 41, *POSITIONS[1][1:]], [POSITIONS[1][0], "Tên " * 80, "Sở " * 110, *POSITIONS[1][3:]]]
    path = write_xlsx(tmp_path / "vt.xlsx", headers, rows)
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        importing.import_positions(round_, path.name, path.read_bytes())
    assert _errors(excinfo) == [(3, "ma_vi_tri"), (4, "ten_vi_tri"), (4, "co_quan")]
    assert "at most 40 characters" in excinfo.value.errors[0].message
    assert "at most 300 characters" in excinfo.value.errors[2].message
    assert db.session.scalar(db.select(db.func.count()).select_from(Position)) == 0


def test_an_application_cell_longer_than_its_column_is_a_row_error(round_with_positions, tmp_path):
    """A full name of 200+ characters (and an e-mail, a phone or a major over their columns) failed the
    whole import on PostgreSQL and was stored whole on SQLite: now each is a row error, and a bad date on
    another row is reported with them."""
    long_name = application_row("031000000001", "Nguyễn " * 40)
    long_contact = application_row("031000000002", "Trần Văn An", major="Tài chính " * 21)
    long_contact[4:6] = ["a" * 190 + "@example.vn", "0912345678" * 4]
    bad_date = application_row("031000000003", "Lê Thị Bình", born="32/13/1995")
    path = write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, [long_name, long_contact, bad_date])
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        _import_apps(round_with_positions, path)
    assert _errors(excinfo) == [(2, "full_name"), (3, "email"), (3, "phone"), (3, "major"), (4, "date_of_birth")]
    assert "at most 200 characters" in excinfo.value.errors[0].message
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_a_priority_code_given_again_counts_once(round_with_positions, tmp_path):
    """The codes were stored as given: "hero" sixty times made 299+ characters, over the column's 300
    on PostgreSQL. A code counts once however often it is written."""
    path = write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS,
                      [application_row("031000000001", "Trần Văn An", priority=";".join(["hero"] * 70 + ["officer"]))])
    _import_apps(round_with_positions, path)
    assert db.session.scalar(db.select(Application.priority_codes)) == "hero;officer"
    assert len(";".join(rulesets.PRIORITY_CODES)) <= tabular.length_of(Application.priority_codes)  # all fit at once


def test_errors_found_after_reading_name_the_column_as_the_file_wrote_it(round_with_positions, tmp_path):
    """A file with the Vietnamese headers got its read errors under them (ma_vi_tri) but the errors
    found after reading under the English names (position_code, national_id): one file, two names
    for one column. Every error names the column as the file wrote it."""
    vietnamese = [importing.APPLICATION_COLUMNS[i].vi.upper() if i == 0 else importing.APPLICATION_COLUMNS[i].vi
                  for i in range(len(APPLICATION_HEADERS))]
    rows = [application_row("031000000002", "Nguyễn Thị An", position="XX-99"),
            application_row("031000000003", "Lê Văn Ba"), application_row("031000000003", "Lê Văn Ba")]
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        _import_apps(round_with_positions, write_xlsx(tmp_path / "a.xlsx", vietnamese, rows))
    assert _errors(excinfo) == [(2, "ma_vi_tri"), (4, "SO_CCCD")]
