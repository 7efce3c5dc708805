"""`questions import` and `questions export` from the shell, on the shared Moodle fixtures."""
from __future__ import annotations

from questionbank.models import Question
from recruitment.extensions import db


def test_every_format_imports_from_the_command_line(app, shared_fixtures):
    runner = app.test_cli_runner()
    for name in ("questions.gift.txt", "questions.aiken.txt", "nested_categories_with_questions.xml"):
        result = runner.invoke(args=["questions", "import", str(shared_fixtures / "moodle" / name), "--topic", "Moodle"])
        assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 5 + 2 + 4


def test_dry_run_writes_nothing_and_errors_exit_2(app, shared_fixtures):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["questions", "import", "--dry-run", "--topic", "T",
                                 str(shared_fixtures / "moodle" / "questions.gift.txt")])
    assert result.exit_code == 0 and "dry run" in result.output and "skipped" in result.output
    result = runner.invoke(args=["questions", "import", "--lang", "en", str(shared_fixtures / "moodle" / "aiken_errors.txt")])
    assert result.exit_code == 2 and "row 1" in result.stderr and "nothing was imported" in result.stderr
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def test_export_then_import_through_the_commands(app, shared_fixtures, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["questions", "import", "--topic", "T", str(shared_fixtures / "moodle" / "questions.aiken.txt")])
    out = tmp_path / "bank.xlsx"
    assert runner.invoke(args=["questions", "export", "--output", str(out)]).exit_code == 0
    db.session.execute(db.update(Question).values(current_version_id=None))
    from questionbank.models import QuestionVersion, ReviewEvent
    for model in (ReviewEvent, QuestionVersion, Question):
        db.session.execute(db.delete(model))
    db.session.commit()
    result = runner.invoke(args=["questions", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(q.code for q in db.session.scalars(db.select(Question))) == ["KT-00001", "KT-00002"]
