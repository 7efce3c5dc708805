"""One label catalogue: every code a model stores (a sanction, a status, a grade, a decision ...) has
its reader's words here, through the translation layer, Vietnamese first. Pages use the `label`
filter (`{{ row.sanction|label("sanction") }}`), PDFs and XLSX files call `label()`; the CSV files
keep the codes, which are the documented machine format (../shared/spec/formats.md).

A module that owns a value list registers its labels here with `register(kind, {...})` rather than
keeping a private dict, so that no page, document or message ever shows a bare code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

_CATALOGUE: dict[str, dict[str, object]] = {}


def register(kind: str, labels: dict[str, object]) -> dict[str, object]:
    """Adds (or extends) the labels of one kind of code; returns them for the module's own use."""
    _CATALOGUE.setdefault(kind, {}).update(labels)
    return _CATALOGUE[kind]


def label(code: object, kind: str) -> str:
    """The reader's words for a code; an unknown code shows as itself rather than failing a page,
    and the catalogue test finds it."""
    if code is None or code == "":
        return ""
    found = _CATALOGUE.get(kind, {}).get(str(code))
    return str(found) if found is not None else str(code)


def kinds() -> dict[str, dict[str, object]]:
    return _CATALOGUE


# B6: the sanctions a proctor records.
SANCTION = register("sanction", {
    "reprimand": _l("reprimand"), "warning": _l("warning"), "suspension": _l("suspension"),
})

# B3-B5: where a candidate's attempt stands (exam.models.Attempt.status).
ATTEMPT_STATUS = register("attempt_status", {
    "not_started": _l("not started"), "in_progress": _l("in progress"), "submitted": _l("handed in"),
    "collected": _l("collected at the end"), "voided": _l("voided"),
})
