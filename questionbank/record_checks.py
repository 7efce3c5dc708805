"""The checks of questionbank/records.py in the reader's words, as the rows' errors of an import."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment.tabular import RowError

from .records import Problem, QuestionRecord, problems


def message(problem: Problem) -> str:
    v = problem.values
    words = {
        "no_text": lambda: _("the question has no text"),
        "no_topic": lambda: _("the question has no topic (give a default topic for files without categories)"),
        "not_one_of": lambda: _("'%(value)s' is not one of: %(choices)s", value=v["value"], choices=v["choices"]),
        "difficulty": lambda: _("difficulty must be 1, 2 or 3"),
        "points_range": lambda: _("points must be more than 0 and at most %(max)s", max=v["max"]),
        "points_decimals": lambda: _("points have at most 2 decimals"),
        "truefalse_options": lambda: _("a true/false question has exactly 2 options"),
        "truefalse_answer": lambda: _("a true/false answer is A (true) or B (false)"),
        "option_count": lambda: _("a single-choice question needs 2 to 6 options, it has %(n)d", n=v["n"]),
        "empty_option": lambda: _("an option is empty"),
        "answer_letter": lambda: _("the answer must be the letter of one of the options"),
        "no_accepted": lambda: _("a fill-in question needs at least one accepted answer"),
    }
    return words[problem.code]()


def validate(record: QuestionRecord, field_name=lambda f: f) -> list[RowError]:
    """The record's problems as row errors; field_name maps a field to the file's own name of it."""
    return [RowError(record.ref, field_name(p.field), message(p)) for p in problems(record)]
