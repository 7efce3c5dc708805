"""Access codes of exam day, kept as a keyed HMAC of the code (exam/day/sitting.py issues and checks them)."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def code_hash(code: str) -> str:
    """Access codes are short and live for one sitting; what guards them is the per-candidate limit on
    tries, so a keyed HMAC (fast, useless without the app's secret) is used rather than a slow hash,
    which would cost seconds of CPU for a room logging in at once."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.strip().encode(), hashlib.sha256).hexdigest()


def code_matches(stored: str, code: str) -> bool:
    return hmac.compare_digest(stored, code_hash(code))
