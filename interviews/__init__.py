"""interviews: round-2 scoring: boards, the schedule (C4, G5), leaders' independent scores,
the head's reconciliation (C4), written marks (C3, C7) and the score files HR imports (formats.md)."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from recruitment import registry

    from . import demo, downloads, importing, marking_demo, marking_import, marking_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(marking_views.bp)
    registry.add_nav(app, "interviews.index", _l("Interviews"), order=40)
    registry.add_nav(app, "marking.index", _l("Written marks"), order=41)
    registry.add_score_importer(app, "written", marking_import.import_written)
    registry.add_score_importer(app, "interview", importing.import_interview)
    registry.add_demo_step(app, "interviews", demo.load, order=40)
    registry.add_demo_step(app, "written marks", marking_demo.load_marks, order=45)
    registry.add_demo_step(app, "re-marking", marking_demo.load_remark, order=65)
