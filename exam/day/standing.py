"""What a graded attempt counts for after B6, in one shape for every place a person reads it: the
candidate's screen at hand-in, the score slip, the room's result list and the proctor console. The
count comes from the rule set's own B6 rule, the one the ranking uses, so that no page can show a
different number from the published results."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _

from recruitment.i18n import format_number
from recruitment.labels import label
from recruitment.rulesets import RuleSet

from .. import draw
from ..models import Attempt, absent


@dataclass(frozen=True)
class Standing:
    correct: Decimal | None  # correct answers as graded, before any sanction
    counted: Decimal | None  # after the sanction (B6); None when not graded or voided by a suspension
    total: int
    sanction: str | None
    sanction_reason: str | None
    suspended: bool
    passed: bool | None
    score: Decimal | None
    absent: bool = False  # never started a sitting that is over

    @property
    def sanction_label(self) -> str:
        return label(self.sanction, "sanction")

    @property
    def counted_text(self) -> str:
        """3,5 or 7 (a whole count without decimals), in the reader's language."""
        return count_text(self.counted)

    @property
    def outcome(self) -> str:
        """The result column's words: a suspension is named, not shown as a mere fail."""
        if self.suspended:
            return _("voided: suspended (B6)")
        if self.absent:
            return _("absent")
        return {True: _("passed"), False: _("not passed"), None: ""}[self.passed]

    @property
    def result_code(self) -> str:
        """The same result as a code, for the machine-read CSV."""
        if self.suspended or self.absent:
            return "voided" if self.suspended else "absent"
        return {True: "pass", False: "fail", None: ""}[self.passed]

    @property
    def sanction_note(self) -> str:
        """The sanction and its reason in a sentence, or nothing."""
        if not self.sanction:
            return ""
        if self.suspended:
            return _("You were suspended from the test (B6): %(reason)s. Your test is void and is not graded.",
                     reason=self.sanction_reason or "")
        return _("Sanction: %(sanction)s (B6), for: %(reason)s. Correct answers: %(correct)s before the sanction, "
                 "%(counted)s after it.", sanction=self.sanction_label, reason=self.sanction_reason or "",
                 correct=count_text(self.correct), counted=self.counted_text)


def count_text(value: Decimal | None) -> str:
    """A count in the reader's language: 7, 3,5, 5,25 (B6 leaves quarters, never rounded)."""
    if value is None:
        return ""
    whole = value == value.to_integral_value()
    text = format_number(value, 0 if whole else 2)
    return text if whole else text.rstrip("0")


def standing(attempt: Attempt) -> Standing:
    return standing_of(attempt.form.test.round.rules, total=draw.slot_count(attempt.form.version_ids),
                       correct=attempt.correct, sanction=attempt.sanction, sanction_reason=attempt.sanction_reason,
                       passed=attempt.passed, score=attempt.score, status=attempt.status, started_at=attempt.started_at)


def standing_of(rules: RuleSet, *, total: int, correct: Decimal | None, sanction: str | None,
                sanction_reason: str | None, passed: bool | None, score: Decimal | None, status: str,
                started_at: datetime | None) -> Standing:
    """The same from an attempt's columns, for a list read in one query (the results board)."""
    suspended = sanction == rules.voiding_sanction
    counted = None if correct is None else rules.count_after_sanction(correct, sanction)
    return Standing(correct=correct, counted=counted, total=total, sanction=sanction, sanction_reason=sanction_reason,
                    suspended=suspended, passed=False if suspended else passed, score=None if suspended else score,
                    absent=absent(status, started_at) and not suspended)
