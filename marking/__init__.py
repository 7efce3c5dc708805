"""marking: the paper written test, double marking on anonymised scripts (C3), re-marking (C7), and
`scores import --kind written`. It reads the hub's score tables and asks the exam and the results
through providers of recruitment.registry: it imports neither (docs/marking.md)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from recruitment import registry

    from . import demo, importing, views

    app.register_blueprint(views.bp)
    registry.add_nav(app, "marking.index", _l("Written marks"), order=41)
    registry.add_score_importer(app, "written", importing.import_written)
    registry.add_demo_step(app, "written marks", demo.load_marks, order=45)
    registry.add_demo_step(app, "re-marking", demo.load_remark, order=65)
