"""Placing every candidate due for an interview in a slot of a board (C4, G5): no candidate twice,
no interviewer in two places at once, declared unavailability and relations respected, load
balanced across boards, nothing before the earliest allowed time. Plain Python, no Flask.
When a candidate cannot be placed, the constraint that blocks it is named."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Board:
    id: int
    members: frozenset[int]  # interviewer user ids, the head included
    positions: frozenset[str]  # position codes it interviews for
    slots: tuple[datetime, ...]  # start times of its slots


@dataclass(frozen=True)
class Candidate:
    id: int
    position: str
    earliest: datetime | None = None  # C4 timing: not before the written test is done


@dataclass
class Problem:
    slot_minutes: int
    boards: list[Board]
    candidates: list[Candidate]
    unavailable: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)  # member -> periods
    relations: dict[int, set[int]] = field(default_factory=dict)  # member -> candidates they are related to (G5)


@dataclass(frozen=True)
class Placement:
    candidate: int
    board: int
    start: datetime


@dataclass
class Schedule:
    placements: list[Placement]
    unplaced: dict[int, str]  # candidate -> the blocking constraint


def _overlaps(start: datetime, end: datetime, periods) -> bool:
    return any(start < b and a < end for a, b in periods)


def schedule(problem: Problem) -> Schedule:
    length = timedelta(minutes=problem.slot_minutes)
    busy: dict[int, set[datetime]] = defaultdict(set)  # member -> starts of the interviews they sit on
    load: dict[int, int] = defaultdict(int)
    free = {b.id: sorted(b.slots) for b in problem.boards}
    placements, unplaced = [], {}
    by_position = defaultdict(list)
    for b in problem.boards:
        for p in b.positions:
            by_position[p].append(b)
    # The most constrained first: positions with fewer boards, then candidates with more relations.
    related = defaultdict(int)
    for cands in problem.relations.values():
        for c in cands:
            related[c] += 1
    order = sorted(problem.candidates, key=lambda c: (len(by_position[c.position]), -related[c.id], c.id))
    for cand in order:
        boards = by_position[cand.position]
        if not boards:
            unplaced[cand.id] = "no_board_for_position"
            continue
        allowed = [b for b in boards if not any(cand.id in problem.relations.get(m, ()) for m in b.members)]
        if not allowed:
            unplaced[cand.id] = "relation"  # G5
            continue
        placed = False
        reason = "no_free_slot"
        for board in sorted(allowed, key=lambda b: (load[b.id], b.id)):  # balance the load
            for start in free[board.id]:
                if cand.earliest and start < cand.earliest:
                    reason = "before_written_test"
                    continue
                if any(start in busy[m] or any(abs(start - t) < length for t in busy[m]) for m in board.members):
                    reason = "interviewer_busy"
                    continue
                if any(_overlaps(start, start + length, problem.unavailable.get(m, ())) for m in board.members):
                    reason = "interviewer_unavailable"
                    continue
                placements.append(Placement(cand.id, board.id, start))
                free[board.id].remove(start)
                for m in board.members:
                    busy[m].add(start)
                load[board.id] += 1
                placed = True
                break
            if placed:
                break
        if not placed:
            unplaced[cand.id] = reason
    return Schedule(placements, unplaced)


def move_refusal(problem: Problem, placements: list[Placement], candidate: int, board_id: int,
                 start: datetime) -> str | None:
    """Whether one candidate's interview may move to board_id at start, given the other placements:
    the same constraints as the scheduler, named as it names them (None: allowed)."""
    length = timedelta(minutes=problem.slot_minutes)
    boards = {b.id: b for b in problem.boards}
    board = boards[board_id]
    cand = next(c for c in problem.candidates if c.id == candidate)
    others = [p for p in placements if p.candidate != candidate]
    if cand.position not in board.positions:
        return "no_board_for_position"
    if any(candidate in problem.relations.get(m, ()) for m in board.members):
        return "relation"  # G5
    if cand.earliest and start < cand.earliest:
        return "before_written_test"
    if any(p.board == board_id and p.start < start + length and start < p.start + length for p in others):
        return "board_busy"
    for p in others:
        if p.start < start + length and start < p.start + length and board.members & boards[p.board].members:
            return "interviewer_busy"
    if any(_overlaps(start, start + length, problem.unavailable.get(m, ())) for m in board.members):
        return "interviewer_unavailable"
    return None


def conflicts(problem: Problem, result: Schedule) -> list[str]:
    """An independent check of a schedule: every kind of conflict it contains (empty: none)."""
    found = []
    length = timedelta(minutes=problem.slot_minutes)
    boards = {b.id: b for b in problem.boards}
    seen_candidates = set()
    member_times = defaultdict(list)
    board_times = defaultdict(set)
    positions = {c.id: c for c in problem.candidates}
    for p in result.placements:
        board = boards[p.board]
        if p.candidate in seen_candidates:
            found.append(f"candidate {p.candidate} twice")
        seen_candidates.add(p.candidate)
        if p.start not in board.slots:
            found.append(f"candidate {p.candidate} outside the board's slots")
        if p.start in board_times[p.board]:
            found.append(f"board {p.board} twice at {p.start}")
        board_times[p.board].add(p.start)
        cand = positions[p.candidate]
        if cand.position not in board.positions:
            found.append(f"candidate {p.candidate} before a board of another position")
        if cand.earliest and p.start < cand.earliest:
            found.append(f"candidate {p.candidate} before the written test")
        for m in board.members:
            if p.candidate in problem.relations.get(m, ()):
                found.append(f"interviewer {m} related to candidate {p.candidate}")
            if _overlaps(p.start, p.start + length, problem.unavailable.get(m, ())):
                found.append(f"interviewer {m} unavailable at {p.start}")
            for other in member_times[m]:
                if p.start < other + length and other < p.start + length:
                    found.append(f"interviewer {m} in two places at {p.start}")
            member_times[m].append(p.start)
    for c in problem.candidates:
        if c.id not in seen_candidates and c.id not in result.unplaced:
            found.append(f"candidate {c.id} neither placed nor explained")
    return found


def day_slots(days: list[datetime], first: str, last: str, minutes: int, gap: int = 0) -> tuple[datetime, ...]:
    """Slot starts from 'HH:MM' to 'HH:MM' on each day, every minutes (+ preparation gap). Raises
    ValueError for a length or gap that is not within a day (build_schedule words it for HR)."""
    if not (0 < minutes <= DAY_MINUTES and 0 <= gap <= DAY_MINUTES):  # a step of 0 never ends; a huge one overflows
        raise ValueError(f"slots of {minutes} minutes with a gap of {gap}")
    slots = []
    h1, m1 = map(int, first.split(":"))
    h2, m2 = map(int, last.split(":"))
    for day in days:
        t = day.replace(hour=h1, minute=m1, second=0, microsecond=0)
        end = day.replace(hour=h2, minute=m2, second=0, microsecond=0)
        while t + timedelta(minutes=minutes) <= end:
            slots.append(t)
            t += timedelta(minutes=minutes + gap)
    return tuple(slots)
