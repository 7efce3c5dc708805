"""Exam day: sittings, rooms and seats, the candidate's exam with autosave, the proctor console."""
from functools import partial

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_out


def init_app(app: Flask) -> None:
    from recruitment import registry

    from . import admission, autosave_lane, board_views, candidate, console, demo

    app.register_blueprint(candidate.bp)
    autosave_lane.init_app(app)  # the autosave's commonest answer, before Flask's machinery
    # A candidate whose session ended (handed in, or a new browser) logs in again with the access code.
    app.login_manager.blueprint_login_views[candidate.bp.name] = "exam_candidate.login"
    app.register_blueprint(console.bp)
    app.register_blueprint(board_views.bp)
    registry.add_nav(app, "exam_day.index", _l("Exam sittings"), order=35)
    registry.add_demo_step(app, "exam day", demo.load, order=35)
    user_logged_out.connect(candidate.on_logged_out, app)
    app.extensions["questionbank.session_is_live"] = candidate.session_is_live
    registry.add_csrf_answer(app, candidate.bp.name, partial(admission.refused_for_its_token, candidate.API_PREFIX))
