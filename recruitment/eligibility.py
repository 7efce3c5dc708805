"""A2: what the system can check of a candidate's eligibility (age, degree level, major); the rest
(nationality, health, record) is recorded as declared."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask_babel import lazy_gettext as _l

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


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ineligibility(candidate: Candidate, requirement: Requirement, rules: RuleSet, on: date) -> list[str]:
    """The reasons (A4: shown to the candidate) why the application must be rejected; [] if none."""
    reasons = []
    age = age_on(candidate.date_of_birth, on)
    if age < rules.min_age:  # A2
        reasons.append(str(_l("under %(min)d years old on %(day)s (age %(age)d)", min=rules.min_age,
                               day=on.strftime("%d/%m/%Y"), age=age)))
    if DEGREE_LEVELS.index(candidate.degree_level) < DEGREE_LEVELS.index(requirement.degree_level):  # A2
        reasons.append(str(_l("degree level %(have)s is below the required %(need)s",
                               have=candidate.degree_level, need=requirement.degree_level)))
    if requirement.majors and fold(candidate.major) not in requirement.folded_majors:  # A2
        reasons.append(str(_l("major '%(major)s' is not among the accepted majors (%(majors)s)",
                               major=candidate.major, majors="; ".join(requirement.majors))))
    return reasons
