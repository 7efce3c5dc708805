"""Aiken: a question line, option lines 'A) text' or 'A. text', then 'ANSWER: X'. Plain text only."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from recruitment.tabular import ImportRejected, RowError

from ..records import QuestionRecord, normalise_html

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
OPTION_NO_SPACE = re.compile(r"^([A-Z])[.)](\S.*)$")
ANSWER = re.compile(r"^ANSWER:\s*(.*)$", re.IGNORECASE)


def parse(filename: str, data: bytes, defaults: dict) -> list[QuestionRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([RowError(None, None, _("the file is not UTF-8 text"))]) from None
    records, errors = [], []
    stem, stem_line, options = None, 0, []

    def fail(line: int, message: str):
        errors.append(RowError(line, None, message))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if stem is None:
                fail(number, _("an answer without a question"))
            elif len(options) < 2:
                fail(stem_line, _("the question has fewer than 2 options"))
            else:
                letter = answer.group(1).strip().upper()
                letters = [letter for letter, _text in options]
                if letter not in letters:
                    fail(number, _("the answer '%(value)s' is not one of the options", value=answer.group(1).strip()))
                else:
                    records.append(QuestionRecord(
                        ref=stem_line, stem=normalise_html(stem, is_html=False),
                        options=[normalise_html(o, is_html=False) for _l, o in options],
                        answer=[letters.index(letter)], **defaults))
            stem, options = None, []
        elif option and stem is not None:
            options.append((option.group(1), option.group(2)))
        elif OPTION_NO_SPACE.match(line) and stem is not None:
            fail(number, _("an option needs a space after its letter: '%(line)s'", line=line))
            options.append((line[0], line[2:]))
        elif stem is not None and options:
            fail(stem_line, _("the question is not finished with an ANSWER: line"))
            stem, stem_line, options = line, number, []
        elif stem is not None:
            stem += " " + line
        elif option:
            fail(number, _("an option without a question"))
        else:
            stem, stem_line, options = line, number, []
    if stem is not None:
        fail(stem_line, _("the question is not finished with an ANSWER: line"))
    if errors:
        raise ImportRejected(errors)
    return records
