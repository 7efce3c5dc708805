"""The interview's reconciliation (C4) as a pure function (paper marking's C3 and C7 are in
marking/reconciliation.py). Scores are Decimals on 100 points; every derived score is rounded per C6."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from recruitment.rulesets import RuleSet


@dataclass(frozen=True)
class Outcome:
    score: Decimal | None  # None while a decision is awaited
    needs: str | None = None  # 'more_interviewers' | 'head' | 'third_marker' | 'chair'
    rule: str = ""


def interview(scores: list[Decimal], rules: RuleSet, head_score: Decimal | None = None) -> Outcome:
    """C4: the mean of at least 2 interviewers; a spread over 10 points goes to the board head,
    whose recorded score is final."""
    if head_score is not None:
        return Outcome(rules.round_score(head_score), rule="C4 head")
    if len(scores) < rules.interview_min_interviewers:
        return Outcome(None, "more_interviewers", "C4")
    if max(scores) - min(scores) > rules.interview_max_spread:
        return Outcome(None, "head", "C4")
    return Outcome(rules.round_score(sum(scores) / len(scores)), rule="C4")  # C6
