"""The ranking as a pure function: the worked examples of rules.md and properties that hold for
any list (hypothesis)."""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.rulesets import VN_2020, VN_2025
from results.ranking import Candidate, Part, rank

_next = iter(range(1, 10**6))


def cand(position="P", written=None, interview=None, correct=40, sanction=None, grade="chuyen_vien",
         form="written", priority=(), **kw) -> Candidate:
    n = next(_next)
    parts = {} if correct is None else {"general": Part(D(correct), 60, False, sanction)}
    return Candidate(application_id=n, position_code=position, candidate_number=n, national_id=f"{n:012d}",
                     full_name=f"Thí sinh {n}", grade=grade, round2_form=form, parts=kw.pop("parts", parts),
                     written=None if written is None else D(str(written)),
                     interview=None if interview is None else D(str(interview)), priority_codes=tuple(priority), **kw)


def by_id(rows):
    return {r.candidate.application_id: r for r in rows}


def test_b6_a_reprimand_takes_a_quarter_and_the_pass_check_is_unrounded():
    reprimanded = cand(correct=31, sanction="reprimand", written=80)  # 31 x 0.75 = 23.25 < 30
    clean = cand(correct=30, written=80)
    warned = cand(correct=60, sanction="warning", written=80)  # 30 = exactly half
    rows, _ = rank([reprimanded, clean, warned], {"P": 5}, VN_2025)
    r = by_id(rows)
    assert r[reprimanded.application_id].status == "failed_round1"
    assert r[reprimanded.application_id].reason.params[1] == D("23.25")
    assert r[clean.application_id].round1 == "pass" and r[warned.application_id].round1 == "pass"


def test_b6_suspension_voids():
    voided = cand(correct=55, sanction="suspension", written=90)
    rows, _ = rank([voided], {"P": 1}, VN_2025)
    assert (rows[0].round1, rows[0].status) == ("voided", "voided")


def test_c5_both_parts_at_least_50_and_the_70_30_mix():
    low_interview = cand(form="written_interview", written=90, interview=45)  # 76.5 overall, still out
    fine = cand(form="written_interview", written=55.5, interview=60.25)  # 0.7*55.5 + 0.3*60.25 = 56.925 -> 56.93
    rows, _ = rank([low_interview, fine], {"P": 2}, VN_2025)
    r = by_id(rows)
    assert r[low_interview.application_id].status == "failed_round2"
    assert r[fine.application_id].round2 == D("56.93") and r[fine.application_id].status == "selected"  # C6 half up


def test_d5_only_the_highest_priority_counts_and_a_rejected_claim_gives_zero():
    both = cand(written=70, priority=("military_service", "ethnic_minority"))
    rejected = cand(written=70, priority=("hero",), priority_rejected=("hero",))
    rows, _ = rank([both, rejected], {"P": 2}, VN_2025)
    r = by_id(rows)
    assert (r[both.application_id].priority, r[both.application_id].total) == (D(5), D(75))
    assert r[rejected.application_id].priority == 0


def test_e1_below_50_fails_and_round1_not_required_for_chuyen_vien_chinh():
    low = cand(written=49.99)
    senior = cand(grade="chuyen_vien_chinh", correct=None, written=60)
    rows, blockers = rank([low, senior], {"P": 2}, VN_2025)
    r = by_id(rows)
    assert r[low.application_id].status == "failed_round2"
    assert (r[senior.application_id].round1, r[senior.application_id].status) == ("not_required", "selected")
    assert blockers == []


def test_e2_ties_break_on_round2_then_written_and_share_ranks():
    a = cand(form="written_interview", written=80, interview=60, priority=("military_service",))  # 74 + 2.5
    b = cand(form="written_interview", written=70, interview=85, priority=("military_service",))  # 74.5 + 2.5... higher round 2
    c = cand(form="written_interview", written=74, interview=74, priority=("military_service",))  # 74 + 2.5, tie with a on total & round 2
    d = cand(form="written_interview", written=80, interview=60, priority=("military_service",))  # identical to a
    rows, _ = rank([a, b, c, d], {"P": 4}, VN_2025)
    r = by_id(rows)
    assert r[b.application_id].rank == 1
    assert r[a.application_id].rank == r[d.application_id].rank == 2  # same total, round 2 and written: shared
    assert r[c.application_id].rank == 4  # lower written breaks the tie (E2)


