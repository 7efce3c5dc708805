"""The operator's commands: round create, positions/applications import, users create, audit verify."""
from __future__ import annotations

from datetime import date, timedelta

from recruitment.extensions import db
from recruitment.models import Application, Round, User
from tests.support.importfiles import (
    APPLICATION_HEADERS,
    POSITION_HEADERS,
    POSITIONS,
    application_row,
    write_csv,
    write_xlsx,
)


def test_a_round_is_built_from_the_command_line(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["round", "create", "HP27", "--name", "Thi tuyển 2027", "--rules", "vn-2020",
                                 "--deadline", f"{date.today() + timedelta(days=30):%d/%m/%Y}"])  # still open
    assert result.exit_code == 0, result.output
    positions = write_xlsx(tmp_path / "positions.xlsx", POSITION_HEADERS, POSITIONS)
    assert runner.invoke(args=["positions", "import", "--round", "HP27", str(positions)]).exit_code == 0
    apps = write_csv(tmp_path / "apps.csv", APPLICATION_HEADERS, [application_row("031000000001", "Trần Văn Bình")])
    result = runner.invoke(args=["applications", "import", "--round", "HP27", str(apps)])
    assert result.exit_code == 0, result.output
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP27"))
    assert round_.rules_code == "vn-2020" and round_.rules_locked
    assert db.session.scalar(db.select(Application)).candidate_number == 1


def test_a_bad_file_exits_2_with_the_errors_on_stderr_and_writes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["round", "create", "HP27", "--name", "x"])
    runner.invoke(args=["positions", "import", "--round", "HP27",
                        str(write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS))])
    bad = write_xlsx(tmp_path / "apps.xlsx", APPLICATION_HEADERS, [
        application_row("031000000001", "Trần Văn Bình"), application_row("0310000000", "Lê Văn Cường")])
    result = runner.invoke(args=["applications", "import", "--round", "HP27", "--lang", "en", str(bad)])
    assert result.exit_code == 2
    assert "row 3, column national_id" in result.stderr
    assert "nothing was imported" in result.stderr
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_dry_run_reports_and_writes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["round", "create", "HP27", "--name", "x"])
    result = runner.invoke(args=["positions", "import", "--round", "HP27", "--dry-run",
                                 str(write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS))])
    assert result.exit_code == 0 and "dry run" in result.output
    assert db.session.scalar(db.select(Round).filter_by(code="HP27")).positions == []


def test_users_create_and_audit_verify(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "lan", "--name", "Nguyễn Thị Lan", "--role", "hr", "--role", "verifier"])
    assert result.exit_code == 0 and "password:" in result.output
    password = result.output.rsplit("password:", 1)[1].strip()
    user = db.session.scalar(db.select(User).filter_by(username="lan"))
    assert user.role_names == {"hr", "verifier"} and user.check_password(password)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "1 entries" in result.output


def test_unknown_score_kind_is_refused(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["round", "create", "HP27", "--name", "x"])
    f = tmp_path / "s.csv"
    f.write_text("candidate_number\n1\n")
    result = runner.invoke(args=["scores", "import", "--round", "HP27", "--kind", "nonsense", str(f)])
    assert result.exit_code == 2 and "--kind" in result.output


def test_the_demo_loads_only_into_an_empty_database_and_says_how_to_start_afresh(app):
    """The demo's rounds, codes and accounts are fixed: a second load cannot be added beside the first
    (it crashed with a UNIQUE error on rounds.code), so the command says where a fresh database comes from."""
    db.session.add(Round(code="HP2026", name="Thi tuyển", rules_code="vn-2025", application_deadline=date(2026, 11, 10)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0 and result.exception is None
    assert "--force" not in result.output and "DATABASE_URL" in result.output
    assert db.session.scalar(db.select(db.func.count(Round.id))) == 1
