"""Short one-time codes handed to candidates (exam access codes, dossier codes): kept as a keyed HMAC,
fast to check and useless without the app's secret; tries are limited by the callers. A slow password
hash would cost seconds of CPU for a room logging in at once, and guard nothing the limit on tries
does not."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread; 32 letters


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def derived_code(purpose: str, ident: object, length: int = 8) -> str:
    """A code recomputed from the app's secret and what it opens (a sitting's results board): nothing
    is stored, staff can be shown it again at any time, and it is useless without the secret."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{purpose}:{ident}".encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:length])  # 256 % 32 == 0: unbiased


def keyed_hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


def matches(stored: str, code: str) -> bool:
    return hmac.compare_digest(stored, keyed_hash(code))
