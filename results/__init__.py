"""results: the rule engine's ranking, published versions, exports, public look-up, dashboard."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from recruitment import registry, signals

    from . import announce, cli, demo, importing, public, service, views

    app.register_blueprint(views.bp)
    app.register_blueprint(public.bp)
    app.cli.add_command(cli.results_cli)
    registry.add_nav(app, "results.index", _l("Results"), order=60)
    registry.add_score_importer(app, "round1", importing.import_round1)
    registry.add_demo_step(app, "results", demo.load, order=60)
    registry.add_audit_anchors(app, service.audit_anchors)
    signals.selections_cancelled.connect(announce.on_selections_cancelled, sender=app, weak=False)
    signals.scores_changed.connect(announce.on_scores_changed, sender=app, weak=False)
    registry.add_provider(app, "published_written", service.published_written)  # C7, for the marking
    registry.add_provider(app, "results_changes", service.changes_since_latest)  # E5, for the marking
