"""The draw's pool for a position matched its code with SQL LIKE: '_' in a code (CV_01) is LIKE's
any-character, so the paper of CV_01 drew questions tagged only for CVX01, a code '%' drew every
position's questions, and SQLite's LIKE ignores case (kt01 drew KT01's). The code is matched as typed."""
from __future__ import annotations

from questionbank import api, bank
from recruitment.extensions import db
from tests.support.factories import approved_question


def test_a_position_s_pool_holds_its_own_questions_and_those_for_everyone(app, make_user):
    author, reviewer = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    approved_question(author, reviewer, stem="Chỉ cho CVX01?", section="professional", positions=["CVX01"])
    approved_question(author, reviewer, stem="Chỉ cho AB01?", section="professional", positions=["AB01"])
    mine = approved_question(author, reviewer, stem="Cho CV_01?", section="professional", positions=["CV_01"])
    everyone = approved_question(author, reviewer, stem="Cho mọi vị trí?", section="professional")
    assert sorted(p.question_id for p in api.approved_pool("professional", "CV_01")) == [mine.id, everyone.id]
    assert [p.question_id for p in api.approved_pool("professional", "%")] == [everyone.id]
    assert [p.question_id for p in api.approved_pool("professional", "ab01")] == [everyone.id]
    assert [q.id for q in db.session.scalars(bank.search({"position": "CV_01"}))] == [mine.id, everyone.id]
