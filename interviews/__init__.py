"""interviews: round-2 scoring: boards, the schedule (C4, G5), leaders' independent scores,
the head's reconciliation (C4) and the interview score files HR imports (formats.md)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from recruitment import registry

    from . import demo, downloads, importing, views

    app.register_blueprint(views.bp)
    app.register_blueprint(downloads.bp)
    registry.add_nav(app, "interviews.index", _l("Interviews"), order=40)
    registry.add_score_importer(app, "interview", importing.import_interview)
    registry.add_demo_step(app, "interviews", demo.load, order=40)
