"""exam: blueprints of tests, the draw, grading and item analysis (exam/*.py), and exam day:
sittings, the candidate's client, autosave, the proctor console (exam/day/)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports no Flask until the app factory calls init_app
    from flask import Flask


def init_app(app: Flask) -> None:
    from . import day, providers, views

    views.init_app(app)
    day.init_app(app)
    providers.init_app(app)
