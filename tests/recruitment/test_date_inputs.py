"""A form's day goes into the page's date input as HTML reads one (yyyy-mm-dd). The forms wrote it as
dd/mm/yyyy, which a browser's date input cannot hold: the round's page showed an empty deadline, and
saving the page unchanged sent none ("the deadline is fixed once applications are admitted")."""
from __future__ import annotations

import re

from recruitment.extensions import db
from recruitment.models import Application


def _day(page: str, field: str) -> str:
    return re.search(rf'<input id="{field}"[^>]* value="([^"]*)"', page).group(1)


def test_the_round_page_holds_its_deadline_and_saves_unchanged(demo_round, client, make_user, login):
    login(make_user("hr1", "hr"))
    page = client.get(f"/hr/rounds/{demo_round.id}/edit").get_data(as_text=True)
    assert _day(page, "application_deadline") == demo_round.application_deadline.isoformat()
    saved = client.post(f"/hr/rounds/{demo_round.id}/edit", data={
        "code": demo_round.code, "name": "Tên mới", "application_deadline": _day(page, "application_deadline")})
    assert saved.status_code == 302
    db.session.refresh(demo_round)
    assert demo_round.name == "Tên mới"


def test_an_applications_page_holds_the_date_of_birth(demo_round, client, make_user, login):
    login(make_user("hr1", "hr"))
    application = db.session.scalars(db.select(Application).filter_by(round_id=demo_round.id)).first()
    page = client.get(f"/hr/applications/{application.id}/edit").get_data(as_text=True)
    assert _day(page, "date_of_birth") == application.date_of_birth.isoformat()
