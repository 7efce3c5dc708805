"""The one round-1 rule (B0, B2, B6, B8, B9, L1) on the rule set: every module asks it, so the
ranking, the interview list and the written-test marking can never disagree."""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from recruitment.rulesets import VN_2020, VN_2025
from results.ranking import Part

GENERAL_PASS, GENERAL_FAIL = Part(D(45), 60), Part(D(20), 60)
LANGUAGE_PASS, LANGUAGE_FAIL = Part(D(20), 30), Part(D(14), 30)
ABSENT = Part(None, None, absent=True)
SUSPENDED = Part(D(50), 60, sanction="suspension")


def outcome(parts: dict, rules=VN_2020, exempt=False, grade="chuyen_vien"):
    return rules.round1_outcome(grade, parts, exempt)


def test_l1_a_pass_in_general_and_a_fail_in_language_fails_round1():
    result = outcome({"general": GENERAL_PASS, "language": LANGUAGE_FAIL})
    assert (result.status, result.part, result.passed) == ("fail", "language", False)
    assert (result.effective, result.total, result.needed) == (D(14), 30, D(15))


def test_l1_an_exempt_candidate_needs_only_the_general_part():
    assert outcome({"general": GENERAL_PASS}, exempt=True).passed
    assert outcome({"general": GENERAL_PASS}).missing == ("language",)
    assert outcome({"general": GENERAL_PASS, "language": LANGUAGE_FAIL}, rules=VN_2025).passed  # B8: never a gate


def test_b9_failed_one_part_and_missed_the_other_is_failed_not_absent():
    for parts in ({"general": GENERAL_FAIL, "language": ABSENT}, {"language": ABSENT, "general": GENERAL_FAIL}):
        result = outcome(parts)
        assert (result.status, result.part) == ("fail", "general")


def test_b9_suspended_in_one_part_and_absent_from_the_other_is_voided():
    for parts in ({"general": ABSENT, "language": Part(D(20), 30, sanction="suspension")},
                  {"language": Part(D(20), 30, sanction="suspension"), "general": ABSENT}):
        result = outcome(parts)
        assert (result.status, result.part) == ("voided", "language")


def test_b0_b2_b6_one_part():
    assert outcome({}, grade="chuyen_vien_chinh").status == "not_required"
    assert outcome({}, grade="chuyen_vien_chinh").passed
    assert outcome({"general": Part(D(31), 60, sanction="reprimand")}, rules=VN_2025).effective == D("23.25")
    assert outcome({"general": Part(D(60), 60, sanction="warning")}, rules=VN_2025).passed  # exactly half
    assert outcome({"general": ABSENT}, rules=VN_2025).status == "absent"
    assert outcome({}, rules=VN_2025).missing == ("general",)


PART = st.sampled_from([GENERAL_PASS, GENERAL_FAIL, ABSENT, SUSPENDED, Part(D(31), 60, sanction="reprimand")])
SEVERITY = {"voided": 3, "fail": 2, "absent": 1, "pass": 0}


@given(general=PART, language=PART)
def test_b9_the_order_of_the_parts_never_matters_and_the_worst_wins(general, language):
    """B9: voided > fail > absent > pass, whatever order the parts come in."""
    forward = outcome({"general": general, "language": language})
    backward = outcome({"language": language, "general": general})
    assert forward == backward
    each = [outcome({"general": p}, rules=VN_2025).status for p in (general, language)]
    assert forward.status == max(each, key=SEVERITY.__getitem__)


def test_b9_a_suspension_voids_round1_before_a_part_still_to_be_recorded_is_awaited():
    """Voided whatever else is missing (B9), in a part the rule set asks for or in one it does not (E1)."""
    general_voided = outcome({"general": SUSPENDED})  # the language part not recorded yet
    b8_voided = outcome({"language": Part(D(20), 30, sanction="suspension")}, rules=VN_2025)  # general not yet
    assert (general_voided.status, general_voided.part) == ("voided", "general")
    assert (b8_voided.status, b8_voided.part) == ("voided", "language")
