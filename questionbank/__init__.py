"""questionbank: questions tagged by section, position, topic and difficulty, their versions,
review (G2), imports and exports, and the coverage matrix (G1)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from recruitment import registry

    from . import cli, demo, import_job_views, views  # noqa: F401 - import_job_views adds its pages to views.bp

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.questions_cli)
    registry.add_nav(app, "questionbank.index", _l("Question bank"), order=20)
    registry.add_nav(app, "questionbank.coverage_matrix", _l("Question coverage"), order=21)
    registry.add_demo_step(app, "question bank", demo.load, order=20)
