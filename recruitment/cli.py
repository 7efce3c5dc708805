"""The hub's commands (formats.md): round create, positions import, applications import,
users create, audit verify, scores import, and demo. Every command is run as `flask --app wsgi ...`.
Bad input: the errors go to stderr, each naming its row, column and cause, and the exit status is 2."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from . import audit, audit_check, registry, rulesets, tabular
from .extensions import db
from .models import ROLES, Role, Round, User

LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                    help="Language of the messages.")


def find_round(code: str) -> Round:
    round_ = db.session.scalar(db.select(Round).filter_by(code=code))
    if round_ is None:
        raise click.ClickException(f"no round {code!r}")
    return round_


def exit_rejected(filename: str, rejected: tabular.ImportRejected):
    """What every import command does with a refused file: nothing written, each error on stderr, exit 2."""
    db.session.rollback()
    for error in rejected.errors:
        click.echo(f"{filename}: {error}", err=True)
    click.echo(f"{filename}: {len(rejected.errors)} error(s); nothing was imported", err=True)
    sys.exit(2)


def run_import(importer, round_: Round, path: Path, dry_run: bool, lang: str):
    """Runs an importer on a file and reports like every import command does."""
    with force_locale(lang):
        try:
            report = importer(round_, path.name, path.read_bytes(), dry_run=dry_run)
        except tabular.ImportRejected as rejected:
            exit_rejected(path.name, rejected)
        for message in getattr(report, "messages", []):
            click.echo(message)
    prefix = "dry run: " if dry_run else ""
    click.echo(f"{prefix}{path.name}: {report.rows} row(s) read" + ("" if dry_run else ", imported"))
    return report


round_cli = AppGroup("round", help="Recruitment rounds.")


@round_cli.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--rules", "rules_code", type=click.Choice(list(rulesets.PRESETS)), default=rulesets.DEFAULT_RULES,
              show_default=True)
@click.option("--deadline", help="Application deadline, DD/MM/YYYY or YYYY-MM-DD (A2 counts age on it).")
@click.option("--several-positions", is_flag=True, help="A person may apply to several positions (A1).")
@click.option("--no-promotion", is_flag=True, help="Do not promote the next candidate after a cancellation (F4).")
def round_create(code, name, rules_code, deadline, several_positions, no_promotion):
    if db.session.scalar(db.select(Round).filter_by(code=code)):
        raise click.ClickException(f"round {code!r} exists already")
    try:
        day = tabular.parse_date(deadline) if deadline else None
    except tabular.CellError as exc:
        raise click.BadParameter(str(exc), param_hint="--deadline") from None
    round_ = Round(code=code, name=name, rules_code=rules_code, application_deadline=day,
                   several_positions=several_positions, promote_after_cancellation=not no_promotion,
                   draw_seed=secrets.token_hex(32))
    db.session.add(round_)
    db.session.flush()
    audit.record("round_created", "round", round_.id, after={"code": code, "name": name, "rules": rules_code},
                 actor="cli")
    db.session.commit()
    click.echo(f"round {code} created ({rules_code})")


@round_cli.command("extend")
@click.argument("code")
@click.option("--until", required=True, help="Last day applications are taken, DD/MM/YYYY or YYYY-MM-DD.")
@click.option("--reason", required=True, help="Why applications are taken after the deadline (audited).")
def round_extend(code, until, reason):
    """Takes applications after the deadline until a day, for a reason (never after publication)."""
    from . import applications

    round_ = find_round(code)
    try:
        day = tabular.parse_date(until)
    except tabular.CellError as exc:
        raise click.BadParameter(str(exc), param_hint="--until") from None
    if day is None:
        raise click.BadParameter("give a day", param_hint="--until")
    try:
        applications.extend(round_, day, reason)
    except applications.ApplicationRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"round {code}: applications taken until {day:%d/%m/%Y} ({reason})")


def _import_command(group: AppGroup, importer_name: str, help_text: str):
    @group.command("import", help=help_text)
    @click.option("--round", "round_code", required=True)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check the file and report, write nothing.")
    @LANG
    def command(round_code, file, dry_run, lang):
        from . import importing

        run_import(getattr(importing, importer_name), find_round(round_code), file, dry_run, lang)

    return command


positions_cli = AppGroup("positions", help="Job positions of a round.")
applications_cli = AppGroup("applications", help="Applications of a round.")
_import_command(positions_cli, "import_positions", "Import job positions from .xlsx or .csv (formats.md).")
_import_command(applications_cli, "import_applications",
                "Import applications from .xlsx or .csv; eligible ones are admitted and numbered (A2, A3).")



@applications_cli.command("photos")
@click.option("--round", "round_code", required=True)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every photo and report, write nothing.")
@LANG
def applications_photos(round_code, path, dry_run, lang):
    """Import identity photos from a folder or a zip, each file named by national ID or candidate number."""
    from . import photos

    round_ = find_round(round_code)
    with force_locale(lang):
        try:
            report = photos.import_photos(round_, photos.read_files(path), dry_run=dry_run)
        except tabular.ImportRejected as rejected:
            exit_rejected(path.name, rejected)
    if dry_run:
        click.echo(f"dry run: {path.name}: {report.imported} photo(s) would be imported")
        return
    db.session.commit()
    click.echo(f"{path.name}: {report.imported} photo(s) imported for {len(report.applications)} application(s) "
               f"({report.replaced} replaced)")


scores_cli = AppGroup("scores", help="Scores from paper tests or other systems.")


@scores_cli.command("import", help=(
    "Import scores from .xlsx or .csv (formats.md). --kind written is a paper written test marked outside "
    "the system: each row names first_marker/first_mark and second_marker/second_mark (and third_marker/"
    "third_mark, head_marker/head_mark where rules.md C3 asks), user names of markers (the head marker: the "
    "council chair); the marks are recorded into C3, which gives the written mark, and score, when given, "
    "must be C3's result. A final mark alone, a written test on computer, a candidate not admitted to the "
    "written test and a script already marked are refused. See docs/marking.md."))
@click.option("--round", "round_code", required=True)
@click.option("--kind", required=True, help="round1, written or interview (formats.md; written: see above).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True)
@LANG
def scores_import(round_code, kind, file, dry_run, lang):
    importers = registry.score_importers(current_app)
    if kind not in importers:
        raise click.BadParameter(f"known kinds: {', '.join(sorted(importers)) or 'none'}", param_hint="--kind")
    run_import(importers[kind], find_round(round_code), file, dry_run, lang)


users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True)
@click.option("--role", "role_names", multiple=True, required=True, type=click.Choice([r for r in ROLES if r != "candidate"]))
@click.option("--email")
@click.option("--password", help="Generated and printed when omitted.")
def users_create(username, full_name, role_names, email, password):
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise click.ClickException(f"user {username!r} exists already")
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = User(username=username, full_name=full_name, email=email,
                roles=list(db.session.scalars(db.select(Role).where(Role.name.in_(role_names)))))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", "user", user.id, after={"username": username, "roles": sorted(role_names)},
                 actor="cli")
    db.session.commit()
    click.echo(f"user {username} created" + (f"; password: {password}" if generated else ""))


audit_cli = AppGroup("audit", help="The append-only audit log.")


@audit_cli.command("verify")
@LANG
def audit_verify(lang):
    """Walks the chain and names each kind of damage (G6); exit status 1 when there is any."""
    with force_locale(lang):
        report = audit_check.verify()
        if report.ok:
            click.echo(f"audit log intact: {report.entries} entries")
            return
        for problem in report.problems:
            where = f" at entry {problem.seq}" if problem.seq is not None else ""
            click.echo(f"audit log BROKEN{where}: {problem.label}: {problem.message}", err=True)
    click.echo(f"{len(report.problems)} problem(s) in {report.entries} entries", err=True)
    sys.exit(1)


@click.command("demo")
def demo_command():
    """Load a realistic demo: a round, positions, 200+ applications, a user per role, and what each
    module adds (question bank, exam sitting, interviews, results, dossiers)."""
    from .demo import run

    # The demo's round codes, accounts and printed codes are fixed, so it cannot sit beside another load.
    if db.session.scalar(db.select(Round).limit(1)) is not None:
        click.echo("the database already holds a round; the demo loads only into an empty database: delete "
                   "instance/recruitment.sqlite (or point DATABASE_URL at a new database), run "
                   "`flask --app wsgi db upgrade`, then the demo again")
        return
    passwords = run(current_app, echo=click.echo)
    click.echo("\nDemo logins (http://127.0.0.1:5000/login):")
    for username, password in passwords.items():
        click.echo(f"  {username:<22} {password}")


def register(app: Flask) -> None:
    for command in (round_cli, positions_cli, applications_cli, scores_cli, users_cli, audit_cli, demo_command):
        app.cli.add_command(command)
