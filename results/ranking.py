"""The ranked results list: a pure function from plain records to one row per application, with
its status and the reason for it (rules.md E1-E4, ties E2-E3, cancellation and promotion F3-F4).
No Flask, no database: the CLI, the pages, the tests and the benchmark all call rank()."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from recruitment.rulesets import RuleSet


@dataclass(frozen=True)
class Part:
    """One round-1 part as graded: correct answers before any sanction (B6)."""
    correct: Decimal | None
    total: int | None
    absent: bool = False
    sanction: str | None = None


@dataclass(frozen=True)
class Candidate:
    application_id: int
    position_code: str
    candidate_number: int | None
    national_id: str
    full_name: str
    grade: str
    round2_form: str
    parts: dict[str, Part] = field(default_factory=dict)  # 'general', 'language'
    exempt_language: bool = False
    written: Decimal | None = None
    written_absent: bool = False
    written_voided: bool = False
    written_pending: bool = False  # C3: waiting for the third marker or the head marker
    interview: Decimal | None = None
    interview_absent: bool = False
    interview_pending: bool = False
    priority_codes: tuple[str, ...] = ()
    priority_rejected: tuple[str, ...] = ()  # D5: the declared claims whose evidence stands rejected
    cancelled: bool = False
    cancel_reason: str | None = None
    was_selected: bool = False  # selected in a published version (F4 without promotion keeps the place used)
    decision: str | None = None  # E3: the head of agency's decision, 'selected' or 'not_selected'


@dataclass(frozen=True)
class Reason:
    """Why a row stands where it does; rendered into words by results/reasons.py."""
    code: str
    params: tuple = ()


@dataclass
class Row:
    candidate: Candidate
    round1: str  # pass | fail | absent | voided | not_required
    round1_reason: Reason | None
    written: Decimal | None
    interview: Decimal | None
    round2: Decimal | None
    priority: Decimal
    total: Decimal | None
    eligible: bool
    status: str = "not_selected"
    rank: int | None = None
    reason: Reason | None = None


@dataclass(frozen=True)
class Blocker:
    """Something that must be settled before the list can be published."""
    code: str  # missing_round1 | missing_round2 | written_pending | interview_pending | interview_awaited
    application_id: int
    candidate_number: int | None
    position_code: str


def _round1(c: Candidate, rules: RuleSet) -> tuple[str, Reason | None, list[str]]:
    """The rule set's one round-1 rule (B0-B2, B6, B9, L1): the outcome, its reason, and the parts
    still missing."""
    outcome = rules.round1_outcome(c.grade, c.parts, c.exempt_language)
    if outcome.missing:
        return "absent", None, list(outcome.missing)
    match outcome.status:
        case "voided":
            return "voided", Reason("round1_voided", (outcome.part,)), []
        case "absent":
            return "absent", Reason("round1_absent", (outcome.part,)), []
        case "fail":
            return "fail", Reason("round1_fail", (outcome.part, outcome.effective.normalize(), outcome.total,
                                                  outcome.needed.normalize(), outcome.sanction or "")), []
    return outcome.status, None, []


def _round2(c: Candidate, rules: RuleSet) -> tuple[Decimal | None, str | None, Reason | None, bool]:
    """C1-C6: (score, failing status or None, reason, missing)."""
    form = "written" if c.grade == "nhan_vien" else c.round2_form  # B0: one oral/practical test, as written
    wants_written = form in ("written", "written_interview")
    wants_interview = form in ("interview", "written_interview")
    if wants_written and c.written_voided:
        return None, "voided", Reason("round2_voided"), False
    if (wants_written and c.written_absent) or (wants_interview and c.interview_absent):
        return None, "absent", Reason("round2_absent"), False
    if (wants_written and (c.written is None or c.written_pending)) or \
            (wants_interview and (c.interview is None or c.interview_pending)):
        return None, None, None, True
    if form == "written_interview":  # C5
        score = rules.round_score(c.written * rules.combined_written_weight + c.interview * rules.combined_interview_weight)
        if c.written < rules.part_pass_mark or c.interview < rules.part_pass_mark:
            return score, "failed_round2", Reason("c5_part_below", (c.written, c.interview, rules.part_pass_mark)), False
    else:
        score = rules.round_score(c.written if form == "written" else c.interview)
    if score < rules.round2_pass_mark:  # E1
        return score, "failed_round2", Reason("round2_below", (score, rules.round2_pass_mark)), False
    return score, None, None, False


def _missing_round2_code(c: Candidate) -> str:
    """What round 2 still waits for: a mark C3 or C4 has not settled (the head marker's, the board head's),
    the interviewers' scores (C4: the mean waits for the whole panel), or no score at all."""
    form = "written" if c.grade == "nhan_vien" else c.round2_form
    if c.written_pending and form in ("written", "written_interview"):
        return "written_pending"
    if c.interview_pending and form in ("interview", "written_interview"):
        return "interview_pending"
    if form == "interview" or (form == "written_interview" and c.written is not None):
        return "interview_awaited"  # only the interview is missing: its scores are not all in
    return "missing_round2"


