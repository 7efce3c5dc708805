"""Issue 15: the hub's state changes are operations that check, change, audit with before and
after and flush, called here directly; and the one action block of the pages (actions.committed)
keeps a refused operation's changes out of the database."""
from __future__ import annotations

import json
from datetime import date

import pytest

from recruitment import accounts, actions, applications, errors, log_ins, positions, rounds
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application, Round, User
from tests.support.factories import make_round

ROUND_FIELDS = {"code": "OP1", "name": "Thi tuyển OP1", "rules_code": "vn-2025", "application_deadline": date(2026, 10, 1),
                "several_positions": False, "promote_after_cancellation": True, "language_test": False}
POSITION_FIELDS = {"code": "TC-01", "name": "Chuyên viên", "agency": "Sở Tài chính", "grade": "chuyen_vien", "quota": 2,
                   "round2_form": "written", "degree_level": "dai_hoc", "majors": "Tài chính"}


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.seq)))


def _application_fields(position_id: int, **changes) -> dict:
    return {"national_id": "031000000001", "full_name": "Trần Văn Bình", "date_of_birth": date(1995, 2, 1),
            "gender": "nam", "email": None, "phone": None, "position_id": position_id, "degree_level": "dai_hoc",
            "major": "Tài chính", "priority_codes": ["military_service"], "exempt_language": False, **changes}


def test_a_round_is_created_and_edited_with_before_and_after(app):
    round_ = rounds.create(dict(ROUND_FIELDS))
    assert round_.id and len(round_.draw_seed) == 64
    rounds.edit(round_, {**ROUND_FIELDS, "code": "CHANGED", "name": "Tên mới"})
    db.session.commit()
    assert round_.code == "OP1" and round_.name == "Tên mới"  # the code names the round in files: it stays
    created, edited = _entries("round_created"), _entries("round_edited")
    assert json.loads(created[0].after) == {"code": "OP1", "rules": "vn-2025"}
    assert json.loads(edited[0].before)["name"] == "Thi tuyển OP1" and json.loads(edited[0].after)["name"] == "Tên mới"


def test_a_second_round_with_the_same_code_is_refused_on_its_field(app):
    make_round("OP1")
    with pytest.raises(rounds.RoundRefused) as refused:
        rounds.create(dict(ROUND_FIELDS))
    assert refused.value.field == "code" and isinstance(refused.value, errors.Refused)
    assert _entries("round_created") == []


def test_a_locked_round_keeps_its_deadline_and_rules(app, tmp_path):
    from tests.support.factories import round_with_applications

    round_, _apps = round_with_applications(tmp_path, "LK", ["Trần An"])  # one admitted: A2 counted on the deadline
    with pytest.raises(rounds.RoundRefused) as refused:
        rounds.edit(round_, {**ROUND_FIELDS, "application_deadline": date(2027, 1, 1)})
    assert refused.value.field == "application_deadline"
    rounds.edit(round_, {**ROUND_FIELDS, "application_deadline": round_.application_deadline, "rules_code": "vn-2020"})
    assert round_.rules_code == "vn-2025"  # fixed once an application is admitted


def test_a_position_checks_its_code_and_the_rule_sets_round2_form(app):
    round_ = make_round("POS")
    position = positions.create(round_, dict(POSITION_FIELDS))
    with pytest.raises(positions.PositionRefused) as duplicate:
        positions.create(round_, dict(POSITION_FIELDS))
    assert duplicate.value.field == "code"
    allowed = round_.rules.allowed_round2_forms
    refused_form = next((f for f in ("written", "interview", "written_interview") if f not in allowed), None)
    if refused_form:  # C1, L2
        with pytest.raises(positions.PositionRefused) as refused:
            positions.edit(position, {**POSITION_FIELDS, "round2_form": refused_form})
        assert refused.value.field == "round2_form"
    positions.edit(position, {**POSITION_FIELDS, "code": "XX", "quota": 5})
    assert position.code == "TC-01" and position.quota == 5
    edited = _entries("position_edited")[-1]
    assert json.loads(edited.before)["quota"] == 2 and json.loads(edited.after)["quota"] == 5


def test_an_application_is_saved_once_per_person_and_audited(app):
    round_ = make_round("APP")
    position = positions.create(round_, dict(POSITION_FIELDS))
    application = applications.save(round_, None, _application_fields(position.id))
    assert application.priority_codes == "military_service" and application.name_key == "tran van binh"
    with pytest.raises(applications.ApplicationRefused):  # A1: one application per person and round
        applications.save(round_, None, _application_fields(position.id, full_name="Người khác"))
    applications.save(round_, application, _application_fields(position.id, full_name="Trần Văn Bính"))
    created, edited = _entries("application_created"), _entries("application_edited")
    assert len(created) == 1 and created[0].before is None
    assert json.loads(edited[0].before)["full_name"] == "Trần Văn Bình"
    assert json.loads(edited[0].after)["full_name"] == "Trần Văn Bính"


def test_a_closed_round_takes_no_new_application(app):
    round_ = make_round("CL", deadline=date(2000, 1, 1), open_until=None)
    position = positions.create(round_, dict(POSITION_FIELDS))
    with pytest.raises(applications.ApplicationRefused):
        applications.save(round_, None, _application_fields(position.id))
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_an_ineligible_application_is_not_admitted(app):
    round_ = make_round("EL")
    position = positions.create(round_, dict(POSITION_FIELDS))
    young = applications.save(round_, None, _application_fields(position.id, date_of_birth=date(2015, 1, 1)))
    with pytest.raises(applications.ApplicationRefused):
        applications.admit_numbered(young)
    assert young.status == "submitted" and young.candidate_number is None
    assert _entries("application_admitted") == []


