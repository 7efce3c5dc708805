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
