"""Issue "Exam day you can trust", item 7: a question image's link on the paper works only in the
candidate's own live session, and only until the end of their sitting."""
from __future__ import annotations

import re

from exam.models import Attempt
from questionbank.models import QuestionImage, QuestionVersion
from recruitment.extensions import db
from tests.support.candidate import sitting_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _image_link(client) -> str:
    paper = client.get("/exam/candidate/api/paper").get_json()
    links = re.findall(r'src="([^"]+)"', paper["questions"][0]["stem"])
    assert links, paper["questions"][0]["stem"]
    return links[0]


def _with_images():
    db.session.add(QuestionImage(name="so-do.png", mime="image/png", data=PNG, sha256="0" * 64))
    for version in db.session.scalars(db.select(QuestionVersion)):
        version.stem_html += '<p><img src="so-do.png" alt="sơ đồ"></p>'
    db.session.commit()


def test_an_image_link_works_only_in_the_candidates_session_and_until_the_sitting_ends(day, app, client):
    _with_images()
    attempt = sitting_in(client, day, 1)
    link = _image_link(client)
    assert client.get(link).status_code == 200 and client.get(link).data == PNG
    assert app.test_client().get(link).status_code == 404  # no session
    other = app.test_client()
    sitting_in(other, day, 2)
    assert other.get(link).status_code == 404  # another candidate
    attempt = db.session.get(Attempt, attempt.id)
    attempt.deadline = attempt.deadline.replace(year=2000)
    db.session.commit()
    assert client.get(link).status_code == 404  # after the sitting


def test_an_image_link_dies_with_the_session_it_was_issued_to(day, app, client):
    _with_images()
    sitting_in(client, day, 1)
    link = _image_link(client)
    second = app.test_client()
    sitting_in(second, day, 1)  # the candidate logs in again elsewhere
    assert client.get(link).status_code == 404
