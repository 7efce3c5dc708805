"""One module per file format, each turning a file into the same plain QuestionRecords; adding a
format is adding a module and a line in FORMATS."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruitment import labels
from recruitment.tabular import ImportRejected, RowError

from ..record_checks import validate
from ..records import QuestionRecord
from . import aiken, gift, moodle_xml, spreadsheet, word


@dataclass
class ParsedFile:
    format: str
    records: list[QuestionRecord]
    skipped: list[str] = field(default_factory=list)


def _spreadsheet(filename, data, _defaults):
    return spreadsheet.parse(filename, data), []


def _aiken(filename, data, defaults):
    return aiken.parse(filename, data, defaults), []


FORMATS: dict[str, Callable] = {
    "spreadsheet": _spreadsheet, "moodle_xml": moodle_xml.parse, "gift": gift.parse, "aiken": _aiken,
    "docx": word.parse,
}
# The formats as the preview names them to the setter (it showed the code: "format: moodle_xml").
FORMAT_LABELS = labels.register("question_file_format", {
    "spreadsheet": _l("spreadsheet (.xlsx, .csv)"), "moodle_xml": _l("Moodle XML"), "gift": _l("GIFT"),
    "aiken": _l("Aiken"), "docx": _l("Word (.docx)"),
})
VALIDATED_BY_PARSER = ("spreadsheet", "docx")  # they name the row or question themselves


def detect(filename: str, data: bytes) -> str:
    lower = filename.lower()
    if lower.endswith((".xlsx", ".csv")):
        return "spreadsheet"
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".xml"):
        return "moodle_xml"
    if lower.endswith((".gift", ".gift.txt")):
        return "gift"
    head = data[:4096].decode("utf-8", "ignore")
    if head.lstrip().startswith("<?xml") or "<quiz" in head:
        return "moodle_xml"
    if "::" in head or "{" in head:
        return "gift"
    if "ANSWER:" in head.upper():
        return "aiken"
    raise ImportRejected([RowError(None, None, _("the format of %(name)s is not recognised: use .xlsx, .csv, "
                                                  "Moodle .xml, GIFT, Aiken .txt or Word .docx", name=filename))])


def parse(filename: str, data: bytes, defaults: dict | None = None, fmt: str | None = None) -> ParsedFile:
    """defaults: section, positions, difficulty, topic for the formats that do not carry them."""
    defaults = {"section": "general", "positions": [], "difficulty": 2, **(defaults or {})}
    if not data.strip():
        raise ImportRejected([RowError(None, None, _("the file is empty"))])
    fmt = fmt or detect(filename, data)
    records, skipped = FORMATS[fmt](filename, data, defaults)
    errors = [e for r in records for e in validate(r)] if fmt not in VALIDATED_BY_PARSER else []
    if errors:
        raise ImportRejected(errors)
    if not records:
        raise ImportRejected([RowError(None, None, _("no question of a type the bank takes was found"))])
    return ParsedFile(fmt, records, skipped)