def test_e3_a_tie_straddling_the_last_place_waits_and_a_decision_settles_it():
    first, tied1, tied2 = cand(written=90), cand(written=80), cand(written=80)
    rows, _ = rank([first, tied1, tied2], {"P": 2}, VN_2025)
    assert [r.status for r in rows] == ["selected", "tie_pending", "tie_pending"]
    import dataclasses
    decided = [first, dataclasses.replace(tied1, decision="not_selected"), dataclasses.replace(tied2, decision="selected")]
    rows, _ = rank(decided, {"P": 2}, VN_2025)
    r = by_id(rows)
    assert r[tied2.application_id].status == "selected" and r[tied1.application_id].status == "not_selected"


def test_e3_decisions_that_do_not_fill_the_places_exactly_leave_the_tie_waiting():
    """Three tied for two places, all three recorded 'selected': the two lowest candidate numbers were
    selected and the third published as 'settled by the head of agency: not selected', the opposite of
    the decision on record. Decisions settle a tie only when they give exactly the places left."""
    import dataclasses
    first, *tied = cand(written=90), cand(written=80), cand(written=80), cand(written=80)
    for decisions in (("selected", "selected", "selected"), ("not_selected", "not_selected", "selected"),
                      ("selected", "selected", None)):
        rows, _ = rank([first, *(dataclasses.replace(c, decision=d) for c, d in zip(tied, decisions, strict=True))],
                       {"P": 3}, VN_2025)
        r = by_id(rows)
        assert [r[c.application_id].status for c in tied] == ["tie_pending"] * 3, decisions
        assert all(r[c.application_id].reason.code == "tie_pending" for c in tied)
    rows, _ = rank([first, *(dataclasses.replace(c, decision=d)
                             for c, d in zip(tied, ("selected", "not_selected", "selected"), strict=True))], {"P": 3}, VN_2025)
    r = by_id(rows)
    assert [r[c.application_id].status for c in tied] == ["selected", "not_selected", "selected"]


def test_f3_f4_a_cancellation_promotes_the_next_unless_the_round_says_no():
    import dataclasses
    top, second, third = cand(written=90), cand(written=80), cand(written=70)
    cancelled = dataclasses.replace(top, cancelled=True, cancel_reason="bằng giả", was_selected=True)
    rows, _ = rank([cancelled, second, third], {"P": 2}, VN_2025)
    r = by_id(rows)
    assert r[top.application_id].status == "cancelled" and r[top.application_id].rank is None
    assert r[second.application_id].status == "selected" and r[third.application_id].status == "selected"  # promoted
    rows, _ = rank([cancelled, second, third], {"P": 2}, VN_2025, promote_after_cancellation=False)
    assert by_id(rows)[third.application_id].status == "not_selected"


def test_missing_scores_and_pending_interviews_block_publication():
    no_round1 = cand(correct=None, parts={})
    no_written = cand()
    pending = cand(form="written_interview", written=70, interview=None, interview_pending=True)
    _, blockers = rank([no_round1, no_written, pending], {"P": 1}, VN_2025)
    assert sorted(b.code for b in blockers) == ["interview_pending", "missing_round1", "missing_round2"]


def test_vn_2020_needs_the_language_part_unless_exempt():
    general = {"general": Part(D(40), 60)}
    missing_language = cand(parts=general, written=70)
    exempt = cand(parts=general, written=70, exempt_language=True)
    failed = cand(parts={**general, "language": Part(D(14), 30)}, written=70)
    rows, blockers = rank([missing_language, exempt, failed], {"P": 3}, VN_2020)
    r = by_id(rows)
    assert [b.application_id for b in blockers] == [missing_language.application_id]  # L1
    assert r[exempt.application_id].status == "selected" and r[failed.application_id].status == "failed_round1"


def test_nhan_vien_have_a_single_test_recorded_as_round2():
    staff = cand(grade="nhan_vien", correct=None, form="written_interview", written=65)
    rows, blockers = rank([staff], {"P": 1}, VN_2025)
    assert (rows[0].round1, rows[0].round2, rows[0].status, blockers) == ("not_required", D("65.00"), "selected", [])


scores = st.decimals(min_value=0, max_value=100, places=1)


@st.composite
def positions(draw):
    n = draw(st.integers(1, 25))
    out = []
    for _ in range(n):
        form = draw(st.sampled_from(["written", "written_interview"]))
        out.append(cand(form=form, written=draw(scores), interview=draw(scores) if form != "written" else None,
                        correct=draw(st.integers(0, 60)), priority=tuple(draw(st.lists(
                            st.sampled_from(["hero", "ethnic_minority", "military_service", "union_cadre"]), max_size=2)))))
    return out, draw(st.integers(0, 6))


