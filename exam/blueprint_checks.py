"""What a blueprint may hold: the form's values checked at the boundary (minutes, and per cell the
topic, difficulty, count and points), and the rule set's durations and question counts per part
checked again before activation (B1, L1, C2), so that neither a typed nor a stored impossible value
(negative minutes, NaN points) reaches a candidate's paper."""
from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from recruitment import errors, labels
from recruitment.rulesets import RuleSet

MAX_MINUTES = 600  # no test of the rule sets is longer than 180 minutes (C2, C3)
MAX_POINTS = 100  # a score is on 100 (C2)
MAX_CELL_COUNT = 200  # no test of the rule sets has more than 120 questions (C2)
DIFFICULTIES = (1, 2, 3)


class BlueprintProblem(errors.Refused):
    pass


def _number(raw: str | None, parse, what: str):
    try:
        value = parse((raw or "").strip())
    except ValueError:
        raise BlueprintProblem(_("%(what)s: \"%(value)s\" is not a number.", what=what, value=raw)) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise BlueprintProblem(_("%(what)s: \"%(value)s\" is not a number.", what=what, value=raw))
    return value


def parse_form(form, current_minutes: int) -> tuple[list[dict], int]:
    """The cells and minutes of the blueprint form, or BlueprintProblem naming the first bad field.
    Rows without a topic, or with no count (or 0), are left out: that is how a cell is removed."""
    minutes_raw = (form.get("minutes") or "").strip()
    minutes = _number(minutes_raw, int, _("Minutes")) if minutes_raw else current_minutes
    if not 1 <= minutes <= MAX_MINUTES:
        raise BlueprintProblem(_("Minutes: %(n)d is not a duration a test can have (1 to %(max)d).", n=minutes,
                                 max=MAX_MINUTES))
    try:
        rows = min(int(form.get("rows", 0)), 500)
    except ValueError:
        rows = 0
    cells = []
    for i in range(rows):
        topic = (form.get(f"topic-{i}") or "").strip()
        count_raw = (form.get(f"count-{i}") or "").strip()
        if not topic or not count_raw:
            continue
        row = _("row %(n)d", n=i + 1)
        count = _number(count_raw, int, _("Questions (count), %(row)s", row=row))
        if count == 0:
            continue
        if not 1 <= count <= MAX_CELL_COUNT:
            raise BlueprintProblem(_("Questions (count), %(row)s: %(n)d is out of range (1 to %(max)d).", row=row,
                                     n=count, max=MAX_CELL_COUNT))
        difficulty = _number(form.get(f"difficulty-{i}") or "2", int, _("Difficulty, %(row)s", row=row))
        if difficulty not in DIFFICULTIES:
            raise BlueprintProblem(_("Difficulty, %(row)s: %(n)d is not 1, 2 or 3.", row=row, n=difficulty))
        points = _number(form.get(f"points-{i}") or "1", float, _("Points each, %(row)s", row=row))
        if not 0 < points <= MAX_POINTS:
            raise BlueprintProblem(_("Points each, %(row)s: %(value)s is not above 0 and at most %(max)d.", row=row,
                                     value=form.get(f"points-{i}"), max=MAX_POINTS))
        if any((c["topic"], c["difficulty"]) == (topic, difficulty) for c in cells):
            raise BlueprintProblem(_duplicate(topic, difficulty))
        cells.append({"topic": topic, "difficulty": difficulty, "count": count, "points": points})
    return cells, minutes


def _duplicate(topic: str, difficulty: int) -> str:
    # The draw files each question under one cell per (topic, difficulty): a second row of the same cell
    # would draw from nothing and be refused as short of questions that the bank holds (G1).
    return _("The cell %(topic)s / %(difficulty)s is given twice: give its questions in one row.", topic=topic,
             difficulty=labels.label(difficulty, "difficulty"))


def parse_pass_percent(form) -> Decimal | None:
    """B8: the optional language test's own pass mark, typed as a percentage of its questions (1 to 100,
    two decimals at most: it is stored as a fraction of four); None when the field is not sent."""
    raw = (form.get("pass_percent") or "").strip()
    if not raw:
        return None
    try:
        percent = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        percent = None
    if percent is None or not percent.is_finite() or not 1 <= percent <= 100 or percent != round(percent, 2):
        raise BlueprintProblem(_("Pass mark: \"%(value)s\" is not a percentage of the questions from 1 to 100 "
                                 "(at most two decimals).", value=raw))
    return percent / 100


def check_rules(kind: str, minutes: int, cells: list, rules: RuleSet) -> None:
    """B1, L1, C2: the part's duration and number of questions; every cell's points finite and above 0.
    A round-1 part may be drawn smaller than the rule set's count (a practice or a make-up paper), never
    larger."""
    for cell in cells:
        if not (math.isfinite(cell.points) and 0 < cell.points <= MAX_POINTS):
            raise BlueprintProblem(_("Points each of %(topic)s / %(difficulty)d: %(value)s is not above 0 and at most "
                                     "%(max)d.", topic=cell.topic, difficulty=cell.difficulty, value=cell.points,
                                     max=MAX_POINTS))
        if not 1 <= cell.count <= MAX_CELL_COUNT or cell.difficulty not in DIFFICULTIES:
            raise BlueprintProblem(_("The cell %(topic)s / %(difficulty)d has an impossible count or difficulty.",
                                     topic=cell.topic, difficulty=cell.difficulty))
    seen = set()
    for cell in cells:
        if (cell.topic, cell.difficulty) in seen:
            raise BlueprintProblem(_duplicate(cell.topic, cell.difficulty))
        seen.add((cell.topic, cell.difficulty))
    total = sum(c.count for c in cells)
    if kind == "round2_written":
        low, high = rules.computer_written_minutes
        if not low <= minutes <= high:
            raise BlueprintProblem(_("Minutes: a round-2 test on computer lasts %(low)d to %(high)d minutes (C2); this "
                                     "one has %(n)d.", low=low, high=high, n=minutes))
        low, high = rules.computer_written_questions
        if not low <= total <= high:
            raise BlueprintProblem(_("A round-2 test on computer has %(low)d to %(high)d questions (C2); this one has %(n)d.",
                                     low=low, high=high, n=total))
        return
    part, questions, duration = (("L1", rules.language_questions, rules.language_minutes) if kind == "round1_language"
                                 else ("B1", rules.round1_questions, rules.round1_minutes))
    if minutes != duration:
        raise BlueprintProblem(_("Minutes: this round-1 test lasts %(m)d minutes (%(rule)s); the blueprint says %(n)d.",
                                 m=duration, rule=part, n=minutes))
    if total > questions:
        raise BlueprintProblem(_("This round-1 test has at most %(q)d questions (%(rule)s); the blueprint has %(n)d.",
                                 q=questions, rule=part, n=total))
