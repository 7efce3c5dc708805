"""The checks of questionbank/records.py in the reader's words, as the rows' errors of an import."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment.tabular import RowError, length_of, over_length

from .bulk_insert import stored_positions
from .models import Question
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
        "duplicate_option": lambda: _("options %(first)s and %(second)s are the same: each option must differ",
                                      first=v["first"], second=v["second"]),
        "answer_letter": lambda: _("the answer must be the letter of one of the options"),
        "no_accepted": lambda: _("a fill-in question needs at least one accepted answer"),
        "fill_options": lambda: _("a fill-in question has no options: leave them empty, or choose another type"),
    }
    return words[problem.code]()


# The bank's String(n) columns a record's own text is written to. PostgreSQL refuses a longer value with an
# error that stops the whole import, SQLite keeps it whole: every format's topic (a Moodle or GIFT category)
# and positions, and the spreadsheet's code, are checked here, and so is the question form.
_LIMITS = {name: length_of(getattr(Question, name)) for name in ("code", "topic", "positions")}


def _too_long(record: QuestionRecord) -> list[tuple[str, int, int]]:
    """(field, its limit, its length) for each text longer than the column it goes to."""
    stored = {"code": record.code, "topic": record.topic, "positions": stored_positions(record.positions)}
    return [(name, _LIMITS[name], len(value)) for name, value in stored.items() if len(value) > _LIMITS[name]]


def validate(record: QuestionRecord, field_name=lambda f: f) -> list[RowError]:
    """The record's problems as row errors; field_name maps a field to the file's own name of it."""
    errors = [RowError(record.ref, field_name(p.field), message(p)) for p in problems(record)]
    errors += [RowError(record.ref, field_name(name), over_length(limit, length))
               for name, limit, length in _too_long(record)]
    return errors
