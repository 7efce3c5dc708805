"""Bank images for candidates: the paper's HTML points at signed links; the board sees them through
the protected route of the bank's pages.

A link is bound to the session it was issued to and to the end of the sitting (issue "Exam day you
can trust", item 7): the exam that renders the paper sets `g.candidate_image_binding` to
(session token, end as a UTC timestamp), the link carries both, and the image is served only to a
request of that same session, before that end, while the session is still live. The package that
owns sessions registers the liveness check (`app.extensions["questionbank.session_is_live"]`), so
the bank does not depend on it; without one, no candidate link is served."""
from __future__ import annotations

import re
import time

from flask import current_app, g, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

_IMG = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")')


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="candidate-image")


def candidate_links(markup: str) -> str:
    token, ends = getattr(g, "candidate_image_binding", (None, 0))
    return _IMG.sub(lambda m: m.group(1) + url_for(
        "questionbank.candidate_image", token=_signer().dumps([m.group(2), token, int(ends)])) + m.group(3), markup)


def name_from(token: str, max_age: int) -> str | None:
    try:
        name, bound_to, ends = _signer().loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    is_live = current_app.extensions.get("questionbank.session_is_live")
    if not bound_to or session.get("session_token") != bound_to or time.time() >= ends:
        return None
    if is_live is None or not is_live(bound_to):
        return None
    return name
