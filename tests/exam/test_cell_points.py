"""C2: every candidate's form has the same points per question in a group. The draw filed a question
under its cell by topic and difficulty alone and grading weighs each question by its bank points, so
a cell holding questions of 1 and 2 points gave neighbours papers of different weight, and the
blueprint's "points each" was ignored. On a test scored on points, a cell now draws only questions
worth its points, and G1 counts only those."""
import json

from sqlalchemy import select

from exam import blueprints, form_draws
from exam import draw as drawing
from exam.models import Form
from questionbank import api as bank
from recruitment.extensions import db
from tests.support.factories import TOPICS, round_with_bank, small_test


def test_every_form_carries_the_cells_points_per_question(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    round_ = round_with_bank(tmp_path, author.id, reviewer.id)
    bank.create_approved_questions([{"topic": TOPICS[0], "difficulty": 1, "stem": f"Câu nặng {i}?", "points": 2,
                                     "options": ["Một", "Hai", "Ba", "Bốn"], "answer": [0]} for i in range(9)],
                                   author.id, reviewer.id)
    db.session.commit()
    test = small_test(round_, scale_to_100=True)  # scored on points (C2)
    assert blueprints.activate(test) == []
    form_draws.draw_test(test.id)
    db.session.commit()
    for form in db.session.scalars(select(Form).filter_by(test_id=test.id)):
        contents = bank.contents([int(v) for v in drawing.unpack_versions(form.version_ids)])
        assert {c.points for c in contents.values()} == {1.0}


def test_a_cell_worth_more_than_its_questions_is_short(app, make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    round_ = round_with_bank(tmp_path, author.id, reviewer.id)
    test = small_test(round_, scale_to_100=True)
    cells = json.loads(test.cells)
    cells[0]["points"] = 2  # the bank holds only questions of 1 point
    test.cells = json.dumps(cells)
    short = blueprints.check_blueprint(test)
    assert [(c.topic, c.difficulty, have) for c, have in short] == [(cells[0]["topic"], cells[0]["difficulty"], 0)]
