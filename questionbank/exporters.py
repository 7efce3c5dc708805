"""Exports: .xlsx in the import format (export then import gives the same bank) and Moodle XML."""
from __future__ import annotations

import base64
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from recruitment.tabular import xlsx_bytes
from recruitment.vietnamese import without_controls

from .importers import spreadsheet
from .records import QuestionRecord


def to_xlsx(records: list[QuestionRecord]) -> bytes:
    """The import format; the points are a number cell (the importer reads numbers and text alike)."""
    rows = spreadsheet.rows(records)
    points = spreadsheet.HEADERS.index("points")
    for row, record in zip(rows, records, strict=True):
        row[points] = Decimal(record.points)
    return xlsx_bytes([("questions", spreadsheet.HEADERS, rows)])


def _text(parent: Element, tag: str, value: str, fmt: str | None = "html") -> Element:
    element = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = value
    return element


def to_moodle_xml(records: list[QuestionRecord], images: dict[str, bytes] | None = None) -> bytes:
    images = images or {}
    quiz = Element("quiz")
    topic = None
    for r in records:
        if r.topic != topic:
            topic = r.topic
            category = SubElement(quiz, "question", {"type": "category"})
            SubElement(SubElement(category, "category"), "text").text = f"$course$/{r.section}/{topic}"
        kind = {"single": "multichoice", "truefalse": "truefalse", "fill": "shortanswer"}[r.type]
        question = SubElement(quiz, "question", {"type": kind})
        SubElement(SubElement(question, "name"), "text").text = r.code
        stem = _text(question, "questiontext", r.stem.replace('src="', 'src="@@PLUGINFILE@@/'))
        for name, data in images.items():
            if f'src="{name}"' in r.stem:
                SubElement(stem, "file", {"name": name, "encoding": "base64"}).text = base64.b64encode(data).decode()
        _text(question, "generalfeedback", r.explanation)
        SubElement(question, "defaultgrade").text = str(r.points)
        if r.type == "single":
            SubElement(question, "single").text = "true"
            SubElement(question, "shuffleanswers").text = "0" if r.keep_order else "1"
            for i, option in enumerate(r.options):
                _text(question, "answer", option).set("fraction", "100" if i in r.answer else "0")
        elif r.type == "truefalse":
            for i, word in enumerate(("true", "false")):
                _text(question, "answer", word, "moodle_auto_format").set("fraction", "100" if i in r.answer else "0")
        else:
            for accepted in r.answer:
                _text(question, "answer", accepted, "moodle_auto_format").set("fraction", "100")
    # XML 1.0 cannot hold a control character, which ElementTree writes as it is: never a file Moodle refuses.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + without_controls(tostring(quiz, encoding="unicode")).encode()
