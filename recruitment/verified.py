"""What a worker process has verified once and need not verify again: a signed value (a session
cookie, a CSRF token) always verifies to the same result, so the result is kept by the value.
Bounded: when full, the oldest entry goes (a page's cookie of an hour ago is no longer sent). Safe
for the threads of a gthread worker: each step is one dictionary operation, and an eviction that
another thread has just made is not an error."""
from __future__ import annotations

import re
from typing import Any

# A value as itsdangerous signs it: [.]payload.timestamp.signature, each in URL-safe base64, the
# signature an HMAC-SHA1 (20 bytes, 27 characters). itsdangerous also accepts a signature followed
# by characters outside base64, which its decoder drops; such a value is verified every time and
# never kept, or anyone could fill a worker's memory with one valid cookie padded a thousand ways.
_SIGNED = re.compile(r"\.?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{27}")


def signed_shape(value: str) -> bool:
    """Whether the value is shaped exactly as itsdangerous signs (no padding after the signature)."""
    return _SIGNED.fullmatch(value) is not None


class Verified:
    def __init__(self, size: int, longest: int):
        self.size, self.longest = size, longest  # entries; characters of a value that is kept
        self._found: dict[Any, Any] = {}

    def get(self, key, value: str) -> Any | None:
        return self._found.get(key) if len(value) <= self.longest else None

    def keep(self, key, value: str, result) -> None:
        """key: value itself, or value and what else it was verified with (the signing key)."""
        if len(value) > self.longest or not signed_shape(value):
            return
        while len(self._found) >= self.size:
            try:
                del self._found[next(iter(self._found))]
            except (KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
                break
        self._found[key] = result
