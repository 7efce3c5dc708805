"""B8: the optional foreign-language test has its own pass mark. Before, its blueprint took round 1's
(B2, 50%) and nothing could change it; and a language test could be made in a round that has neither
the language part of L1 nor the optional test of B8, for candidates nobody had asked to sit it."""
import json
from decimal import Decimal

import pytest

from exam import blueprints
from exam.models import ExamTest
from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import make_round


def _blueprint_form(test: ExamTest, **fields) -> dict:
    cells = json.loads(test.cells)
    form = {"rows": str(len(cells)), "minutes": str(test.minutes), **fields}
    for i, c in enumerate(cells):
        form |= {f"topic-{i}": c["topic"], f"difficulty-{i}": str(c["difficulty"]), f"count-{i}": str(c["count"]),
                 f"points-{i}": str(c["points"])}
    return form


def test_the_optional_language_test_takes_its_own_pass_mark_audited(exam_round, client, login, make_user):
    exam_round.language_test = True
    test = blueprints.create(exam_round, "round1_language", None)
    db.session.commit()
    assert test.pass_fraction == exam_round.rules.round1_pass_fraction  # the preset, until the board sets it
    page = login(make_user("hoidong", "question_setter")).get(f"/exam/tests/{test.id}")
    assert 'name="pass_percent"' in page.get_data(as_text=True)
    client.post(f"/exam/tests/{test.id}/blueprint", data=_blueprint_form(test, pass_percent="60"))
    db.session.expire_all()
    assert db.session.get(ExamTest, test.id).pass_fraction == Decimal("0.6")
    (entry,) = db.session.scalars(db.select(AuditEntry).filter_by(action="blueprint_edited"))
    assert json.loads(entry.before)["pass_fraction"] == 0.5 and json.loads(entry.after)["pass_fraction"] == 0.6


@pytest.mark.parametrize("typed", ["0", "101", "abc", "-5", "NaN"])
def test_a_pass_mark_that_is_no_share_of_the_questions_is_refused(exam_round, client, login, make_user, typed):
    exam_round.language_test = True
    test = blueprints.create(exam_round, "round1_language", None)
    db.session.commit()
    login(make_user("hoidong", "question_setter"))
    answer = client.post(f"/exam/tests/{test.id}/blueprint", data=_blueprint_form(test, pass_percent=typed),
                         follow_redirects=True)
    assert answer.status_code == 200
    db.session.expire_all()
    assert db.session.get(ExamTest, test.id).pass_fraction == Decimal("0.5")


def test_round_one_keeps_the_rule_sets_pass_mark(exam_round, client, login, make_user):
    """B2 is the rule set's: neither the general test nor a language part of L1 takes another."""
    general = blueprints.create(exam_round, "round1_general", None)
    db.session.commit()
    with pytest.raises(errors.Refused):
        blueprints.edit(general, json.loads(general.cells), None, None, pass_fraction=Decimal("0.6"))
    l1 = make_round("L1", rules="vn-2020")
    part = blueprints.create(l1, "round1_language", None)
    with pytest.raises(errors.Refused):
        blueprints.edit(part, json.loads(part.cells), None, None, pass_fraction=Decimal("0.6"))
    page = login(make_user("hoidong", "question_setter")).get(f"/exam/tests/{general.id}")
    assert 'name="pass_percent"' not in page.get_data(as_text=True)


def test_no_language_test_in_a_round_that_asks_for_none(exam_round):
    with pytest.raises(errors.Refused):
        blueprints.create(exam_round, "round1_language", None)
    assert not db.session.scalars(db.select(ExamTest).filter_by(kind="round1_language")).all()
