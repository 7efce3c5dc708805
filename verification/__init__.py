"""verification: dossier outcomes of the selected candidates (F1-F4), cancellations and flags."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli

    app.cli.add_command(cli.verification_cli)
