"""The public look-up names the round (A3: a candidate number is unique only within its round, and
the numbers start again at 1 in every round). It searched every round's latest version and answered
the first row with that number and birth date: a candidate of an older round who typed their own
details was shown a stranger of the newest round, their name, position, status and rank."""
from __future__ import annotations

import re
from decimal import Decimal

from recruitment.extensions import db
from recruitment.scores import round1_result, round2_score
from results import service
from tests.support.factories import make_round, round_with_applications

URL = "/public/results/lookup"


def _published(tmp_path, code: str, names: list[str]):
    """A round of TC-01 candidates (all born 01/02/1995, the builders' default) who passed round 1, with
    its results published; returns the round and its applications in candidate-number order."""
    folder = tmp_path / code
    folder.mkdir()
    round_, applications = round_with_applications(folder, code, names)
    for written, application in zip((90, 70, 60), applications, strict=False):
        r1 = round1_result(application.id)
        r1.correct, r1.total, r1.source = Decimal(40), 60, "import"
        score = round2_score(application.id)
        score.written, score.interview = Decimal(written), Decimal(80)
        score.written_source = score.interview_source = "import"
    db.session.commit()
    service.publish(round_, "chair", "v1")
    db.session.commit()
    return round_, sorted(applications, key=lambda a: a.candidate_number)


def _look_up(client, round_id, number, born="01/02/1995"):
    data = {"candidate_number": number, "date_of_birth": born}
    if round_id is not None:
        data["round_id"] = round_id
    return client.post(URL, data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"})


def test_a_look_up_finds_the_candidate_of_the_round_named_not_the_same_number_in_another(app, client, tmp_path):
    older, (mine, _other) = _published(tmp_path, "R2025", ["Nguyễn Văn An", "Lê Văn Bình"])
    newer, (stranger, _second) = _published(tmp_path, "R2026", ["Trần Thị An", "Phạm Văn Bình"])
    assert mine.candidate_number == stranger.candidate_number == 1 and mine.date_of_birth == stranger.date_of_birth
    page = _look_up(client, older.id, 1).get_data(as_text=True)
    assert mine.full_name in page and stranger.full_name not in page
    assert older.name in page
    page = _look_up(client, newer.id, 1).get_data(as_text=True)
    assert stranger.full_name in page and mine.full_name not in page


def test_the_form_offers_the_published_rounds_with_the_newest_chosen(app, client, tmp_path):
    older, _people = _published(tmp_path, "R2025", ["Nguyễn Văn An"])
    newer, _people = _published(tmp_path, "R2026", ["Trần Thị An"])
    unpublished = make_round("R2027")
    for path in ("/public/results/", URL):
        page = client.get(path).get_data(as_text=True)
        select = re.search(r'<select[^>]*name="round_id"[^>]*>(.*?)</select>', page, re.S)
        assert select, page
        offered = re.findall(r'<option([^>]*)value="(\d+)"', select.group(1))
        assert [int(value) for _attrs, value in offered] == [newer.id, older.id]  # never an unpublished round
        assert "selected" in offered[0][0] and "selected" not in offered[1][0]
        assert unpublished.name not in select.group(1)


def test_a_look_up_that_names_no_published_round_finds_nothing(app, client, tmp_path):
    _round, (someone,) = _published(tmp_path, "R2026", ["Trần Thị An"])
    unpublished = make_round("R2027")
    for round_id in (None, unpublished.id):
        page = _look_up(client, round_id, someone.candidate_number)
        assert page.status_code == 200 and someone.full_name not in page.get_data(as_text=True)
