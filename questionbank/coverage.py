"""The coverage matrix (G1): approved questions per topic x difficulty for a section and a
position, held against what the blueprints draw; a cell short of 3 times its draw is marked."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    topic: str
    difficulty: int
    approved: int
    drawn: int  # how many the blueprints draw from this cell
    needed: int  # multiple x drawn

    @property
    def short(self) -> bool:
        return self.approved < self.needed


def matrix(approved: list[tuple[str, int]], demand: dict[tuple[str, int], int], multiple: int) -> list[Cell]:
    """approved: (topic, difficulty) of each approved question; demand: draws per cell."""
    have = Counter(approved)
    keys = sorted(set(have) | set(demand))
    return [Cell(t, d, have.get((t, d), 0), demand.get((t, d), 0), multiple * demand.get((t, d), 0)) for t, d in keys]
