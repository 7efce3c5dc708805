"""B7: a question found wrong after the test is neutralised: every candidate who sat it gets its point
(or each bank option the council names also earns it), every affected attempt is graded again, and
the results hear of it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from questionbank import api as bank
from recruitment import audit, reasons, signals
from recruitment.database import expire_loaded
from recruitment.errors import Refused
from recruitment.extensions import db
from recruitment.scores import Round1Result, Round2Score

from . import draw as drawing
from .models import Attempt, ExamTest, Form
from .scoring import attempt_rows, grade_rows


@dataclass
class Neutralised:
    changed: int  # attempts whose result changed
    replies: list[signals.Reply] = field(default_factory=list)  # the results' answers to scores_changed


def consequence(test_id: int, version_id: int, stem: str, reason: str, correct_options: list[int]) -> str:
    """What the confirmation names before B7 is applied: the question, what earns its point, how many
    attempts are graded again, and that it stands. Refused (in words) when it could not be applied, so
    that no confirmation is asked for what the confirmed post would refuse."""
    refusal(db.session.get(ExamTest, test_id), version_id, correct_options)
    affected = sum(1 for r in attempt_rows(test_id) if version_id in drawing.unpack_versions(r.version_ids))
    earns = (_("options %(letters)s also earn the point", letters=", ".join("ABCDEF"[o] for o in sorted(set(correct_options))))
             if correct_options else _("every candidate who had it gets its point"))
    return _("Question \u201c%(q)s\u201d: %(earns)s; %(n)d attempts are graded again and the change is logged. A "
             "neutralisation is not undone. Reason: %(reason)s", q=stem, earns=earns, n=affected, reason=reason)


def neutralise(test_id: int, version_id: int, reason: str, correct_options: list[int] | None = None) -> Neutralised:
    """B7: every candidate who sat the question gets its point (or, with correct_options, each listed
    bank option also earns it); every affected attempt is re-graded, each change is logged, the
    whole is committed and results are told (scores_changed), whose replies come back."""
    if not (reason or "").strip():
        raise ValueError("neutralising a question needs its reason (B7)")
    reasons.check(reason.strip())  # a Refused (a ValueError too), in words, before anything changes
    # Read again and locked: the page loaded the test before the chair confirmed, and another chair's
    # neutralisation committed since would otherwise be written over with the stale list (lost update).
    test = db.session.scalar(select(ExamTest).where(ExamTest.id == test_id).with_for_update()
                             .execution_options(populate_existing=True))
    refusal(test, version_id, correct_options or [])
    neutral = json.loads(test.neutralised or "{}")
    before = dict(neutral)
    neutral[str(version_id)] = sorted({int(o) for o in correct_options or []})
    test.neutralised = json.dumps(neutral)
    audit.record("question_neutralised", "exam_test", test.id, before=before, after=neutral, reason=reason.strip())
    affected = [r for r in attempt_rows(test_id)
                if version_id in drawing.unpack_versions(r.version_ids)]
    changed = grade_rows(test, affected, reason=reason.strip()) if affected else 0
    expire_loaded(Attempt, Round1Result, Round2Score)
    db.session.commit()
    answers = signals.scores_changed.send(current_app._get_current_object(), round_id=test.round_id,
                                          what=f"B7: question version {version_id} neutralised in {test.title}: "
                                               f"{reason.strip()}")
    return Neutralised(changed, [reply for _receiver, reply in answers if isinstance(reply, signals.Reply)])


def refusal(test: ExamTest, version_id: int, correct_options: list[int]) -> None:
    """Refused unless B7 may be applied as asked: a question the test asked, not neutralised yet (a second
    neutralisation would rewrite the first, which is not undone: the points it gave could be taken back),
    and options the question has (an option it lacks, or any option of a fill-in question, would earn
    nobody the point while the log says the question was neutralised)."""
    if not _on_a_form(test.id, version_id):
        raise Refused(_("this question is on none of the test's forms: only a question the test asked is "
                        "neutralised (B7)"))
    if str(version_id) in json.loads(test.neutralised or "{}"):
        raise Refused(_("this question is already neutralised: a neutralisation is not undone or rewritten (B7)"))
    content = bank.contents([version_id]).get(version_id)
    n_options = len(content.options_html) if content is not None and content.type != "fill" else 0
    beyond = sorted({int(o) for o in correct_options if not 0 <= int(o) < n_options})
    if beyond:
        raise Refused(_("the question has no option %(letters)s: only its own options may also earn the point (B7)",
                        letters=", ".join("ABCDEF"[o] if 0 <= o < 6 else str(o) for o in beyond)))


def _on_a_form(test_id: int, version_id: int) -> bool:
    return any(version_id in drawing.unpack_versions(versions)
               for versions in db.session.scalars(select(Form.version_ids).where(Form.test_id == test_id)))
