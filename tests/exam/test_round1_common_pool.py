"""Round 1 is one paper for every position (B1): its pool is the general questions set for every
position. Before, it drew from every approved general question, so one the board had tagged for a
single position (a question on that agency's own work) reached the candidates of all the others."""
from exam import blueprints, form_draws
from exam import draw as drawing
from exam.models import Form
from recruitment.extensions import db
from tests.support.factories import TOPICS, approved_question, small_test


def test_a_general_question_tagged_for_one_position_never_reaches_round_one(exam_round, make_user):
    author, reviewer = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    tagged = [approved_question(author, reviewer, stem=f"Chỉ cho TC-02: câu {i}?", section="general", topic=TOPICS[0],
                                difficulty=1, positions=["TC-02"]) for i in range(30)]
    db.session.commit()
    test = small_test(exam_round)
    items, _pool = blueprints.pool_of(test)
    versions = {q.current_version_id for q in tagged}
    assert not versions & {i.version_id for i in items}
    assert blueprints.activate(test) == []
    db.session.commit()
    form_draws.draw_test(test.id)
    drawn = {v for f in db.session.scalars(db.select(Form.version_ids).filter_by(test_id=test.id))
             for v in drawing.unpack_versions(f)}
    assert drawn and not drawn & versions
