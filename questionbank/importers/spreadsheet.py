"""The spreadsheet format of formats.md (.xlsx and .csv)."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import gettext as _

from recruitment import tabular as t
from recruitment.rulesets import SECTIONS
from recruitment.tabular import CellError, Column, ImportRejected, RowError
from recruitment.xlsx_cells import Percent

from ..models import Question
from ..record_checks import validate
from ..records import LETTERS, TRUE_FALSE, QuestionRecord, normalise_html

OPTION_VI = "phuong_an_"


def _difficulty(value) -> int:
    number = t.parse_int(value)
    if number not in (1, 2, 3):
        raise CellError(_("difficulty must be 1, 2 or 3"))
    return number


def _shown(value) -> str:
    """A cell of a question's text as the setter sees it in Excel, which makes 28/11/2013 typed in a
    cell a date: written as Vietnamese write it, not as Python prints a datetime (2013-11-28 00:00:00),
    on the paper and in a fill-in key; and a percentage as the cell shows it, not as the 0.1 it keeps."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Percent):  # 10% typed in a cell, which Excel keeps as 0.1
        return value.shown()
    return "" if value is None else str(value)


def _points(value) -> Decimal:
    number = t.parse_decimal(value)
    return Decimal(1) if number is None else number


COLUMNS = [
    Column("code", "ma_cau", False, t.text, "", max_length=t.length_of(Question.code)),
    Column("section", "phan_thi", True, t.one_of(*SECTIONS), "general"),
    Column("positions", "vi_tri", False, t.split_list, ""),
    Column("topic", "chu_de", True, t.required_text, "Hiến pháp", max_length=t.length_of(Question.topic)),
    Column("difficulty", "do_kho", True, _difficulty, "1"),
    Column("type", "loai", False, lambda v: t.text(v).lower() or "single", "single"),
    Column("stem", "noi_dung", True, _shown, "Hiến pháp hiện hành của nước Cộng hòa xã hội chủ nghĩa Việt Nam được Quốc hội thông qua năm nào?"),
    *[Column(letter.lower(), OPTION_VI + letter.lower(), False, _shown, example)
      for letter, example in zip(LETTERS, ["1992", "2001", "2013", "2015", "", ""], strict=True)],
    Column("answer", "dap_an", True, lambda v: _shown(v) if isinstance(v, date) else t.text(v), "C"),
    Column("points", "diem", False, _points, "1"),
    Column("explanation", "giai_thich", False, t.text, "Hiến pháp năm 2013, thông qua ngày 28/11/2013."),
]
HEADERS = [c.name for c in COLUMNS]


def parse(filename: str, data: bytes) -> list[QuestionRecord]:
    table = t.read_table(filename, data, COLUMNS)
    if table.errors and not table.rows:
        raise ImportRejected(table.errors, table.order)
    records, errors = [], list(table.errors)
    broken = {e.row for e in table.errors}
    rows, table.rows = table.rows, []
    rows.reverse()
    while rows:  # each row's cells are let go as its record is made: holding both would add to the peak
        number, row = rows.pop()
        if number in broken:
            continue  # its cells could not be read; the rest of the file is still checked
        kind = row["type"]
        filled = [str(row.get(x.lower()) or "").strip() != "" for x in LETTERS]
        gap = next((i for i in range(len(LETTERS)) if not filled[i] and any(filled[i + 1:])), None)
        if gap is not None:  # F2: the key is a letter; closing the gap would move it to another option
            errors.append(RowError(number, table.header_of(LETTERS[gap].lower()),
                                   _("option %(empty)s is empty but a later option is filled: fill the options in "
                                     "order, from A", empty=LETTERS[gap])))
            continue
        options = [normalise_html(row[x.lower()]) for x in LETTERS if filled[LETTERS.index(x)]]
        if kind == "truefalse" and not options:
            options = list(TRUE_FALSE)
        raw_answer = row["answer"]
        if kind == "fill":
            answer = t.split_list(raw_answer)
        else:
            letter = raw_answer.strip().upper()
            if len(letter) != 1 or letter not in LETTERS:
                errors.append(RowError(number, "answer", _("'%(value)s' is not an option letter (A-F)", value=raw_answer)))
                continue
            answer = [LETTERS.index(letter)]
        record = QuestionRecord(
            ref=number, stem=normalise_html(row["stem"]), type=kind, options=options, answer=answer,
            section=row["section"], positions=row["positions"] or [], topic=row["topic"],
            difficulty=row["difficulty"], points=row["points"], explanation=normalise_html(row["explanation"] or ""),
            code=row["code"] or "", keep_order=kind == "truefalse")
        errors.extend(validate(record, table.header_of))  # named as the file wrote the header
        records.append(record)
    if errors:
        raise table.rejected(errors)
    return records


def rows(records) -> list[list]:
    """The inverse of parse, for the export: one row per record, in HEADERS order."""
    out = []
    for r in records:
        options = list(r.options) + [""] * (len(LETTERS) - len(r.options))
        answer = "; ".join(r.answer) if r.type == "fill" else LETTERS[r.answer[0]]
        out.append([r.code, r.section, "; ".join(r.positions), r.topic, r.difficulty, r.type, r.stem, *options,
                    answer, float(r.points) if r.points == int(r.points) else str(r.points), r.explanation])
    return out
