"""The plain record every importer produces and every exporter reads: one question, as in the
spreadsheet format of formats.md. The checks here are shared by all formats; they return codes, which
questionbank/record_checks.py puts in the reader's words (this module imports no Flask)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from recruitment.rulesets import SECTIONS
from recruitment.vietnamese import fold, nfc, without_controls

from . import sanitize

LETTERS = "ABCDEF"
MAX_POINTS = Decimal(100)  # a question is worth more than 0 and at most this, in steps of 0.01
TRUE_FALSE = ("Đúng", "Sai")


@dataclass(slots=True)  # a 100,000-row file holds as many at once
class QuestionRecord:
    ref: int  # the row (spreadsheet) or the question's place in the file (others), for error messages
    stem: str  # sanitised HTML
    type: str = "single"  # single | truefalse | fill
    options: list[str] = field(default_factory=list)  # sanitised HTML
    answer: list = field(default_factory=list)  # option indices (single, truefalse) or accepted texts (fill)
    section: str = "general"
    positions: list[str] = field(default_factory=list)
    topic: str = ""
    difficulty: int = 2
    points: Decimal = Decimal(1)
    explanation: str = ""
    code: str = ""
    keep_order: bool = False
    images: dict[str, bytes] = field(default_factory=dict)
    label: str = ""  # the name the file gave it (Moodle, GIFT), for messages


def normalise_html(text: str, is_html: bool | None = None) -> str:
    text = without_controls(nfc(text)).strip()
    if is_html is None:
        is_html = sanitize.looks_like_html(text)
    return sanitize.clean(text) if is_html else sanitize.from_plain(text)


def fingerprint(stem_html: str, options: list[str]) -> str:
    """Same normalised stem and options (diacritics, case, spacing and order of options aside):
    a near-duplicate."""
    parts = [fold(sanitize.to_text(stem_html))] + sorted(fold(sanitize.to_text(o)) for o in options)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def content_digest(kind: str, stem: str, options: list[str], answer: list, points, explanation: str,
                   keep_order: bool) -> str:
    """What the audit log keeps of a version's content (G2): the audit is read by the chair and the
    administrator, who may not see stems, options or keys, yet an edit of the key alone must show
    as a change. The content itself stays in the version, which the bank keeps."""
    content = [kind, stem, list(options), list(answer), f"{Decimal(points):.2f}", explanation, bool(keep_order)]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Problem:
    """One check a record fails: the field it concerns, a code (record_checks.py words it) and its figures."""
    field: str
    code: str
    values: dict = field(default_factory=dict)


def _same_options(options: list[str]) -> tuple[int, int] | None:
    """The first two options a candidate could not tell apart (same words, whatever the case, spacing
    or formatting, and the same pictures): a row that contradicts itself, whose key is one of two twins.
    Diacritics are kept: "ma", "má" and "mà" are different words. Empty options have their own error."""
    seen: dict[tuple, int] = {}
    for index, option in enumerate(options[:len(LETTERS)]):
        key = (" ".join(sanitize.to_text(option).split()).casefold(), tuple(sanitize.image_names(option)))
        if key == ("", ()):
            continue
        if key in seen:
            return seen[key], index
        seen[key] = index
    return None


def problems(record: QuestionRecord) -> list[Problem]:
    """Checks that hold whatever the format."""
    found = []

    def err(f: str, code: str, **values):
        found.append(Problem(f, code, values))

    if not sanitize.to_text(record.stem) and "<img" not in record.stem:
        err("stem", "no_text")
    if not record.topic.strip():
        err("topic", "no_topic")
    if record.section not in SECTIONS:
        err("section", "not_one_of", value=record.section, choices=", ".join(SECTIONS))
    if record.difficulty not in (1, 2, 3):
        err("difficulty", "difficulty")
    if record.points is None or not record.points.is_finite() or not 0 < record.points <= MAX_POINTS:
        err("points", "points_range", max=MAX_POINTS)
    elif record.points != round(record.points, 2):
        err("points", "points_decimals")
    if record.type in ("single", "truefalse") and (twins := _same_options(record.options)):
        err("options", "duplicate_option", first=LETTERS[twins[0]], second=LETTERS[twins[1]])
    if record.type == "truefalse":
        if len(record.options) != 2:
            err("answer", "truefalse_options")
        if len(record.answer) != 1 or record.answer[0] not in (0, 1):
            err("answer", "truefalse_answer")
    elif record.type == "single":
        if not 2 <= len(record.options) <= 6:
            err("options", "option_count", n=len(record.options))
        if any(not sanitize.to_text(o) and "<img" not in o for o in record.options):
            err("options", "empty_option")
        if len(record.answer) != 1 or not (0 <= record.answer[0] < len(record.options)):
            err("answer", "answer_letter")
    elif record.type == "fill":
        if not record.answer or not all(str(a).strip() for a in record.answer):
            err("answer", "no_accepted")
        if record.options:  # the paper shows none: type "fill" with options A-D and answer "B" meant single
            err("options", "fill_options")
    else:
        err("type", "not_one_of", value=record.type, choices="single, truefalse, fill")
    return found
