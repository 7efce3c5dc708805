"""National IDs (số CCCD, formats.md: 12 digits) as one spelling per person.

`str.isdigit()` and the regex `\\d` accept fullwidth and Arabic-Indic digits, which let one person
apply several times under several spellings of one ID. An ID is normalised with NFKC (fullwidth
digits become ASCII ones; surrounding spaces go) and must then be exactly 12 ASCII digits."""
from __future__ import annotations

import re
import unicodedata

LENGTH = 12
_ASCII_ID = re.compile(rf"[0-9]{{{LENGTH}}}", re.ASCII)


class NotANationalId(ValueError):
    """The value is not a national ID, even after normalisation."""


def canonical(value: object) -> str:
    """The form stored and compared; never raises (for comparing IDs stored before this check)."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return text.strip()


def normalise(value: object) -> str:
    """The 12 ASCII digits of a national ID, or NotANationalId."""
    nid = canonical(value)
    if not _ASCII_ID.fullmatch(nid):
        raise NotANationalId(nid)
    return nid
