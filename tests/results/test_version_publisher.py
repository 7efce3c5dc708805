"""A published version's page says who published it. A version published from the council's page
names the chair's user name; the others carry the code of what published them ("system" when the
cancellations announced publish the next version, "cli" from the command line, "demo" for the demo's
first version), and those codes reached the reader as they are: "Công bố ... bởi system". They are
put into words by the label catalogue (recruitment/labels.py, kind "publisher")."""
from __future__ import annotations

import re

from recruitment.extensions import db
from recruitment.labels import label
from recruitment.models import Application
from results import service
from verification import outcomes


def _published_line(client, round_, number: int) -> str:
    page = client.get(f"/results/{round_.id}/versions/{number}").get_data(as_text=True)
    return re.search(r'<p class="muted">(.*?)<br>', page, re.S).group(1)


def _cancel_one_selected(round_) -> Application:
    selected = next(r for r in service.rows_of(service.latest(round_)) if r["status"] == "selected"
                    and not db.session.get(Application, r["application_id"]).cancelled)
    application = db.session.get(Application, selected["application_id"])
    outcomes.cancel(application, "no_show", "Không đến nhận việc")
    db.session.commit()
    return application


def test_a_version_names_its_publisher_in_words_never_by_its_code(demo_round, app, make_user, login):
    application = _cancel_one_selected(demo_round)
    replies = outcomes.announce_cancellations([application.id])  # publishes version 2, by "system"
    assert replies and replies[0].ok, replies
    _cancel_one_selected(demo_round)
    service.publish(demo_round, "cli", "Từ dòng lệnh")
    db.session.commit()
    client = login(make_user("hr1", "hr"))
    for number, code in ((1, "demo"), (2, "system"), (3, "cli")):
        assert service.versions(demo_round)[number - 1].published_by == code
        line = _published_line(client, demo_round, number)
        assert not re.search(rf"\b{code}\b", line), line
        with app.test_request_context():
            words = label(code, "publisher")
        assert words != code and words in line, line


def test_a_version_published_from_the_page_names_the_chairs_user_name(demo_round, make_user, login):
    _cancel_one_selected(demo_round)
    service.publish(demo_round, "chutich", "Hủy một kết quả")
    db.session.commit()
    line = _published_line(login(make_user("hr1", "hr")), demo_round, 2)
    assert re.search(r"\bchutich\b", line), line
