"""verification: dossiers of the selected candidates (F1), documents checked against issuing records
and the position's requirements (F2), decisions with a second verifier for a cancellation, deadlines,
cancellations and flags (F3), promotion through the results (F4)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from recruitment import registry

    from . import cli, demo, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.verification_cli)
    registry.add_nav(app, "verification.index", _l("Dossiers"), order=70)
    registry.add_demo_step(app, "verification", demo.load, order=70)
