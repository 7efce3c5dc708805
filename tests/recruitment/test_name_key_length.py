"""Search keys fit their columns: a name of 200 Hangul syllables (the name column's limit) folded to 600
letters, longer than Application.name_key's 400 (and a diploma number's key than its 100): a database
error on PostgreSQL. The key is composed again after its marks are dropped."""
from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


def test_a_name_of_hangul_syllables_keys_within_its_column(app, tmp_path):
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [application_row("031000000001", "각" * 200)]).read_bytes()
    try:
        importing.import_applications(round_, "a.xlsx", data)
    except ImportRejected as rejected:
        assert [(e.row, e.column) for e in rejected.errors] == [(2, "full_name")]
        return
    stored = db.session.scalar(db.select(Application))
    assert len(stored.name_key) <= 400


def test_a_diploma_number_of_hangul_syllables_keys_within_its_column(app):
    from recruitment import tabular
    from verification.models import IssuingRecord
    from verification.records import import_records

    data = tabular.csv_bytes(["institution", "number", "holder"], [["Trường Đại học A", "각" * 100, "Nguyễn Văn An"]])
    try:
        with app.test_request_context():
            import_records("r.csv", data)
    except ImportRejected as rejected:
        assert [(e.row, e.column) for e in rejected.errors] == [(2, "number")]
        return
    assert len(db.session.scalar(db.select(IssuingRecord)).number_key) <= 100
