"""A small round with an approved bank, an active 8-question test drawn for its candidates, and a
sitting that started a minute ago (tests/support/factories.py `build_day`)."""
from __future__ import annotations

import pytest

from tests.support.factories import Day, build_day


@pytest.fixture
def day(app, tmp_path) -> Day:
    return build_day(tmp_path)


@pytest.fixture
def board_found_afresh(monkeypatch):
    """Each poll of a results board asks the version again: these tests change the board and poll at
    once, where a worker takes the version it found for up to a second (exam/day/board.py)."""
    from exam.day import board

    monkeypatch.setattr(board, "VERSION_FRESH_SECONDS", 0)
