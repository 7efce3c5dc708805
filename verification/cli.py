"""`flask --app wsgi verification import --round CODE FILE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from recruitment.cli import LANG, find_round, run_import

from . import importing

verification_cli = AppGroup("verification", help="Dossier and diploma checks.")


@verification_cli.command("import")
@click.option("--round", "round_code", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True)
@LANG
def import_command(round_code, file, dry_run, lang):
    """Outcomes of the dossier checks (formats.md): verified, rejected, incomplete, fraud, no_show."""
    run_import(importing.import_outcomes, find_round(round_code), file, dry_run, lang)


@verification_cli.command("deadlines")
def deadlines_command():
    """Opens the dossiers of newly selected candidates, printing each one's dossier code for the selection
    letter (the only time it is shown), and cancels those incomplete at the deadline (F1, F3)."""
    from recruitment.extensions import db
    from recruitment.i18n import local_today
    from recruitment.models import Round

    from . import dossiers, outcomes

    cancelled, today = [], local_today()  # the deadline's day is Vietnam's, not the server's (F1, F3)
    for round_ in db.session.scalars(db.select(Round)):
        opened = dossiers.open_dossiers(round_)
        cancelled += dossiers.enforce_deadlines(today, round_)
        click.echo(f"{round_.code}: {len(opened)} dossier(s) opened")
        for dossier, code in opened:
            a = dossier.application
            click.echo(f"  {a.number_label}\t{a.full_name}\t{a.date_of_birth:%d/%m/%Y}\tdossier code {code}")
    db.session.commit()
    for reply in outcomes.announce_cancellations(cancelled):
        click.echo(reply.message, err=not reply.ok)
    click.echo(f"{len(cancelled)} selection(s) cancelled at the deadline")
