"""Moodle XML: multichoice (one right answer), truefalse and shortanswer (as fill-in); categories
become topics; images embedded as base64 files are kept. Other types are skipped, each named."""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from flask_babel import gettext as _

from recruitment import tabular as t
from recruitment import unreadable
from recruitment.tabular import CellError, ImportRejected, RowError

from ..records import TRUE_FALSE, QuestionRecord, normalise_html

PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'?#]+)")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _text(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _images(element: Element | None, images: dict[str, bytes], ref: int, errors: list[RowError]) -> dict[str, str]:
    """Decodes <file name=".." encoding="base64">; returns Moodle's names -> the bank's names."""
    renamed = {}
    if element is None:
        return renamed
    for file in element.findall("file"):
        name = file.get("name", "")
        try:
            data = base64.b64decode(file.text or "", validate=False)
        except (binascii.Error, ValueError):
            errors.append(RowError(ref, "file", _("the embedded file %(name)s is not valid base64", name=name)))
            continue
        # Named by its contents as well: Moodle calls a pasted picture image.png in every question, and
        # the bank keeps one picture per name (a second image.png was refused, here and in later files).
        stem, dot, extension = SAFE_NAME.sub("_", name.rsplit("/", 1)[-1]).rpartition(".")
        stem, extension = (stem, extension) if dot else (extension, "")
        safe = f"{stem[:100]}-{hashlib.sha256(data).hexdigest()[:16]}" + (f".{extension[:10]}" if extension else "")
        images[safe] = data
        renamed[name] = safe
    return renamed


def _html(element: Element | None, images: dict[str, bytes], ref: int, errors: list[RowError]) -> str:
    if element is None:
        return ""
    renamed = _images(element, images, ref, errors)
    raw = _text(element)
    # The text names a file as a URL does (image%201.png for "image 1.png").
    raw = PLUGINFILE.sub(lambda m: renamed.get(unquote(m.group(1)), m.group(1)), raw)
    fmt = element.get("format", "html")
    return normalise_html(raw, is_html=fmt == "html" or None)


def _fraction(answer: Element) -> Decimal:
    try:
        fraction = Decimal(answer.get("fraction", "0"))
    except InvalidOperation:
        return Decimal(-1)
    return fraction if fraction.is_finite() else Decimal(-1)  # NaN and sNaN would raise when compared


def parse(filename: str, data: bytes, defaults: dict) -> tuple[list[QuestionRecord], list[str]]:
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ImportRejected([RowError(None, None, _("this is not readable Moodle XML (%(cause)s)",
                                                     cause=unreadable.cause(exc, xml_file=True)))]) from None
    if root.tag != "quiz":
        raise ImportRejected([RowError(None, None, _("this XML file is not a Moodle quiz export (<quiz> is missing)"))])
    records, skipped, errors = [], [], []
    topic = defaults.get("topic", "")
    for index, question in enumerate(root.findall("question"), start=1):
        kind = question.get("type", "")
        if kind == "category":
            path = _text(question.find("category")).strip().rstrip("/")
            topic = path.split("/")[-1].replace("$course$", "").replace("$system$", "").strip() or topic
            continue
        name = _text(question.find("name")).strip() or f"#{index}"
        if kind not in ("multichoice", "truefalse", "shortanswer"):
            skipped.append(_("%(name)s (question %(n)d): type %(type)s is not taken", name=name, n=index, type=kind))
            continue
        images: dict[str, bytes] = {}
        stem = _html(question.find("questiontext"), images, index, errors)
        answers = question.findall("answer")
        try:  # bounded like every number in a file: 1e999999 would be stored as infinity
            points = t.parse_decimal(_text(question, "defaultgrade").strip()) or Decimal(1)
        except CellError as exc:
            errors.append(RowError(index, "points", f"{name}: defaultgrade {exc}"))
            continue
        common = dict(defaults, topic=topic or defaults.get("topic", ""))
        common["points"] = points if points > 0 else Decimal(1)  # Moodle's 0 is "not graded": one point here
        explanation = normalise_html(_text(question.find("generalfeedback")) or "")
        if kind == "truefalse":
            right = [a for a in answers if _fraction(a) == 100]
            if len(right) != 1:
                errors.append(RowError(index, "answer", _("%(name)s: a true/false question needs one right answer", name=name)))
                continue
            is_true = _text(right[0]).strip().lower() in ("true", "đúng", "1")
            records.append(QuestionRecord(ref=index, stem=stem, type="truefalse", options=list(TRUE_FALSE),
                                          answer=[0 if is_true else 1], keep_order=True, images=images,
                                          explanation=explanation, label=name, **common))
        elif kind == "multichoice":
            single = _text(question, "single").strip().lower() in ("true", "1", "")
            right = [i for i, a in enumerate(answers) if _fraction(a) == 100]
            if not single or len(right) != 1:
                skipped.append(_("%(name)s (question %(n)d): multiple-response questions are not taken", name=name, n=index))
                continue
            options = [_html(a, images, index, errors) for a in answers]
            keep = _text(question, "shuffleanswers").strip().lower() in ("0", "false")
            records.append(QuestionRecord(ref=index, stem=stem, options=options, answer=right, keep_order=keep,
                                          images=images, explanation=explanation, label=name, **common))
        else:
            accepted = [_text(a).strip() for a in answers if _fraction(a) == 100 and _text(a).strip() not in ("", "*")]
            records.append(QuestionRecord(ref=index, stem=stem, type="fill", answer=accepted, images=images,
                                          explanation=explanation, label=name, **common))
    if errors:
        raise ImportRejected(errors)
    return records, skipped