@settings(max_examples=300, deadline=None)
@given(positions())
def test_properties_of_any_ranked_list(data):
    candidates, quota = data
    rows, _ = rank(candidates, {"P": quota}, VN_2025)
    selected = [r for r in rows if r.status == "selected"]
    pending = [r for r in rows if r.status == "tie_pending"]
    others = [r for r in rows if r.eligible and r.status == "not_selected"]
    assert len(selected) <= quota
    key = lambda r: (r.total, r.round2, r.written if r.candidate.round2_form == "written_interview" else 0)  # noqa: E731
    for s in selected:
        assert all(key(s) > key(o) for o in others + pending)
    if pending:  # they straddle the last place: all share one rank and one key
        assert len({r.rank for r in pending}) == 1 and len({key(r) for r in pending}) == 1
        assert len(selected) < quota < len(selected) + len(pending)
    assert all(not r.eligible for r in rows if r.status in ("failed_round1", "failed_round2", "absent", "voided"))
    ranks = sorted(r.rank for r in rows if r.eligible)
    for i, value in enumerate(ranks):
        assert value <= i + 1  # competition ranking: 1, 2, 2, 4


def test_b9_the_ranking_shows_the_worst_part_with_its_reason():
    """B9: failed the general part and missed the language part is failed; suspended in one part and
    absent from the other is voided; the reason names the part that decided it."""
    failed = cand(written=80, parts={"general": Part(D(20), 60), "language": Part(None, None, absent=True)})
    voided = cand(written=80, parts={"general": Part(None, None, absent=True),
                                     "language": Part(D(25), 30, False, "suspension")})
    rows, blockers = rank([failed, voided], {"P": 2}, VN_2020)
    r = by_id(rows)
    assert (r[failed.application_id].round1, r[failed.application_id].status) == ("fail", "failed_round1")
    assert r[failed.application_id].reason.params[0] == "general"
    assert (r[voided.application_id].round1, r[voided.application_id].status) == ("voided", "voided")
    assert r[voided.application_id].reason.params == ("language",) and not blockers


def test_an_interview_awaiting_its_interviewers_is_not_said_to_await_the_head():
    """C4: the board head is awaited only for a spread over 10; an interview whose scores are not all in
    waits for its interviewers, and the blocker says so rather than naming the head."""
    spread = cand(form="written_interview", written=70, interview=None, interview_pending=True)
    scoring = cand(form="written_interview", written=70, interview=None)
    neither = cand(form="written_interview")
    _, blockers = rank([spread, scoring, neither], {"P": 1}, VN_2025)
    codes = {b.application_id: b.code for b in blockers}
    assert codes == {spread.application_id: "interview_pending", scoring.application_id: "interview_awaited",
                     neither.application_id: "missing_round2"}


def test_e1_a_suspension_in_a_test_the_rule_set_does_not_ask_for_still_makes_the_candidate_ineligible():
    """E1: eligible only when no sanction voided a test; B6: a suspension voids it. The optional language
    test of B8 (round-1 part 'language' under vn-2025) and the language part a vn-2020 candidate sat
    although exempt are no gate of round 1, and the ranking read only the parts the rule set asks for:
    the suspended candidate was selected. A mark below the pass mark in such a test still gates nothing."""
    general = {"general": Part(D(45), 60)}
    suspended = cand(written=95, parts={**general, "language": Part(D(20), 30, sanction="suspension")})
    failed_b8 = cand(written=90, parts={**general, "language": Part(D(5), 30, sanction="warning")})
    honest = cand(written=80)
    rows, blockers = rank([suspended, failed_b8, honest], {"P": 2}, VN_2025)
    r = by_id(rows)
    assert (r[suspended.application_id].round1, r[suspended.application_id].status) == ("voided", "voided")
    assert not r[suspended.application_id].eligible and r[suspended.application_id].reason.params == ("language",)
    assert r[failed_b8.application_id].status == r[honest.application_id].status == "selected" and not blockers
    exempt = cand(written=95, exempt_language=True, parts={**general, "language": Part(D(20), 30, sanction="suspension")})
    rows, _ = rank([exempt], {"P": 1}, VN_2020)
    assert (rows[0].round1, rows[0].status) == ("voided", "voided")
    # The one round-1 rule says so to its every reader (the interview list and the marking too).
    assert not VN_2025.round1_outcome("chuyen_vien", suspended.parts).passed
