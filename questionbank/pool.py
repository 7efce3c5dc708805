"""What the exam reads from the bank (questionbank/api.py delegates here)."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, or_, select, update

from recruitment import audit
from recruitment.extensions import db

from .api import PoolQuestion, QuestionContent
from .models import Question, QuestionVersion


def serves(position_code: str):
    """The questions tagged for this position or for every position. The code is matched as typed: its
    '_' and '%' are not LIKE's wildcards (CV_01 is not CVX01)."""
    return or_(Question.positions == "", Question.positions.contains(f";{position_code};", autoescape=True))


def approved_pool(section: str, position_code: str | None = None, common: bool = False) -> list[PoolQuestion]:
    query = (select(Question.id, Question.topic, Question.difficulty, QuestionVersion.type, Question.p_value,
                    QuestionVersion.id, QuestionVersion.options_json, QuestionVersion.keep_order, QuestionVersion.points,
                    Question.positions)
             .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
             .where(Question.status == "approved", Question.section == section))
    if position_code:
        query = query.where(serves(position_code))
    elif common:  # one paper for every position: a question tagged for some would reach the others' candidates
        query = query.where(Question.positions == "")
    tag = f";{position_code};"
    pool = []
    for qid, topic, difficulty, kind, p_value, vid, options_json, keep_order, points, positions in db.session.execute(query):
        if position_code and positions and tag not in positions:  # SQLite's LIKE ignores case: kt01 is not KT01
            continue
        n_options = 0 if kind == "fill" else len(json.loads(options_json))
        pool.append(PoolQuestion(version_id=vid, question_id=qid, topic=topic, difficulty=difficulty, type=kind,
                                 n_options=n_options, keep_order=keep_order or kind == "truefalse",
                                 points=float(points), p_value=float(p_value) if p_value is not None else None))
    return pool


def contents(version_ids: list[int]) -> dict[int, QuestionContent]:
    kept = _kept()
    found = {vid: content for vid in version_ids if (content := kept.get(vid)) is not None}
    missing = [vid for vid in version_ids if vid not in found]
    for chunk in range(0, len(missing), 900):
        rows = db.session.execute(_contents_of(), {"ids": missing[chunk:chunk + 900]})
        for vid, kind, stem, options, answer_json, sensitive, points, used in rows:
            answer = json.loads(answer_json)
            found[vid] = QuestionContent(
                version_id=vid, type=kind, stem_html=stem, options_html=tuple(json.loads(options)),
                key=tuple(answer) if kind != "fill" else (), accepted=tuple(answer) if kind == "fill" else (),
                diacritics_sensitive=sensitive, points=float(points))
            if used and vid not in db.session.info.get(MARKED_USED, ()):
                kept[vid] = found[vid]
    return found


# Every paper and every hand-in's grading reads the contents of the same few hundred versions, and a
# version an exam used never changes (QuestionVersion; bank.edit makes a new one, and edits in place
# only while the version is unused, in the same statement): those are kept in the app server's
# memory, as read. A version not yet used may still be edited in place, so it is read each time, and
# so is one this session marked used itself (a draw that reads or grades before its commit, which
# may yet roll back). After a restore of the database, restart the app servers (docs/operations.md).
KEPT_VERSIONS = 20_000  # some tens of megabytes per worker at most; then the memory starts again
MARKED_USED = "questionbank.marked_used"  # in the session's info: the versions it marked used


def _kept() -> dict[int, QuestionContent]:
    kept = current_app.extensions.setdefault("questionbank.used_contents", {})
    if len(kept) > KEPT_VERSIONS:  # a new memory, not this one cleared under another thread's reads
        kept = current_app.extensions["questionbank.used_contents"] = {}
    return kept


@cache
def _contents_of():
    """Built once (see recruitment/models.py user_with_roles). Everything from the version, whatever
    becomes of its question."""
    return (select(QuestionVersion.id, QuestionVersion.type, QuestionVersion.stem_html, QuestionVersion.options_json,
                   QuestionVersion.answer_json, QuestionVersion.diacritics_sensitive, QuestionVersion.points,
                   QuestionVersion.used)
            .where(QuestionVersion.id.in_(bindparam("ids", expanding=True))))


def mark_versions_used(version_ids: list[int]) -> None:
    db.session.info.setdefault(MARKED_USED, set()).update(version_ids)
    for chunk in range(0, len(version_ids), 900):
        db.session.execute(update(QuestionVersion).where(QuestionVersion.id.in_(version_ids[chunk:chunk + 900]))
                           .values(used=True))


def record_item_statistics(stats) -> None:
    by_version = {s.version_id: s for s in stats}
    rows = db.session.execute(select(QuestionVersion.id, QuestionVersion.question_id)
                              .where(QuestionVersion.id.in_(list(by_version)))).all()
    for version_id, question_id in rows:
        s = by_version[version_id]
        question = db.session.get(Question, question_id)
        before = {"p_value": question.p_value, "discrimination": question.discrimination, "flag": question.stat_flag}
        question.p_value = Decimal(str(round(s.p_value, 4))) if s.p_value is not None else None
        question.discrimination = Decimal(str(round(s.discrimination, 4))) if s.discrimination is not None else None
        question.stat_flag = s.flag
        audit.record("item_statistics", "question", question.id, before=before,
                     after={"p_value": question.p_value, "discrimination": question.discrimination, "flag": s.flag})
