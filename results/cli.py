"""`flask --app wsgi results compute|publish|export|decide` (formats.md)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from recruitment.cli import find_round
from recruitment.extensions import db
from recruitment.models import Application

from . import exports, reasons, service

results_cli = AppGroup("results", help="The ranked results list.")


@results_cli.command("compute")
@click.option("--round", "round_code", required=True)
def compute_command(round_code):
    """Applies the round's rule set and prints what blocks publication."""
    computation = service.compute(find_round(round_code))
    counts: dict[str, int] = {}
    for row in computation.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no admitted application")
    if computation.blockers:
        for b in computation.blockers:
            click.echo(f"blocks publication: {b.position_code} candidate {b.candidate_number}: "
                       f"{reasons.blocker_text(b.code)}", err=True)
        sys.exit(1)
    click.echo("nothing blocks publication")


@results_cli.command("publish")
@click.option("--round", "round_code", required=True)
@click.option("--note", default="", help="Why this version is published (for example a re-marking).")
def publish_command(round_code, note):
    round_ = find_round(round_code)
    try:
        version = service.publish(round_, "cli", note)
    except service.PublicationBlocked as blocked:
        db.session.rollback()
        for b in blocked.blockers:
            click.echo(f"blocks publication: {b.position_code} candidate {b.candidate_number}: "
                       f"{reasons.blocker_text(b.code)}", err=True)
        sys.exit(1)
    except service.NothingToPublish as unchanged:  # E5: a version is published for a change
        db.session.rollback()
        click.echo(f"nothing to publish: the list is the same as version {unchanged.version}", err=True)
        for pending in unchanged.pending:
            click.echo(f"still awaited: {pending}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"published version {version.number} of {round_code} (SHA-256 {version.digest})")


@results_cli.command("export")
@click.option("--round", "round_code", required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), required=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "number", type=int, help="A published version; the latest when omitted. "
                                                     "Without any published version, the current computation.")
def export_command(round_code, fmt, output, number):
    round_ = find_round(round_code)
    version = None
    if number is not None:
        version = next((v for v in service.versions(round_) if v.number == number), None)
        if version is None:
            raise click.BadParameter(f"no published version {number}", param_hint="--version")
    else:
        version = service.latest(round_)
    rows = service.rows_of(version) if version else service.snapshot_rows(service.compute(round_).rows)
    if fmt == "csv":
        data = exports.to_csv(rows)
    elif fmt == "xlsx":
        data = exports.to_xlsx(rows)
    else:
        data = exports.to_pdf(rows, title=round_.name, version=version.number if version else 0,
                              digest=version.digest if version else "-",
                              positions={p.code: p.name for p in round_.positions})
    output.write_bytes(data)
    click.echo(f"{len(rows)} row(s) written to {output}" + (f" (version {version.number})" if version else " (not published)"))


@results_cli.command("decide")
@click.option("--round", "round_code", required=True)
@click.option("--candidate", "number", type=int, required=True, help="Candidate number.")
@click.option("--select/--reject", "selected", required=True)
@click.option("--reason", required=True)
def decide_command(round_code, number, selected, reason):
    """E3: the head of agency's decision for a candidate tied at the last place."""
    round_ = find_round(round_code)
    application = db.session.scalar(db.select(Application).filter_by(round_id=round_.id, candidate_number=number))
    if application is None:
        raise click.BadParameter(f"no candidate {number}", param_hint="--candidate")
    row = next((r for r in service.compute(round_).rows if r.candidate.application_id == application.id), None)
    if row is None or row.status != "tie_pending":
        raise click.ClickException(f"candidate {number} is not awaiting a tie decision")
    try:
        service.decide(application, "selected" if selected else "not_selected", reason, None, actor="cli")
    except service.DecisionRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"candidate {number}: {'selected' if selected else 'not selected'} ({reason})")

