"""A question's review step answered with a redirect to whatever `next` the form carried, another site
included (and before its CSRF check): no page sends one, so the step goes back to the question."""
from __future__ import annotations

from recruitment.extensions import db
from tests.support.factories import approved_question


def test_a_review_step_never_redirects_off_the_site(app, make_user, login):
    author, reviewer = make_user("au", "question_setter"), make_user("rv", "question_setter")
    question = approved_question(author, reviewer)
    db.session.commit()
    answer = login(reviewer).post(f"/questions/{question.id}/retire",
                                  data={"comment": "cũ", "next": "https://evil.example/phish"})
    assert answer.status_code == 302
    assert "evil.example" not in answer.headers["Location"]
    assert answer.headers["Location"].endswith(f"/questions/{question.id}")
