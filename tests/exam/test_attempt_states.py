"""Issue 15: the stored status "collected" means two things; code names which (exam/models.py)."""
from datetime import datetime

from exam.models import HANDED_IN, absent, collected_at_deadline


def test_collected_is_absent_only_when_never_started():
    started = datetime(2026, 5, 10, 8, 0)
    assert absent("collected", None) and not collected_at_deadline("collected", None)
    assert collected_at_deadline("collected", started) and not absent("collected", started)
    assert not absent("submitted", None) and not collected_at_deadline("submitted", started)
    assert not absent("not_started", None)
    assert set(HANDED_IN) == {"submitted", "collected"}
