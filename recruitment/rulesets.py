"""Rule sets: every number of the recruitment rules (../shared/spec/rules.md) as a setting.

A round picks a preset by code; the numbers are never constants elsewhere in the code. The rule
sets live in the hub (not in results/) because every module applies some of them: the exam applies
B1-B6, interviews C3-C5, verification F1 and the ranking all of them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

GRADES = ("chuyen_vien", "can_su", "nhan_vien", "chuyen_vien_chinh")
ROUND2_FORMS = ("written", "written_interview", "interview")
DEGREE_LEVELS = ("trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si")
SECTIONS = ("general", "language", "professional")
ROUND1_PARTS = ("general", "language")  # their labels: recruitment/labels.py (this module imports no Flask)
# B9: when several round-1 parts disagree, the most severe outcome is the round's.
ROUND1_SEVERITY = {"voided": 3, "fail": 2, "absent": 1, "pass": 0}


class Round1Part(Protocol):
    """One round-1 part as recorded (the hub's Round1Result, the ranking's Part): the correct
    answers before any sanction (B6), the number of questions, absence and the sanction."""
    correct: Decimal | None
    total: int | None
    absent: bool
    sanction: str | None


@dataclass(frozen=True)
class Round1Outcome:
    """Round 1 of one candidate (B0, B2, B6, B9, L1): the status, and the part that decided it with
    the figures of its pass check. `missing` names the parts with no record yet."""
    status: str  # pass | fail | absent | voided | not_required
    part: str | None = None
    effective: Decimal | None = None  # correct answers after the sanction, unrounded (B6)
    total: int | None = None
    needed: Decimal | None = None  # correct answers the pass mark asks for (B2)
    sanction: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Admitted to round 2: round 1 passed, or not required for the grade (B0)."""
        return self.status in ("pass", "not_required") and not self.missing


