"""Fixtures for the files that leave the system: the demo round (hostile text to put in it is in
tests/support/hostile.py)."""
from __future__ import annotations

import pytest

from recruitment.demo import run as load_demo
from recruitment.extensions import db
from recruitment.models import Round


@pytest.fixture
def demo_round(app):
    load_demo(app, echo=lambda *_: None)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
