"""G1: a cell needs 3 times its draw. The coverage page read its multiple from the address without
validating the form: ?multiple=-3 marked no cell short and the page said so. A value outside the
field's range is ignored with a note, and 3 is used."""
from __future__ import annotations

import pytest

from tests.support.factories import approved_question


@pytest.mark.parametrize("multiple", ["-3", "1000", "abc"])
def test_a_multiple_out_of_range_is_ignored_and_the_short_cell_shown(app, client, make_user, login, multiple):
    approved_question(make_user("qs1", "question_setter"), make_user("qs2", "question_setter"))
    app.extensions.setdefault("questionbank.demand", []).append(lambda section, position: {("Hiến pháp", 2): 1})
    login(make_user("chair", "council_chair"))
    page = client.get(f"/questions/coverage?multiple={multiple}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="num short"' in text  # 1 approved < 3 x 1 drawn
    assert 'class="flash warning"' in text  # the value was ignored, and the page says so


def test_a_multiple_in_range_is_used(app, client, make_user, login):
    approved_question(make_user("qs1", "question_setter"), make_user("qs2", "question_setter"))
    app.extensions.setdefault("questionbank.demand", []).append(lambda section, position: {("Hiến pháp", 2): 1})
    login(make_user("chair", "council_chair"))
    assert 'class="num short"' not in client.get("/questions/coverage?multiple=1").get_data(as_text=True)
