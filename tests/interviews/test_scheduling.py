"""Property tests of the scheduler: no conflict of any kind in any schedule it returns (checked
independently), every candidate placed or the blocking constraint named."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviews import scheduling as s

DAY = datetime(2026, 12, 1)


@st.composite
def problems(draw):
    members = list(range(1, draw(st.integers(2, 8)) + 1))
    positions = ["A", "B", "C"]
    slots = s.day_slots([DAY, DAY + timedelta(days=1)], "08:00", draw(st.sampled_from(["09:00", "10:30", "12:00"])), 30)
    boards = []
    for b in range(draw(st.integers(1, 4))):
        crew = draw(st.lists(st.sampled_from(members), min_size=2, max_size=3, unique=True))
        boards.append(s.Board(b + 1, frozenset(crew), frozenset(draw(st.lists(st.sampled_from(positions), min_size=1,
                                                                                unique=True))), slots))
    candidates = [s.Candidate(100 + i, draw(st.sampled_from(positions)),
                              draw(st.one_of(st.none(), st.sampled_from(slots)))) for i in range(draw(st.integers(0, 30)))]
    relations = {m: set(draw(st.lists(st.sampled_from([c.id for c in candidates] or [0]), max_size=3))) for m in members}
    unavailable = {m: [(DAY + timedelta(hours=8, minutes=30), DAY + timedelta(hours=9, minutes=30))]
                   for m in draw(st.lists(st.sampled_from(members), max_size=2, unique=True))}
    return s.Problem(30, boards, candidates, unavailable, relations)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_no_schedule_has_a_conflict_and_every_candidate_is_accounted_for(problem):
    result = s.schedule(problem)
    assert s.conflicts(problem, result) == []
    placed = {p.candidate for p in result.placements}
    assert placed.isdisjoint(result.unplaced)
    assert placed | set(result.unplaced) == {c.id for c in problem.candidates}
    assert set(result.unplaced.values()) <= {"no_board_for_position", "relation", "no_free_slot", "interviewer_busy",
                                             "interviewer_unavailable", "before_written_test"}


def test_the_blocking_constraint_is_named():
    slots = s.day_slots([DAY], "08:00", "09:00", 30)
    boards = [s.Board(1, frozenset({1, 2}), frozenset({"A"}), slots)]
    problem = s.Problem(30, boards, [s.Candidate(10, "A"), s.Candidate(11, "B"), s.Candidate(12, "A"), s.Candidate(13, "A")],
                        relations={2: {10}})
    result = s.schedule(problem)
    assert result.unplaced[10] == "relation"  # G5
    assert result.unplaced[11] == "no_board_for_position"
    assert result.unplaced == {10: "relation", 11: "no_board_for_position"}


def test_load_is_balanced_across_boards():
    slots = s.day_slots([DAY], "08:00", "12:00", 30)
    boards = [s.Board(1, frozenset({1, 2}), frozenset({"A"}), slots), s.Board(2, frozenset({3, 4}), frozenset({"A"}), slots)]
    result = s.schedule(s.Problem(30, boards, [s.Candidate(i, "A") for i in range(10)]))
    per_board = [sum(1 for p in result.placements if p.board == b) for b in (1, 2)]
    assert per_board == [5, 5]


@settings(max_examples=300, deadline=None)
@given(problems(), st.data())
def test_a_move_the_checker_allows_never_makes_a_conflict(problem, data):
    """Manual moves are checked against the scheduler's own constraints: any move move_refusal lets
    through leaves a schedule the independent checker finds clean; a refusal is named."""
    result = s.schedule(problem)
    if not result.placements:
        return
    moved = data.draw(st.sampled_from(result.placements))
    board = data.draw(st.sampled_from(problem.boards))
    start = DAY + timedelta(days=data.draw(st.integers(0, 1)), hours=8, minutes=15 * data.draw(st.integers(0, 16)))
    refusal = s.move_refusal(problem, result.placements, moved.candidate, board.id, start)
    if refusal is not None:
        assert refusal in {"no_board_for_position", "relation", "board_busy", "interviewer_busy",
                           "interviewer_unavailable", "before_written_test"}
        return
    after = [p for p in result.placements if p.candidate != moved.candidate] + [s.Placement(moved.candidate, board.id, start)]
    # A manual time need not be one of the generated slots; every other constraint must hold.
    widened = s.Problem(problem.slot_minutes, [s.Board(b.id, b.members, b.positions, (*b.slots, start))
                                               for b in problem.boards],
                        problem.candidates, problem.unavailable, problem.relations)
    assert s.conflicts(widened, s.Schedule(after, result.unplaced)) == []


@pytest.mark.parametrize("minutes, gap", [(0, 0), (-30, 0), (30, -30), (30, 10**12)])
def test_slots_that_would_never_end_or_overflow_are_refused(minutes, gap):
    """Minutes and gap come from HR's form: a step of zero or less made the slot loop run until the
    worker's memory ran out, and a huge gap answered 500 (OverflowError)."""
    with pytest.raises(ValueError):
        s.day_slots([DAY], "08:00", "12:00", minutes, gap)
