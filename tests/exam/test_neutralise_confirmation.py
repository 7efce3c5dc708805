"""B7: neutralising a question re-grades every attempt that had it and is not undone: the first post
names the question, what earns its point and how many attempts change; only the confirmed one acts."""
import json

from exam import draw as drawing
from exam.models import ExamTest
from recruitment.extensions import db


def test_neutralising_a_question_asks_for_a_confirmation_first(drawn, make_user, login):
    """B7 re-grades every candidate who sat the question and cannot be taken back (no route undoes it):
    the first post must answer with the page naming that consequence, and change nothing."""
    test, attempts = drawn
    version = int(drawing.unpack(attempts[0].form.version_ids, attempts[0].form.option_perms)[0][0])
    client = login(make_user("chutich", "council_chair"))
    first = client.post(f"/exam/tests/{test.id}/neutralise/{version}", data={"reason": "Đáp án sai trong đề"})
    db.session.expire_all()
    neutralised = json.loads(db.session.get(ExamTest, test.id).neutralised or "{}")
    assert neutralised == {}, f"neutralised on the first post, no confirmation page ({first.status_code})"
    assert 'id="confirmation"' in first.get_data(as_text=True)




def test_the_confirmed_post_neutralises(drawn, make_user, login):
    test, attempts = drawn
    version = int(drawing.unpack(attempts[0].form.version_ids, attempts[0].form.option_perms)[0][0])
    client = login(make_user("chutich", "council_chair"))
    path = f"/exam/tests/{test.id}/neutralise/{version}"
    first = client.post(path, data={"reason": "Đáp án sai trong đề", "options": ["1", "2"]})
    page = first.get_data(as_text=True)
    assert "B, C" in page and "Đáp án sai trong đề" in page
    from tests.support.client import confirmation_fields

    client.post(path, data=confirmation_fields(page))
    db.session.expire_all()
    assert json.loads(db.session.get(ExamTest, test.id).neutralised) == {str(version): [1, 2]}
