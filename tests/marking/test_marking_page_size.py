"""The marking page at a realistic size: each script's marks, score row and drawn second marker were
read one by one (7 statements a script: some 14,000 and 8 to 9 s for 2,000 scripts). A page's
statements no longer grow with its scripts."""
from __future__ import annotations

from recruitment.extensions import db
from recruitment.models import Application, Round, User
from tests.support.marking import drawn, give_mark, more_apps
from tests.support.statements import statements_sent


def _statements(client, round_id: int) -> tuple[int, str]:
    db.session.expunge_all()
    with statements_sent() as sent:
        page = client.get(f"/marking/rounds/{round_id}")
    assert page.status_code == 200
    return len(sent), page.get_data(as_text=True)


def test_the_page_reads_its_scripts_in_a_fixed_number_of_statements(setup, tmp_path, login):
    round_id, chair_id = setup["round"].id, setup["chair"].id
    marker = setup["markers"][0]
    for application in setup["apps"][:2]:  # marked scripts, a drawn second marker among them
        give_mark(application, "first", "70", marker)
    give_mark(setup["apps"][0], "second", "74", drawn(setup["apps"][0]))
    db.session.commit()
    client = login(db.session.get(User, chair_id))
    few, _page = _statements(client, round_id)
    setup["round"] = db.session.get(Round, round_id)
    more_apps(setup, tmp_path, [f"Nguyễn Văn Thử {i}" for i in range(40)])
    db.session.commit()
    many, page = _statements(client, round_id)
    scripts = db.session.scalar(db.select(db.func.count()).select_from(Application).filter_by(round_id=round_id))
    assert scripts >= 43
    assert many <= few + 2, f"{few} statements for 3 scripts, {many} for {scripts}"
    assert page.count("<tr") >= 43
