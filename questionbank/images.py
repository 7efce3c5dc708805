"""Bank images for candidates: the paper's HTML points at signed links that expire after the
sitting; the board sees them through the protected route of the bank's pages."""
from __future__ import annotations

import re

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

_IMG = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")')


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="candidate-image")


def candidate_links(markup: str) -> str:
    return _IMG.sub(lambda m: m.group(1) + url_for("questionbank.candidate_image", token=_signer().dumps(m.group(2)))
                    + m.group(3), markup)


def name_from(token: str, max_age: int) -> str | None:
    try:
        return _signer().loads(token, max_age=max_age)
    except BadSignature:
        return None
