"""A round with twelve admitted candidates and a small approved bank, shared by the exam tests."""
from __future__ import annotations

import pytest

from tests.support.factories import round_with_bank


@pytest.fixture
def exam_round(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    return round_with_bank(tmp_path, author.id, reviewer.id)
