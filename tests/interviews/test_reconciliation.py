"""The interview's reconciliation on the examples of rules.md C4."""
from decimal import Decimal as D

from interviews import reconciliation as rec
from recruitment.rulesets import VN_2025 as RULES


def test_c4_the_mean_of_at_least_two_interviewers():
    assert rec.interview([D(70), D(75)], RULES).score == D("72.50")
    assert rec.interview([D(70), D(71), D(73)], RULES).score == D("71.33")  # C6: 71.333.. -> 71.33
    assert rec.interview([D(70)], RULES).needs == "more_interviewers"


def test_c4_a_spread_over_10_goes_to_the_board_head():
    assert rec.interview([D(60), D(70)], RULES).score == D("65.00")  # exactly 10: the mean
    pending = rec.interview([D(60), D("70.5")], RULES)
    assert (pending.score, pending.needs) == (None, "head")
    assert rec.interview([D(60), D("70.5")], RULES, head_score=D(66)).score == D("66.00")
