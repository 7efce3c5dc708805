"""The application web form (recruitment/forms.py ApplicationForm, applications.save) keeps what the
file import keeps: names composed and single-spaced, dates of birth someone can have, priority codes
once, e-mail addresses within their column."""
from __future__ import annotations

import unicodedata

import pytest

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application, Position
from tests.support.factories import make_round
from tests.support.importfiles import POSITION_HEADERS, POSITIONS, write_xlsx


@pytest.fixture
def hr_round(app, client, make_user, login, tmp_path):
    r = make_round()
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    login(make_user("hr", "hr"))
    return r


def _post(client, r, **fields):
    position = db.session.scalar(db.select(Position).filter_by(round_id=r.id, code="TC-01"))
    data = {"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
            "gender": "nam", "position_id": str(position.id), "degree_level": "dai_hoc", "major": "Tài chính"}
    data.update(fields)
    return client.post(f"/hr/rounds/{r.id}/applications/new", data=data)


def test_the_form_stores_a_name_as_the_import_does_nfc_and_single_spaced(hr_round, client, tmp_path):
    """The same person typed on a Mac/iOS keyboard (NFD) and imported from Excel (NFC) must be one
    spelling: the import applies tabular.text (NFC, clean_spaces), the form stores the raw string."""
    _post(client, hr_round, full_name=unicodedata.normalize("NFD", "  Nguyễn   Thị Ấn "))
    stored = db.session.scalar(db.select(Application)).full_name
    assert stored == "Nguyễn Thị Ấn", repr(stored)


@pytest.mark.parametrize("born", ["0095-02-01", "2030-01-01"])
def test_the_form_refuses_an_impossible_date_of_birth(hr_round, client, born):
    response = _post(client, hr_round, date_of_birth=born)
    assert response.status_code == 200  # the form again, with the error under the field
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_the_form_refuses_a_name_of_invisible_characters(hr_round, client):
    response = _post(client, hr_round, full_name="\u200b\u200d")
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_the_form_keeps_a_priority_code_once_and_within_its_column(hr_round, client):
    """importing._priority_codes drops repeated codes because 'a repeated code could outgrow the column'
    (Application.priority_codes, String(300)); the form stores what it is sent: 100 x 'hero' is 499
    characters, a 500 on PostgreSQL and a silently over-long value on SQLite."""
    from werkzeug.datastructures import MultiDict
    position = db.session.scalar(db.select(Position).filter_by(round_id=hr_round.id, code="TC-01"))
    data = MultiDict({"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
                      "gender": "nam", "position_id": str(position.id), "degree_level": "dai_hoc",
                      "major": "Tài chính"})
    for _ in range(100):
        data.add("priority_codes", "hero")
    client.post(f"/hr/rounds/{hr_round.id}/applications/new", data=data)
    stored = db.session.scalar(db.select(Application.priority_codes))
    assert stored in (None, "hero"), (len(stored or ""), (stored or "")[:30])


def test_the_form_refuses_an_email_longer_than_its_column(hr_round, client):
    """Email() accepts addresses up to 254 characters; Application.email is String(200) (the import
    checks max_length, the form does not): a 500 on PostgreSQL."""
    long_email = "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".vn"  # 247 characters, a valid address
    assert len(long_email) > 200
    _post(client, hr_round, email=long_email)
    stored = db.session.scalar(db.select(Application.email))
    assert stored is None or len(stored) <= 200, len(stored)
