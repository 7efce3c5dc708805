"""The one refusal: a step the rules, the record's state or the user's role do not allow. Every
package's refusal (ApplicationRefused, ReviewRefused, MarkRefused, ...) derives from it, so the
working pages' one action block (recruitment/actions.py) catches them all; its message, already
translated, says why and is what the user reads."""
from __future__ import annotations


class Refused(ValueError):
    """Raised by an operation before it changes anything it should not; the caller rolls back.
    `field` names the form field the refusal is about, for a page that shows it there."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.field = field


NAMED_AT_MOST = 10  # of the records a refusal names: enough to start with, never a page of them


def named(items: list[str]) -> str:
    """The records a refusal is about, the first NAMED_AT_MOST of them, "…" if there are more."""
    return ", ".join(items[:NAMED_AT_MOST]) + (" …" if len(items) > NAMED_AT_MOST else "")
