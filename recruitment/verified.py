"""What a worker process has verified once and need not verify again: a signed value (a session
cookie, a CSRF token) always verifies to the same result, so the result is kept by the value.
Bounded: when full, the oldest entry goes (a page's cookie of an hour ago is no longer sent). Safe
for the threads of a gthread worker: each step is one dictionary operation, and an eviction that
another thread has just made is not an error."""
from __future__ import annotations

from typing import Any


class Verified:
    def __init__(self, size: int):
        self.size = size
        self._found: dict[Any, Any] = {}

    def get(self, key) -> Any | None:
        return self._found.get(key)

    def keep(self, key, result) -> None:
        while len(self._found) >= self.size:
            try:
                del self._found[next(iter(self._found))]
            except (KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
                break
        self._found[key] = result