def _sort_key(row: Row) -> tuple:
    """E2: total, then round-2 score, then written score (combined form); highest first."""
    written = row.written if row.candidate.round2_form == "written_interview" else Decimal(0)
    return (-row.total, -row.round2, -(written or Decimal(0)))


def rank(candidates: list[Candidate], quotas: dict[str, int], rules: RuleSet,
         promote_after_cancellation: bool = True) -> tuple[list[Row], list[Blocker]]:
    rows: list[Row] = []
    blockers: list[Blocker] = []
    for c in candidates:
        outcome, r1_reason, missing = _round1(c, rules)
        # D5: a claim whose evidence is rejected gives 0; the highest of those that stand counts.
        priority = rules.priority_for(tuple(code for code in c.priority_codes if code not in c.priority_rejected))
        row = Row(c, outcome, r1_reason, c.written, c.interview, None, priority, None, False)
        rows.append(row)
        if missing:
            blockers.append(Blocker("missing_round1", c.application_id, c.candidate_number, c.position_code))
            row.status, row.reason = "absent", Reason("round1_missing")
            continue
        if outcome in ("fail", "absent", "voided"):  # E1
            row.status = {"fail": "failed_round1", "absent": "absent", "voided": "voided"}[outcome]
            row.reason = r1_reason
            continue
        score, failing, reason, missing2 = _round2(c, rules)
        row.round2 = score
        if missing2:
            code = _missing_round2_code(c)
            blockers.append(Blocker(code, c.application_id, c.candidate_number, c.position_code))
            row.status, row.reason = "absent", Reason(code)
            continue
        if failing:
            row.status, row.reason = failing, reason
            continue
        row.eligible = True
        row.total = score + priority  # E2
    for row in rows:
        if row.candidate.cancelled:  # F3
            row.status, row.reason, row.eligible = "cancelled", Reason("cancelled", (row.candidate.cancel_reason or "",)), False
    by_position: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_position[row.candidate.position_code].append(row)
    for code, position_rows in by_position.items():
        quota = quotas.get(code, 0)
        if not promote_after_cancellation:  # F4 off: a cancelled selection keeps its place unused
            quota -= sum(1 for r in position_rows if r.candidate.cancelled and r.candidate.was_selected)
        _select([r for r in position_rows if r.eligible], max(quota, 0))
    rows.sort(key=lambda r: (r.candidate.position_code, r.rank is None, r.rank or 0,
                             r.candidate.candidate_number or 0))
    return rows, blockers


def _select(eligible: list[Row], quota: int) -> None:
    """E2-E3: competition ranking (1, 2, 2, 4); a tie group that straddles the last place waits for
    the head of agency, whose recorded decision settles it."""
    eligible.sort(key=lambda r: (_sort_key(r), r.candidate.candidate_number or 0))
    groups: list[list[Row]] = []
    for row in eligible:
        if groups and _sort_key(groups[-1][0]) == _sort_key(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    place, left = 1, quota
    for group in groups:
        for row in group:
            row.rank = place
        if len(group) <= left:
            for row in group:
                row.status, row.reason = "selected", Reason("selected", (row.rank, row.total))
            left -= len(group)
        elif left > 0:
            # Settled only by decisions that give exactly the places left: more, and taking some by
            # candidate number would publish the others as decided "not selected", against the record.
            chosen = [r for r in group if r.candidate.decision == "selected"]
            decided = all(r.candidate.decision in ("selected", "not_selected") for r in group) and len(chosen) == left
            for row in group:
                if decided:
                    won = row in chosen
                    row.status = "selected" if won else "not_selected"
                    row.reason = Reason("tie_decided_selected" if won else "tie_decided_not_selected", (row.rank,))
                else:
                    row.status, row.reason = "tie_pending", Reason("tie_pending", (len(group), left))
            left = 0
        else:
            for row in group:
                row.status, row.reason = "not_selected", Reason("below_quota", (row.rank, quota))
        place += len(group)