def test_an_account_is_saved_without_its_password_in_the_log(app, make_user):
    admin = make_user("quantri", "admin")
    with pytest.raises(accounts.AccountRefused) as taken:
        accounts.save(None, "quantri", "Ai đó", None, True, ["hr"], "mat-khau-dai-1")
    assert taken.value.field == "username"
    with pytest.raises(accounts.AccountRefused) as no_password:
        accounts.save(None, "moi", "Người mới", None, True, ["hr"], None)
    assert no_password.value.field == "password"
    user = accounts.save(None, " moi ", "Người mới", "", True, ["hr"], "mat-khau-dai-1")
    accounts.save(admin, "quantri", "Quản trị", None, True, ["admin", "hr"], None)
    entries = _entries("user_saved")
    assert user.username == "moi" and user.email is None and user.check_password("mat-khau-dai-1")
    assert entries[0].before is None and "mat-khau" not in (entries[0].after or "")
    assert json.loads(entries[1].before)["roles"] == ["admin"] and json.loads(entries[1].after)["roles"] == ["admin", "hr"]


def test_a_log_out_ends_every_session_and_is_audited(app, make_user):
    user = make_user("nhanvien", "hr")
    generation = user.session_generation or 0
    log_ins.end_sessions(user)
    log_ins.failed("khong-co", {"user:khong-co@1.2.3.4": 5}, 60)
    assert user.session_generation == generation + 1
    assert _entries("logged_out")[0].object_id == str(user.id)
    assert _entries("login_failed")[0].object_id == "khong-co"
    assert log_ins.unlock(user) == [] and json.loads(_entries("login_unlocked")[0].after) == {"locked": []}


def test_the_action_block_rolls_a_refusal_back_and_commits_the_rest(app):
    round_ = make_round("BLK")
    with app.test_request_context():
        with actions.committed() as refused:
            round_.name = "changed before the refusal"
            raise applications.ApplicationRefused("không được")
        assert refused.refused is not None and not refused.committed
        db.session.expire_all()
        assert db.session.get(Round, round_.id).name == "Round BLK"
        with actions.committed() as done:
            db.session.get(Round, round_.id).name = "kept"
        assert done.committed and done.refused is None
    db.session.expire_all()
    assert db.session.get(Round, round_.id).name == "kept"
    with app.test_request_context(), pytest.raises(KeyError), actions.committed():
        raise KeyError("not a refusal: it is not swallowed")
    assert db.session.scalar(db.select(User).filter_by(username="x")) is None


def test_the_administrator_creates_a_user_through_the_page(app, client, make_user, login):
    """The roles were once queried after the new user was added: the autoflush inserted it without
    its password and the page failed."""
    login(make_user("quantri", "admin"))
    response = client.post("/admin/users/new", data={"username": "thuky", "full_name": "Thư ký", "email": "",
                                                     "active": "y", "roles": ["hr"], "password": "mat-khau-dai-1"})
    user = db.session.scalar(db.select(User).filter_by(username="thuky"))
    assert response.status_code == 302 and user is not None and user.role_names == {"hr"}
    taken = client.post("/admin/users/new", data={"username": "thuky", "full_name": "Ai", "roles": ["hr"],
                                                  "password": "mat-khau-dai-2"})
    assert taken.status_code == 200 and "thuky" in taken.get_data(as_text=True)


def test_an_administrator_neither_deactivates_nor_demotes_their_own_account(app, client, make_user, login):
    """A post of the own account's page without the "active" box (or without the admin role) locked the
    administrator out at once, perhaps the only one; another administrator still can."""
    me = login(make_user("quantri", "admin")) and db.session.scalar(db.select(User).filter_by(username="quantri"))
    for data in ({"roles": ["admin"]}, {"roles": ["hr"], "active": "y"}):
        page = client.post(f"/admin/users/{me.id}", data={"username": "quantri", "full_name": "Quản trị", **data})
        assert page.status_code == 200 and "another administrator" in page.get_data(as_text=True).replace(
            "quản trị viên khác", "another administrator")
        db.session.refresh(me)
        assert me.active and me.role_names == {"admin"}
    assert client.get("/admin/users").status_code == 200  # still logged in
    other = make_user("quantri2", "admin")
    accounts.save(other, "quantri2", "Quản trị 2", None, False, ["admin"], None, by=me)
    assert not other.active


VIEWS = ("recruitment/views", "questionbank/views.py", "questionbank/import_job_views.py", "exam/views.py", "exam/day/console.py", "interviews/views.py",
         "marking/views.py", "verification/views.py", "results/views.py")


def test_no_working_page_audits_or_rolls_back_by_itself():
    """The views call operations and commit through actions.committed; the exam's candidate API
    (JSON answers, exam/day/candidate.py) and the question import's dry run keep their own."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    paths = [p for v in VIEWS for p in sorted((root / v).rglob("*.py") if (root / v).is_dir() else [root / v])]
    found = {str(p.relative_to(root)): re.findall(r"audit\.record\(", p.read_text(encoding="utf-8"))
             for p in paths}
    assert {path: hits for path, hits in found.items() if hits} == {}
    rollbacks = {str(p.relative_to(root)) for p in paths if "db.session.rollback()" in p.read_text(encoding="utf-8")}
    assert rollbacks == {"questionbank/views.py"}  # the dry run of a question import, never committed
