"""The blueprint page as a reader sees it. Defects found in review: difficulty levels were shown as
the file's codes (1, 2, 3) in the cell selector and the G1 shortfall, not as words; and once every
question of a cell was retired after the draw, the fairness report's target read "nan"."""
import json
import re

from sqlalchemy import update

from exam import blueprints, form_draws
from questionbank.models import Question
from recruitment.extensions import db
from tests.support.factories import TOPICS, small_test


def test_the_blueprint_page_names_difficulties_in_words(exam_round, make_user, login):
    test = small_test(exam_round)
    test.cells = json.dumps([{"topic": TOPICS[0], "difficulty": 1, "count": 5, "points": 1}])  # short: 9 of 15
    db.session.commit()
    page = login(make_user("soan3", "question_setter")).get(f"/exam/tests/{test.id}").get_data(as_text=True)
    assert not re.search(r'<option value="\d"[^>]*>\d</option>', page)
    assert f"{TOPICS[0]} / 1:" not in page


def test_the_fairness_report_names_a_target_after_a_cell_is_retired(exam_round, make_user, login):
    test = small_test(exam_round)
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    db.session.execute(update(Question).where(Question.topic == TOPICS[0], Question.difficulty == 1)
                       .values(status="retired"))
    db.session.commit()
    page = login(make_user("chutich", "council_chair")).get(f"/exam/tests/{test.id}")
    assert page.status_code == 200
    assert "nan" not in page.get_data(as_text=True).split('id="fairness"')[1].lower()
