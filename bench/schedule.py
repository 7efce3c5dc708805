"""Scheduling 2,000 interviews on 20 boards over 5 days, with relations and unavailability.

    python -m bench.schedule

The last line is one JSON object: seconds, conflicts (found in the result by the independent
checker: must be 0), unplaced, and ratio (the scheduler's time over a greedy first-fit baseline's,
measured in the same run). Aim: under 2 s."""
from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta

from interviews import scheduling as s


def problem(seed: int = 6) -> s.Problem:
    rng = random.Random(seed)
    days = [datetime(2026, 12, 1) + timedelta(days=d) for d in range(5)]
    slots = s.day_slots(days, "07:30", "17:30", 30)
    members = list(range(1, 61))
    positions = [f"P{i:02d}" for i in range(40)]
    boards = [s.Board(b, frozenset(members[(b * 3) % 60:(b * 3) % 60 + 3]), frozenset(rng.sample(positions, 6)), slots)
              for b in range(20)]
    served = sorted({p for b in boards for p in b.positions})
    candidates = [s.Candidate(i, rng.choice(served)) for i in range(2000)]
    relations = {m: set(rng.sample(range(2000), 5)) for m in members}
    unavailable = {m: [(days[rng.randrange(5)] + timedelta(hours=8), days[0] + timedelta(days=rng.randrange(5), hours=12))]
                   for m in rng.sample(members, 15)}
    return s.Problem(30, boards, candidates, unavailable, relations)


def greedy(p: s.Problem) -> int:
    """First fit without balancing or constraint ordering: the baseline."""
    used, placed = set(), 0
    for c in p.candidates:
        for b in p.boards:
            if c.position not in b.positions:
                continue
            slot = next((t for t in b.slots if (b.id, t) not in used), None)
            if slot is not None:
                used.add((b.id, slot))
                placed += 1
                break
    return placed


def main() -> None:
    p = problem()
    start = time.perf_counter()
    result = s.schedule(p)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    greedy(p)
    baseline = time.perf_counter() - start
    found = s.conflicts(p, result)
    print(f"{len(p.candidates)} candidates, {len(p.boards)} boards, 5 days: {seconds:.3f} s, {len(result.placements)} placed, "
          f"{len(result.unplaced)} unplaced {sorted(set(result.unplaced.values()))}; conflicts found: {len(found)}; "
          f"greedy first fit: {baseline:.3f} s")
    print(json.dumps({"seconds": round(seconds, 3), "conflicts": len(found), "unplaced": len(result.unplaced),
                      "ratio": round(seconds / baseline, 2)}))


if __name__ == "__main__":
    main()
