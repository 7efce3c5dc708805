"""Applications are taken until the deadline, or an extension HR records with its reason (audited),
and never after the first publication of results (E5): by the web form, the import page and the
command alike. HR once imported a file 20 days after the deadline and after version 1: the five
late candidates were admitted without a word, then blocked publication ("round-1 result missing")."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale

from recruitment import applications, i18n, importing
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx

PAST = date.today() - timedelta(days=20)


@pytest.fixture
def late_round(app, tmp_path):
    round_ = make_round(deadline=PAST, open_until=None)
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    return round_


def _file(tmp_path, n=5):
    rows = [application_row(f"0310000009{i:02d}", f"Nguyễn Văn Muộn {i}") for i in range(n)]
    return write_xlsx(tmp_path / "late.xlsx", APPLICATION_HEADERS, rows)


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Application))


def test_an_import_after_the_deadline_is_refused_as_a_whole(late_round, tmp_path):
    path = _file(tmp_path)
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        importing.import_applications(late_round, path.name, path.read_bytes())
    (error,) = refused.value.errors
    assert error.row is None and PAST.strftime("%d/%m/%Y") in error.message and "extension" in error.message
    assert _count() == 0


def test_the_deadline_is_a_day_in_vietnam(app, monkeypatch):
    """The deadline of 10 November is over at 00:00 on the 11th in Vietnam, 17:00 UTC on the 10th,
    whatever the server's zone: on a server set to UTC, date.today() took applications until 07:00
    on the 11th in Vietnam. The clock is the project's (utcnow), frozen on either side."""
    round_ = make_round(deadline=date(2026, 11, 10), open_until=None)
    monkeypatch.setattr(i18n, "utcnow", lambda: datetime(2026, 11, 10, 16, 59))  # 23:59 in Vietnam
    applications.check_open(round_)
    monkeypatch.setattr(i18n, "utcnow", lambda: datetime(2026, 11, 10, 17, 30))  # 00:30 on the 11th
    with pytest.raises(applications.ApplicationRefused, match="10/11/2026"):
        applications.check_open(round_)


def test_an_extension_with_its_reason_reopens_until_its_day_and_is_audited(late_round, tmp_path):
    with pytest.raises(applications.ApplicationRefused):
        applications.extend(late_round, date.today() + timedelta(days=5), "  ")
    with pytest.raises(applications.ApplicationRefused, match="1000"):
        applications.extend(late_round, date.today() + timedelta(days=5), "Bão " * 260)
    applications.extend(late_round, date.today() + timedelta(days=5), "Bão số 3: bưu điện đóng cửa")
    db.session.commit()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="applications_extended"))
    assert '"extended_until":null' in entry.before and "Bão số 3" in entry.after and entry.reason
    path = _file(tmp_path)
    assert importing.import_applications(late_round, path.name, path.read_bytes()).admitted == 5
    with force_locale("en"), pytest.raises(applications.ApplicationRefused, match="extension"):
        applications.check_open(late_round, date.today() + timedelta(days=6))  # the extension's end holds too


def test_nothing_is_taken_after_the_first_publication(late_round, tmp_path):
    from results import service

    applications.extend(late_round, date.today() + timedelta(days=5), "Gia hạn")
    service.publish(late_round, "test")
    db.session.commit()
    path = _file(tmp_path)
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        importing.import_applications(late_round, path.name, path.read_bytes())
    assert "published" in refused.value.errors[0].message
    with pytest.raises(applications.ApplicationRefused):
        applications.extend(late_round, date.today() + timedelta(days=9), "Lại gia hạn")
    assert _count() == 0


def test_the_web_form_the_import_page_and_the_extension_on_the_rounds_page(late_round, client, make_user, login,
                                                                            tmp_path):
    client.post("/lang/en")
    login(make_user("hr1", "hr"))
    page = client.get(f"/hr/rounds/{late_round.id}/applications/new", follow_redirects=True).get_data(as_text=True)
    assert "deadline" in page and 'id="extend"' in page
    path = _file(tmp_path, 2)
    with path.open("rb") as f:
        response = client.post(f"/hr/rounds/{late_round.id}/import/applications", data={"file": (f, path.name)},
                               content_type="multipart/form-data")
    assert response.status_code == 422 and _count() == 0
    until = date.today() + timedelta(days=3)
    page = client.post(f"/hr/rounds/{late_round.id}/extend", data={"until": until.strftime("%d/%m/%Y"),
                                                                  "reason": "Hồ sơ gửi qua bưu điện"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Hồ sơ gửi qua bưu điện" in page and 'id="applications-closed"' not in page
    with path.open("rb") as f:
        client.post(f"/hr/rounds/{late_round.id}/import/applications", data={"file": (f, path.name)},
                    content_type="multipart/form-data")
    assert _count() == 2


def test_the_command_refuses_a_late_file_and_takes_an_extension(app, late_round, tmp_path):
    runner = app.test_cli_runner()
    path = _file(tmp_path, 1)
    result = runner.invoke(args=["applications", "import", "--round", late_round.code, str(path), "--lang", "en"])
    assert result.exit_code == 2 and "deadline" in result.stderr
    until = (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    assert runner.invoke(args=["round", "extend", late_round.code, "--until", until, "--reason", "Gia hạn"]).exit_code == 0
    assert runner.invoke(args=["applications", "import", "--round", late_round.code, str(path)]).exit_code == 0
    assert _count() == 1


def test_the_deadline_is_not_moved_once_applications_are_admitted(late_round, client, make_user, login, tmp_path):
    """Moving the deadline would dodge the extension's reason and change the ages A2 counted."""
    applications.extend(late_round, date.today() + timedelta(days=5), "Gia hạn")
    path = _file(tmp_path, 1)
    importing.import_applications(late_round, path.name, path.read_bytes())
    login(make_user("hr1", "hr"))
    client.post(f"/hr/rounds/{late_round.id}/edit", data={
        "code": late_round.code, "name": late_round.name, "rules_code": late_round.rules_code,
        "application_deadline": (date.today() + timedelta(days=60)).strftime("%d/%m/%Y")})
    db.session.refresh(late_round)
    assert late_round.application_deadline == PAST
