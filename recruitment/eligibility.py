"""A2: what the system can check of a candidate's eligibility (age, degree level, major); the rest
(nationality, health, record) is recorded as declared. Plain values only: the reasons come back as
codes with their figures, and recruitment/applications.py puts them in the reader's words."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .rulesets import DEGREE_LEVELS, RuleSet
from .vietnamese import fold


@dataclass(frozen=True)
class Candidate:
    date_of_birth: date
    degree_level: str
    major: str


@dataclass(frozen=True)
class Requirement:
    degree_level: str
    majors: tuple[str, ...]  # empty: any major

    @cached_property
    def folded_majors(self) -> frozenset[str]:  # once per position, not once per application
        return frozenset(fold(m) for m in self.majors)


# The earliest date of birth an applicant can have: a year typed in two digits (01/02/95 as 01/02/0095)
# reads as the year 95, a person nineteen centuries old, who would pass A2's age without a word.
EARLIEST_BIRTH = date(1900, 1, 1)


def possible_birth(born: date, on: date) -> bool:
    """Whether someone applying can have been born on `born`: not before EARLIEST_BIRTH, nor after the
    day A2 counts age on (a later one is a typing error, not a candidate too young, told a negative age)."""
    return EARLIEST_BIRTH <= born <= on


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Shortfall:
    """One reason to reject (A2): `code` is "age", "degree_level" or "major"; `values` its figures."""
    code: str
    values: dict


def ineligibility(candidate: Candidate, requirement: Requirement, rules: RuleSet, on: date) -> list[Shortfall]:
    """The reasons (A4: shown to the candidate) why the application must be rejected; [] if none."""
    reasons = []
    age = age_on(candidate.date_of_birth, on)
    if age < rules.min_age:  # A2
        reasons.append(Shortfall("age", {"min": rules.min_age, "day": on, "age": age}))
    if DEGREE_LEVELS.index(candidate.degree_level) < DEGREE_LEVELS.index(requirement.degree_level):  # A2
        reasons.append(Shortfall("degree_level", {"have": candidate.degree_level, "need": requirement.degree_level}))
    if requirement.majors and fold(candidate.major) not in requirement.folded_majors:  # A2
        reasons.append(Shortfall("major", {"major": candidate.major, "majors": requirement.majors}))
    return reasons
