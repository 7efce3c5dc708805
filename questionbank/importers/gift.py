"""GIFT (Moodle's text format). Supported: multiple choice with one right answer, true/false,
short answer (as fill-in). Essays, matching, numeric and multiple-response questions are skipped,
each named in the report."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from recruitment.tabular import ImportRejected, RowError

from ..records import TRUE_FALSE, QuestionRecord, normalise_html

FORMAT = re.compile(r"^\[(html|plain|moodle|markdown)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
ESCAPES = {"\\:": ":", "\\~": "~", "\\=": "=", "\\#": "#", "\\{": "{", "\\}": "}", "\\n": "\n", "\\\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\[:~=#{}n\\]", lambda m: ESCAPES[m.group(0)], text)


def _unescaped(text: str, char: str) -> list[int]:
    positions, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            positions.append(i)
        i += 1
    return positions


def _split_items(body: str) -> list[tuple[str, str]]:
    """'=a ~b # feedback' -> [('=', 'a'), ('~', 'b')], feedback dropped."""
    items, marker, start, i = [], None, 0, 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] in "=~":
            if marker is not None:
                items.append((marker, body[start:i]))
            marker, start = body[i], i + 1
        i += 1
    if marker is not None:
        items.append((marker, body[start:]))
    cleaned = []
    for mark, text in items:
        hashes = _unescaped(text, "#")
        cleaned.append((mark, (text[:hashes[0]] if hashes else text).strip()))
    return cleaned


def _markup(text: str) -> str:
    text = text.strip()
    found = FORMAT.match(text)
    kind = found.group(1).lower() if found else None
    if found:
        text = text[found.end():].strip()
    is_html = True if kind == "html" else (False if kind else None)  # no marker: look at the text
    return normalise_html(_unescape(text), is_html=is_html)


def _blocks(text: str):
    block, start = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, "\n".join(block)
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block)


def parse(filename: str, data: bytes, defaults: dict) -> tuple[list[QuestionRecord], list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([RowError(None, None, _("the file is not UTF-8 text"))]) from None
    records, skipped, errors = [], [], []
    topic = defaults.get("topic", "")
    for line, block in _blocks(text):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            topic = stripped[len("$CATEGORY:"):].strip().rstrip("/").split("/")[-1]
            continue
        title = ""
        if stripped.startswith("::"):
            end = stripped.find("::", 2)
            if end < 0:
                errors.append(RowError(line, None, _("the question's title is not closed with '::'")))
                continue
            title, stripped = _unescape(stripped[2:end]).strip(), stripped[end + 2:]
        opens, closes = _unescaped(stripped, "{"), _unescaped(stripped, "}")
        if not opens or not closes or closes[-1] < opens[0]:
            errors.append(RowError(line, None, _("'%(title)s' has no answer block {...}", title=title or stripped[:40])))
            continue
        stem_text = stripped[:opens[0]] + (" _____ " + stripped[closes[-1] + 1:] if stripped[closes[-1] + 1:].strip() else "")
        body = stripped[opens[0] + 1:closes[-1]].strip()
        label = title or stem_text.strip()[:40]
        common = dict(defaults, topic=topic or defaults.get("topic", ""))
        stem = _markup(stem_text)
        if not body:
            skipped.append(_("%(name)s (line %(line)d): essay questions are not taken", name=label, line=line))
            continue
        if body.startswith("#"):
            skipped.append(_("%(name)s (line %(line)d): numeric questions are not taken", name=label, line=line))
            continue
        head = body.split("#", 1)[0].strip().upper()
        if head in ("T", "TRUE", "F", "FALSE"):
            records.append(QuestionRecord(ref=line, stem=stem, type="truefalse", options=list(TRUE_FALSE),
                                          answer=[0 if head in ("T", "TRUE") else 1], keep_order=True, label=label,
                                          **common))
            continue
        items = _split_items(body)
        if any("->" in text for _m, text in items):
            skipped.append(_("%(name)s (line %(line)d): matching questions are not taken", name=label, line=line))
            continue
        if any(mark == "~" for mark, _t in items):
            right = [i for i, (mark, _t) in enumerate(items) if mark == "="]
            if len(right) != 1 or any(WEIGHT.match(t) for _m, t in items):
                skipped.append(_("%(name)s (line %(line)d): multiple-response questions are not taken",
                                 name=label, line=line))
                continue
            records.append(QuestionRecord(ref=line, stem=stem, options=[_markup(t) for _m, t in items],
                                          answer=right, label=label, **common))
            continue
        accepted = []
        for _mark, text in items:
            weight = WEIGHT.match(text)
            if weight and float(weight.group(1)) < 100:
                continue  # partial credit does not exist on a civil-service test
            value = _unescape(text[weight.end():] if weight else text).strip()
            if value and value != "*":
                accepted.append(value)
        records.append(QuestionRecord(ref=line, stem=stem, type="fill", answer=accepted, label=label, **common))
    if errors:
        raise ImportRejected(errors)
    return records, skipped
