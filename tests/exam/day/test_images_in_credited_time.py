"""B5 + item 7: the paper's image links outlive minutes credited after the paper was sent (the page
loads its paper once): the link's own end leaves room for what a proctor may still credit, and the
deadline as it stands is checked when the image is served."""
import re
from datetime import UTC

import questionbank.images as images
from exam.day import proctoring
from exam.models import Attempt
from questionbank.models import QuestionImage, QuestionVersion
from recruitment.extensions import db
from tests.support.candidate import sitting_in
from tests.support.factories import build_day, staffed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_image_links_keep_working_in_the_credited_minutes(app, tmp_path, client, make_user, monkeypatch):
    day = build_day(tmp_path)
    db.session.add(QuestionImage(name="so-do.png", mime="image/png", data=PNG, sha256="0" * 64))
    for version in db.session.scalars(db.select(QuestionVersion)):
        version.stem_html += '<p><img src="so-do.png" alt="sơ đồ"></p>'
    db.session.commit()
    attempt = sitting_in(client, day, 1)
    paper = client.get("/exam/candidate/api/paper").get_json()  # exam.js loads its paper once
    link = re.findall(r'src="([^"]+)"', paper["questions"][0]["stem"])[0]
    old_deadline = db.session.get(Attempt, attempt.id).deadline
    proctoring.credit_minutes(db.session.get(Attempt, attempt.id), 10, "Máy treo 10 phút",
                              staffed(day, make_user("gt", "proctor")))
    db.session.commit()
    assert client.get(link).status_code == 200
    at = old_deadline.replace(tzinfo=UTC).timestamp() + 300  # 5 minutes into the 10 credited
    monkeypatch.setattr(images.time, "time", lambda: at)
    assert client.get(link).status_code == 200  # still sitting the test: the figure must show
