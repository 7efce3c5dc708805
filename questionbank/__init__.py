"""questionbank: questions tagged by section, position, topic and difficulty, their versions,
review (G2), imports and exports, and the coverage matrix (G1)."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from recruitment import registry

    from . import cli, demo, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.questions_cli)
    registry.add_nav(app, "questionbank.index", _l("Question bank"), order=20)
    registry.add_nav(app, "questionbank.coverage_matrix", _l("Question coverage"), order=21)
    registry.add_demo_step(app, "question bank", demo.load, order=20)
