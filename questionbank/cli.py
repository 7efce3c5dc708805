"""`flask --app wsgi questions import FILE [--dry-run]` and `questions export --output FILE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from recruitment import audit, tabular
from recruitment.cli import exit_rejected
from recruitment.extensions import db
from recruitment.models import User
from recruitment.rulesets import SECTIONS

from . import bank, exporters, importers, word_export
from .models import QuestionImage

questions_cli = AppGroup("questions", help="The question bank.")


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and preview, write nothing.")
@click.option("--section", type=click.Choice(SECTIONS), default="general", show_default=True,
              help="For formats that do not carry it (Moodle XML, GIFT, Aiken).")
@click.option("--topic", default="", help="For files without categories.")
@click.option("--difficulty", type=click.IntRange(1, 3), default=2, show_default=True)
@click.option("--positions", default="", help="Position codes separated by ';'.")
@click.option("--author", help="The user name the questions are credited to.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def import_command(file, dry_run, section, topic, difficulty, positions, author, lang):
    author_user = db.session.scalar(db.select(User).filter_by(username=author)) if author else None
    if author and author_user is None:
        raise click.BadParameter(f"no user {author!r}", param_hint="--author")
    defaults = {"section": section, "topic": topic, "difficulty": difficulty, "positions": tabular.split_list(positions)}
    with force_locale(lang):
        try:
            parsed = importers.parse(file.name, file.read_bytes(), defaults)
            result = bank.import_records(parsed.records, author_user, filename=file.name, dry_run=dry_run)
        except tabular.ImportRejected as rejected:
            exit_rejected(file.name, rejected)
        for message in parsed.skipped:
            click.echo(f"skipped: {message}")
        for row in result.rows:
            if row.duplicate_of:
                click.echo(f"possible duplicate: {row.record.ref} ~ {row.duplicate_of}")
    if dry_run:
        click.echo(f"dry run: {file.name}: {len(parsed.records)} question(s) ({parsed.format}) would be imported")
        return
    db.session.commit()
    click.echo(f"{file.name}: {len(result.created)} question(s) imported ({parsed.format}), waiting for review")


@questions_cli.command("export")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A .xlsx (the import format), .xml (Moodle XML) or .docx (Word, for review on paper) file.")
@click.option("--keys/--no-keys", default=True, show_default=True, help="Word: with the keys, or without them.")
def export_command(output, keys):
    questions = db.session.scalars(bank.search({})).all()
    records = [bank.record_of(q) for q in questions]
    if output.suffix.lower() == ".xlsx":
        data = exporters.to_xlsx(records)
    elif output.suffix.lower() == ".xml":
        data = exporters.to_moodle_xml(records, {i.name: i.data for i in db.session.scalars(db.select(QuestionImage))})
    elif output.suffix.lower() == ".docx":
        data = word_export.to_docx(records, {i.name: i.data for i in db.session.scalars(db.select(QuestionImage))},
                                   keys=keys)
    else:
        raise click.BadParameter("use a .xlsx, .xml or .docx file name", param_hint="--output")
    output.write_bytes(data)
    audit.record("questions_exported", "question_bank", None, after={"file": output.name, "count": len(records),
                                                                     **({"keys": keys} if output.suffix.lower() == ".docx" else {})},
                 actor="cli")
    db.session.commit()
    click.echo(f"{len(records)} question(s) written to {output}")
