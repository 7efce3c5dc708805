"""A3: candidate numbers, unique in the round, ascending and continuous, in a stable order:
position code, then Vietnamese name order (given name, then family and middle names)."""
from __future__ import annotations

from dataclasses import dataclass

from .vietnamese import name_sort_key


@dataclass(frozen=True)
class Numberable:
    application_id: int
    position_code: str
    full_name: str
    national_id: str  # last tie-breaker, so equal names still get a stable order


def assign(pending: list[Numberable], last_number: int) -> dict[int, int]:
    """Numbers for applications admitted without one, continuing after the round's last number."""
    keys: dict[str, tuple] = {}  # names repeat (a city has many "Nguyễn Thị Lan"): each is keyed once

    def order(a: Numberable) -> tuple:
        key = keys.get(a.full_name)
        if key is None:
            key = keys[a.full_name] = name_sort_key(a.full_name)
        return a.position_code, key, a.national_id

    ordered = sorted(pending, key=order)
    return {a.application_id: last_number + i for i, a in enumerate(ordered, start=1)}
