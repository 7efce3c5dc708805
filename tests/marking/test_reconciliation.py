"""Paper marking's rules on the examples of rules.md C3 and C7."""
from decimal import Decimal as D

from marking import reconciliation as rec
from recruitment.rulesets import VN_2025 as RULES


def test_c3_double_marking():
    assert rec.double_marking(D(70), D(75), RULES).score == D("72.50")  # <= 5: the mean
    assert rec.double_marking(D(70), D(78), RULES).needs == "head"  # over 5 and under 10
    assert rec.double_marking(D(60), D(70), RULES).needs == "third_marker"  # 10 or more
    assert rec.double_marking(D(60), D(70), RULES, third=D(70)).score == D("70.00")  # two of three agree
    assert rec.double_marking(D(60), D(70), RULES, third=D(65)).needs == "head"


def test_c7_re_marking():
    assert rec.remark(D(60), D(62), D(62), RULES).score == D("62.00")  # agree; under 5 from the published: stands
    assert rec.remark(D(60), D(62), D(64), RULES).needs == "third_marker"
    assert rec.remark(D(60), D(62), D(70), RULES, third=D(70)).score == D("70.00")  # two of three
    changed = rec.remark(D(60), D(62), D(70), RULES, third=D(68))  # no two agree: the mean, 66.67
    assert (changed.score, changed.needs) == (D("66.67"), "chair")  # 5 or more from the published: the chair
