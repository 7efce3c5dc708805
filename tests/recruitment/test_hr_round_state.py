"""A round's settings and positions changed under applications that depend on them
(recruitment/rounds.py edit, recruitment/positions.py edit, the position form)."""
from __future__ import annotations

import pytest

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application, Position
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


@pytest.fixture
def hr(app, client, make_user, login):
    login(make_user("hr", "hr"))
    return client


def _positions(r, tmp_path):
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())


def _round_form(r, **changes):
    data = {"code": r.code, "name": r.name, "rules_code": r.rules_code,
            "application_deadline": r.application_deadline.strftime("%d/%m/%Y"), "promote_after_cancellation": "y"}
    if r.several_positions:
        data["several_positions"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a1_cannot_be_switched_off_while_one_person_holds_two_applications(hr, tmp_path):
    """rounds.edit fixes A1's setting only once an application is *admitted*; applications typed in the
    form stay 'submitted'. A person applies to TC-01 and VT-02 while the round allows it, HR then turns
    A1 off: the round now says one application per person and holds two, and both can be admitted."""
    r = make_round(several_positions=True)
    _positions(r, tmp_path)
    for code, degree, major in (("TC-01", "dai_hoc", "Tài chính"), ("VT-02", "dai_hoc", "")):
        position = db.session.scalar(db.select(Position).filter_by(code=code))
        hr.post(f"/hr/rounds/{r.id}/applications/new", data={
            "national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
            "gender": "nam", "position_id": str(position.id), "degree_level": degree, "major": major})
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 2
    hr.post(f"/hr/rounds/{r.id}/edit", data=_round_form(r, several_positions=None))
    db.session.refresh(r)
    assert r.several_positions, "A1 switched off over a person's two applications"


def test_a_positions_requirement_is_not_raised_over_admitted_candidates(hr, tmp_path):
    """The round fixes its A1/B8 settings once applications are admitted ("candidates applied and were
    admitted under them"); a position's degree, majors and grade (B0: who sits round 1) stay editable
    until publication. Raising TC-01 to tien_si leaves its admitted dai_hoc candidate admitted, numbered,
    and now failing A2, with nothing said."""
    r = make_round()
    _positions(r, tmp_path)
    a = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [application_row("031000000001", "Trần Văn Bình")])
    importing.import_applications(r, a.name, a.read_bytes())
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    hr.post(f"/hr/positions/{position.id}/edit", data={
        "code": "TC-01", "name": position.name, "agency": position.agency, "grade": "chuyen_vien", "quota": "2",
        "round2_form": "written_interview", "degree_level": "tien_si", "majors": position.majors})
    db.session.refresh(position)
    from recruitment import applications
    a = db.session.scalar(db.select(Application))
    assert not (a.status == "admitted" and applications.reasons_to_reject(a)), \
        "requirement raised over an admitted candidate who no longer meets it, nothing said or changed"


def test_a_position_code_typed_with_spaces_is_the_code_files_use(hr, tmp_path):
    """The position form stores the code as typed; every file (applications, questions, scores) reads
    codes trimmed (tabular.text). ' TC-01 ' typed in the form can never be named by a file, and the
    positions file then creates a second 'TC-01' beside it."""
    r = make_round()
    hr.post(f"/hr/rounds/{r.id}/positions/new", data={
        "code": " TC-01 ", "name": "Chuyên viên", "agency": "Sở Tài chính", "grade": "chuyen_vien", "quota": "2",
        "round2_form": "written", "degree_level": "dai_hoc", "majors": ""})
    _positions(r, tmp_path)
    codes = db.session.scalars(db.select(Position.code).filter_by(round_id=r.id)).all()
    assert len([c for c in codes if c.strip() == "TC-01"]) == 1, codes


def test_the_positions_file_does_not_raise_a_requirement_over_admitted_candidates(app, tmp_path):
    """The same check through the positions file: its row is refused, naming the position, and nothing changes."""
    r = make_round()
    _positions(r, tmp_path)
    a = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, [application_row("031000000001", "Trần Văn Bình")])
    importing.import_applications(r, a.name, a.read_bytes())
    raised = [list(row) for row in POSITIONS]
    raised[0][6] = "tien_si"
    path = write_xlsx(tmp_path / "p2.xlsx", POSITION_HEADERS, raised)
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.import_positions(r, path.name, path.read_bytes())
    db.session.rollback()
    assert "0001" in str(excinfo.value) and "TC-01" in str(excinfo.value)
    assert db.session.scalar(db.select(Position).filter_by(code="TC-01")).degree_level == "dai_hoc"


def test_once_a1_is_set_the_kept_application_is_still_edited(hr, tmp_path):
    """The refusal above tells HR to reject the extra application; once A1 is set, the one kept is
    saved again as any other (a rejected one beside it makes no second application)."""
    r = make_round(several_positions=True)
    _positions(r, tmp_path)
    data = {}
    for code, degree, major in (("TC-01", "dai_hoc", "Tài chính"), ("VT-02", "dai_hoc", "")):
        position = db.session.scalar(db.select(Position).filter_by(code=code))
        data[code] = {"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": "01/02/1995",
                      "gender": "nam", "position_id": str(position.id), "degree_level": degree, "major": major}
        hr.post(f"/hr/rounds/{r.id}/applications/new", data=data[code])
    kept, extra = db.session.scalars(db.select(Application).order_by(Application.id)).all()
    hr.post(f"/hr/applications/{extra.id}/reject", data={"reason": "Nộp trùng"})
    hr.post(f"/hr/rounds/{r.id}/edit", data=_round_form(r, several_positions=None))
    db.session.refresh(r)
    assert not r.several_positions
    hr.post(f"/hr/applications/{kept.id}/edit", data=dict(data["TC-01"], phone="0912345678"))
    db.session.refresh(kept)
    assert kept.phone == "0912345678"
