"""`flask --app wsgi exam draw|grade --round CODE [--test T]`."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from recruitment.cli import find_round
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.url_ids import MAX_ID

from . import fairness, form_draws, scoring
from .models import HANDED_IN, Attempt, ExamTest

exam_cli = AppGroup("exam", help="Exam forms: draw and grade.")
# A test's id as the database keys it: beyond, SQLite cannot bind it and the command died in a traceback.
TEST_ID = click.IntRange(1, MAX_ID)


def _tests(round_code: str, test_id: int | None) -> list[ExamTest]:
    round_ = find_round(round_code)
    query = select(ExamTest).filter_by(round_id=round_.id, status="active")
    if test_id is not None:  # `--test 0` names no test: it is not "every test of the round"
        query = query.filter_by(id=test_id)
    tests = list(db.session.scalars(query))
    if not tests:
        raise click.ClickException("no active test (activate a blueprint first, G1)")
    return tests


def print_report(test: ExamTest, report: fairness.FairnessReport) -> None:
    click.echo(f"{test.title}: {report.new_forms} new form(s), {report.forms} in all, {report.questions} questions each")
    click.echo(f"  difficulty (mean p per form): target {report.target_difficulty:.3f}, "
               f"min {report.difficulty_min:.3f}, max {report.difficulty_max:.3f}, spread {report.difficulty_spread:.3f} "
               f"(tolerance {report.tolerance:.3f})")
    click.echo(f"  highest exposure of a question: {report.max_exposure:.1%} of forms; neighbouring seats with the "
               f"same question in the same place: {report.neighbour_clashes}; redrawn forms: {report.redrawn}")
    click.echo(f"  {fairness.spread_explanation(report)}")


@exam_cli.command("draw")
@click.option("--round", "round_code", required=True)
@click.option("--test", "test_id", type=TEST_ID, help="One test of the round; all active tests when omitted.")
def draw_command(round_code, test_id):
    """Draws every form not yet drawn and prints the fairness report."""
    for test in _tests(round_code, test_id):
        report = form_draws.draw_test(test.id)
        db.session.commit()
        print_report(test, report)


@exam_cli.command("grade")
@click.option("--round", "round_code", required=True)
@click.option("--test", "test_id", type=TEST_ID)
def grade_command(round_code, test_id):
    """Grades every submitted or collected attempt into the score tables; exits 1 if one could not be."""
    failed = False
    for test in _tests(round_code, test_id):
        ids = list(db.session.scalars(select(Attempt.id).where(Attempt.test_id == test.id,
                                                               Attempt.status.in_((*HANDED_IN, "voided")))))
        report = scoring.grade(ids)
        db.session.commit()
        for failure in report.failures:
            failed = True
            click.echo(f"  attempt {failure.attempt_id} could not be graded: {failure.error}", err=True)
        if report.held:
            click.echo(f"  {len(report.held)} attempt(s) graded but a result recorded otherwise is kept "
                       f"(the chair decides on the console): {', '.join(map(str, report.held))}", err=True)
        passed = db.session.scalar(select(db.func.count()).select_from(Attempt).where(
            Attempt.test_id == test.id, Attempt.passed.is_(True)))
        click.echo(f"{test.title}: {len(ids)} attempt(s) graded, {passed} passed")
    if failed:
        raise SystemExit(1)


@exam_cli.command("collect")
def collect_command():
    """Collects and grades every attempt whose deadline has passed (B4); safe to run from cron."""
    from recruitment.database import utcnow

    from .day.handing_in import collect_overdue

    result = collect_overdue(utcnow())
    db.session.commit()
    click.echo(f"{result.count} attempt(s) collected")
    if result.failed:  # collected and kept; grading them waits for the chair (an incident each)
        numbers = dict(db.session.execute(
            select(Attempt.id, Application.candidate_number).join(Application, Application.id == Attempt.application_id)
            .where(Attempt.id.in_([f.attempt_id for f in result.failed]))).all())
        click.echo(f"{len(result.failed)} attempt(s) could not be graded:", err=True)
        for failure in result.failed:
            click.echo(f"  candidate {numbers.get(failure.attempt_id, 0):04d} (attempt {failure.attempt_id}): "
                       f"{failure.error}", err=True)
        raise SystemExit(1)


@exam_cli.command("verify")
@click.option("--round", "round_code", required=True)
@click.option("--test", "test_id", type=TEST_ID)
def verify_command(round_code, test_id):
    """Rebuilds every stored form from its seed and frozen pool and compares it with what was stored."""
    failed = False
    for test in _tests(round_code, test_id):
        result = form_draws.verify_forms(test.id)
        db.session.commit()
        click.echo(f"{test.title}: {result.matching} of {result.forms} form(s) rebuilt identically")
        if result.mismatched:
            failed = True
            click.echo(f"  differing forms (application ids): {', '.join(map(str, result.mismatched))}", err=True)
    if failed:
        raise SystemExit(1)