@dataclass(frozen=True)
class RuleSet:
    code: str
    # A. Applications
    min_age: int = 18  # A2
    several_positions_default: bool = False  # A1
    # B. Round 1
    round1_grades: tuple[str, ...] = ("chuyen_vien", "can_su")  # B0
    round1_questions: int = 60  # B1
    round1_minutes: int = 60  # B1
    round1_pass_fraction: Decimal = Decimal("0.5")  # B2
    round1_has_language_part: bool = False  # L1 (vn-2020 only)
    language_questions: int = 30  # L1
    language_minutes: int = 30  # L1
    late_entry_minutes_long: int = 10  # B4: tests of 60 minutes or more
    late_entry_minutes_short: int = 5  # B4: tests of 30 minutes or less
    sanction_fractions: dict[str, Decimal] = field(default_factory=lambda: {
        "reprimand": Decimal("0.25"),  # B6
        "warning": Decimal("0.5"),  # B6
    })
    voiding_sanction: str = "suspension"  # B6
    nhan_vien_oral_minutes: int = 30  # B0
    # C. Round 2
    allowed_round2_forms: tuple[str, ...] = ("written", "written_interview")  # C1
    computer_written_questions: tuple[int, int] = (60, 120)  # C2
    computer_written_minutes: tuple[int, int] = (90, 180)  # C2
    paper_written_minutes: int = 180  # C3
    marker_mean_max_diff: Decimal = Decimal("5")  # C3
    marker_third_min_diff: Decimal = Decimal("10")  # C3
    interview_max_minutes: int = 30  # C4
    interview_min_interviewers: int = 2  # C4
    interview_max_spread: Decimal = Decimal("10")  # C4
    combined_written_weight: Decimal = Decimal("0.7")  # C5
    combined_interview_weight: Decimal = Decimal("0.3")  # C5
    part_pass_mark: Decimal = Decimal("50")  # C5, E1
    score_decimals: int = 2  # C6
    remark_working_days: int = 5  # C7
    remark_chair_min_diff: Decimal = Decimal("5")  # C7
    round2_pass_mark: Decimal = Decimal("50")  # E1
    # D. Priority points
    priority_points: dict[str, Decimal] = field(default_factory=lambda: {
        "hero": Decimal("7.5"), "war_invalid": Decimal("7.5"),  # D1
        "ethnic_minority": Decimal("5"), "officer": Decimal("5"),  # D2
        "reserve_officer": Decimal("5"), "martyr_child": Decimal("5"),  # D2
        "military_service": Decimal("2.5"), "youth_volunteer": Decimal("2.5"),  # D3
        "defence_worker": Decimal("2.5"), "young_intellectual": Decimal("2.5"),  # D3
        "union_cadre": Decimal("1.5"),  # D4
    })
    # F. Dossiers
    dossier_days: int = 15  # F1
    promote_after_cancellation_default: bool = True  # F4
    # G. Exam administration
    bank_multiple: int = 3  # G1
    min_proctors_per_room: int = 2  # G3
    min_technicians_per_room: int = 1  # G3

    def priority_for(self, codes: list[str] | tuple[str, ...]) -> Decimal:
        """D5: only the highest single category counts."""
        return max((self.priority_points.get(c, Decimal(0)) for c in codes), default=Decimal(0))

    def round_score(self, value: Decimal | float | int) -> Decimal:
        """C6: every derived score is rounded to 2 decimals, half up."""
        quantum = Decimal(1).scaleb(-self.score_decimals)
        return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)

    def count_after_sanction(self, correct: Decimal, sanction: str | None) -> Decimal | None:
        """B6: the correct count that stands after a sanction, unrounded: less 25 % for a reprimand,
        50 % for a warning; None when a suspension voids the test. The ranking, the score slip, the
        room's list and the candidate's screen all count with this one rule."""
        if sanction == self.voiding_sanction:
            return None
        return Decimal(correct) * (1 - self.sanction_fractions.get(sanction or "", Decimal(0)))

    def late_entry_minutes(self, test_minutes: int) -> int:
        """B4: 10 minutes for tests of 60 minutes or more, 5 for 30 or less."""
        return self.late_entry_minutes_long if test_minutes >= 60 else self.late_entry_minutes_short

    def has_round1(self, grade: str) -> bool:
        """B0: round 1 only for the chuyên viên and cán sự grades."""
        return grade in self.round1_grades

    def round1_parts(self, exempt_language: bool = False) -> tuple[str, ...]:
        """The parts round 1 asks of a candidate: general; language too under L1 unless exempt. An
        optional language test of B8 is never a gate."""
        return ("general", "language") if self.round1_has_language_part and not exempt_language else ("general",)

    def part_passed(self, correct: Decimal, total: int, sanction: str | None,
                    pass_fraction: Decimal | None = None) -> bool:
        """B2, B6: one part passes on the sanctioned, unrounded count; a suspension voids it. A test
        with its own pass mark (B8) gives it."""
        if sanction == self.voiding_sanction:
            return False
        fraction = self.round1_pass_fraction if pass_fraction is None else pass_fraction
        return self.count_after_sanction(correct, sanction) >= total * fraction

    def round1_outcome(self, grade: str, parts: Mapping[str, Round1Part],
                       exempt_language: bool = False) -> Round1Outcome:
        """THE round-1 rule, asked by the ranking, the interview list and the written-test marking.
        B0: not required for some grades. B9: the parts combine whatever their order, voided if any
        part was voided (B6), else fail if any part sat is below its pass mark (B2), else absent if
        any part was missed, else pass; the deciding part is the first of that outcome in the
        rule set's order of parts (general, then language)."""
        if not self.has_round1(grade):
            return Round1Outcome("not_required")
        needed = self.round1_parts(exempt_language)
        # B9: voided if any part was voided, before a part still to be recorded is awaited; E1: whichever
        # test it was, one the rule set does not ask for too (B8's optional language test, a language part
        # sat although exempt, L1), whatever its marks (they gate nothing else).
        for name in [*needed, *sorted(set(parts) - set(needed))]:
            if name in parts and parts[name].sanction == self.voiding_sanction:
                return Round1Outcome("voided", name, sanction=parts[name].sanction)
        missing = tuple(p for p in needed if p not in parts)
        if missing:
            return Round1Outcome("absent", missing[0], missing=missing)
        found: dict[str, Round1Outcome] = {}
        for name in needed:
            part = parts[name]
            if part.absent or part.correct is None or not part.total:
                outcome = Round1Outcome("absent", name)
            else:
                effective = self.count_after_sanction(Decimal(part.correct), part.sanction)
                status = "pass" if self.part_passed(Decimal(part.correct), part.total, part.sanction) else "fail"
                outcome = Round1Outcome(status, name, effective, part.total,
                                        part.total * self.round1_pass_fraction, part.sanction)
            found.setdefault(outcome.status, outcome)
        worst = max(found, key=ROUND1_SEVERITY.__getitem__)
        return found[worst] if worst != "pass" else Round1Outcome("pass")


VN_2025 = RuleSet(code="vn-2025")

VN_2020 = replace(
    VN_2025,
    code="vn-2020",
    round1_has_language_part=True,  # L1
    allowed_round2_forms=("written", "written_interview", "interview"),  # L2
    priority_points={**VN_2025.priority_points, "union_cadre": Decimal("0")},  # L3
    dossier_days=30,  # L4
)

PRESETS: dict[str, RuleSet] = {r.code: r for r in (VN_2025, VN_2020)}
DEFAULT_RULES = VN_2025.code
PRIORITY_CODES = tuple(VN_2025.priority_points)


def get(code: str) -> RuleSet:
    try:
        return PRESETS[code]
    except KeyError:
        raise ValueError(f"unknown rule set {code!r}; known: {', '.join(PRESETS)}") from None
