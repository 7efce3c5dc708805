"""Short one-time codes handed to candidates (dossier codes): kept as a keyed HMAC, fast to check
and useless without the app's secret; tries are limited by the callers."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app


def new_code(length: int = 8) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    return "".join(secrets.choice(alphabet) for _ in range(length))


def keyed_hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


def matches(stored: str, code: str) -> bool:
    return hmac.compare_digest(stored, keyed_hash(code))
