"""interviews: round-2 scoring: interview reconciliation (C4), written marks (C3, C7) and the
score files HR imports (formats.md)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from recruitment import registry

    from . import importing

    registry.add_score_importer(app, "written", importing.import_written)
    registry.add_score_importer(app, "interview", importing.import_interview)
