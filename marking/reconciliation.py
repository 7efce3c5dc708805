"""Paper marking's rules as pure functions: double marking (C3) and re-marking (C7). Scores are
Decimals on 100 points; every derived score is rounded per C6."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from recruitment.rulesets import RuleSet


@dataclass(frozen=True)
class Outcome:
    score: Decimal | None  # None while a decision is awaited
    needs: str | None = None  # 'head' | 'third_marker' | 'chair'
    rule: str = ""


def double_marking(first: Decimal, second: Decimal, rules: RuleSet, third: Decimal | None = None,
                   head_score: Decimal | None = None) -> Outcome:
    """C3: difference <= 5: the mean; over 5 and under 10: the head marker decides; 10 or more: a
    third marker, and if two of the three agree that score, otherwise the head marker decides."""
    if head_score is not None:
        return Outcome(rules.round_score(head_score), rule="C3 head")
    gap = abs(first - second)
    if gap <= rules.marker_mean_max_diff:
        return Outcome(rules.round_score((first + second) / 2), rule="C3 mean")
    if gap < rules.marker_third_min_diff:
        return Outcome(None, "head", "C3")
    if third is None:
        return Outcome(None, "third_marker", "C3")
    if third in (first, second):
        return Outcome(rules.round_score(third), rule="C3 two agree")
    return Outcome(None, "head", "C3")


def remark(published: Decimal, first: Decimal, second: Decimal, rules: RuleSet, third: Decimal | None = None) -> Outcome:
    """C7: two re-markers, a third if they differ; two of three agreeing gives the score, otherwise
    the mean of the three. A result less than 5 points from the published score stands; 5 or more
    goes to the council chair."""
    if first == second:
        score = first
    elif third is None:
        return Outcome(None, "third_marker", "C7")
    elif third in (first, second):
        score = third
    else:
        score = (first + second + third) / 3
    score = rules.round_score(score)
    if abs(score - published) >= rules.remark_chair_min_diff:
        return Outcome(score, "chair", "C7")
    return Outcome(score, rule="C7")
