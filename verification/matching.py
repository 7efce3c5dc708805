"""Checking a document against the issuing records and against the position's requirements (F2).
Plain Python: exact match, near match (the same once diacritics, case and spacing are set aside:
shown side by side for the verifier), or no record."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recruitment.rulesets import DEGREE_LEVELS
from recruitment.vietnamese import fold

FIELDS = ("number", "holder", "date_of_birth", "level", "major")


@dataclass(frozen=True)
class Paper:
    institution: str
    number: str
    holder: str
    date_of_birth: date | None
    level: str
    major: str
    source: object = field(default=None, compare=False)  # an issuing record's row: who imported it, from which file


@dataclass(frozen=True)
class Match:
    kind: str  # exact | near | none
    record: Paper | None
    differences: tuple[str, ...]  # fields that differ exactly (a near match differs only in writing)


def _same(a, b) -> bool:
    return (a or "") == (b or "") if not isinstance(a, date) else a == b


def _near(a, b) -> bool:
    return number_key(str(a or "")) == number_key(str(b or ""))


def number_key(text: str) -> str:
    """What a near match compares: no case, no diacritics, no spaces ('HH - 2019' is 'hh-2019')."""
    return fold(text).replace(" ", "")


def match(document: Paper, records: list[Paper]) -> Match:
    """The issuing record for the document's institution and number (compared loosely), then field by field."""
    candidates = [r for r in records if _near(r.number, document.number) and _near(r.institution, document.institution)]
    if not candidates:
        return Match("none", None, ())
    best = None
    for record in candidates:
        exact = [f for f in FIELDS if not _same(getattr(document, f), getattr(record, f))]
        loose = [f for f in exact if not (f != "date_of_birth" and _near(getattr(document, f), getattr(record, f)))]
        kind = "exact" if not exact else ("near" if not loose else "none")
        rank = {"exact": 0, "near": 1, "none": 2}[kind]
        if best is None or rank < best[0]:
            best = (rank, Match(kind, record, tuple(exact)))
    return best[1]


def meets_requirements(level: str, major: str, required_level: str, majors: list[str]) -> list[str]:
    """F2, A2: the level at least the position's minimum, the major among the accepted ones."""
    problems = []
    if level not in DEGREE_LEVELS or DEGREE_LEVELS.index(level) < DEGREE_LEVELS.index(required_level):
        problems.append("level")
    if majors and fold(major) not in {fold(m) for m in majors}:
        problems.append("major")
    return problems
