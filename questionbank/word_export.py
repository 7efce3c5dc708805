"""Export to Word (.docx) for review on paper, in the layout the Word importer reads
(docs/word-question-banks.md): a heading per section, topic and difficulty, "Câu N." and the options
"A. …" one per line, and with keys, the key in bold and the answer table at the end. Without keys,
nothing in the file tells the key. Export then import gives the same questions."""
from __future__ import annotations

import io
from itertools import groupby

from docx import Document
from docx.image.image import Image as DocxImage
from docx.shared import Cm, Pt
from flask_babel import gettext as _
from PIL import Image

from recruitment.vietnamese import without_controls

from . import image_check
from .records import LETTERS, QuestionRecord
from .sanitize import image_names, to_text

SECTION_WORDS = {"general": "Kiến thức chung", "language": "Ngoại ngữ", "professional": "Chuyên ngành"}
DIFFICULTY_WORDS = {1: "dễ", 2: "trung bình", 3: "khó"}


def _heading(record: QuestionRecord) -> str:
    # The importer's keys are Vietnamese in every language, like the board's own files.
    parts = [f"Phần: {SECTION_WORDS[record.section]}", f"Chủ đề: {record.topic}",
             f"Mức độ: {DIFFICULTY_WORDS[record.difficulty]}"]
    if record.positions:
        parts.append("Vị trí: " + ", ".join(record.positions))
    return " — ".join(parts)


def _plain(markup: str) -> str:
    """Text Word can hold: a control character stored before imports refused them would stop the export."""
    return without_controls(to_text(markup))


def placeable(data: bytes) -> bytes | None:
    """The picture as python-docx can place it: as stored when python-docx reads its size, else
    re-encoded by Pillow as a PNG; None when neither can read it.

    The bank takes any picture Pillow decodes whole, python-docx is stricter: it sizes a picture by the
    resolution its header states (a PNG stating 12 pixels a metre is 0 dpi to it, and it divides by
    zero) and knows a JPEG only by a JFIF or Exif header. The PNG Pillow writes states none, which
    python-docx reads as 72 dpi; the export gives every picture its width anyway."""
    try:
        header = DocxImage.from_blob(data)
        if header.width > 0 and header.height > 0:  # px / dpi: what python-docx divides by
            return data
    except Exception:  # noqa: BLE001 - UnrecognizedImageError, ZeroDivisionError, struct.error...
        pass
    try:
        image_check.check("picture", data)  # the bank's bounds, before Pillow decodes a picture stored long ago
        with Image.open(io.BytesIO(data)) as image:
            transparent = "A" in image.getbands() or "transparency" in image.info
            out = io.BytesIO()
            image.convert("RGBA" if transparent else "RGB").save(out, "PNG")  # lossless: the pixels as stored
            return out.getvalue()
    except Exception:  # noqa: BLE001 - image_check's refusal, or Pillow's many ways to fail
        return None


def _add_picture(run, name: str, data: bytes, width) -> None:
    """The picture in the run, or where no reader can place it a note naming it: one picture never
    stops the export of the bank."""
    picture = placeable(data)
    if picture is None:
        run.add_text(_("[picture %(name)s cannot be shown]", name=name))
    else:
        run.add_picture(io.BytesIO(picture), width=width)


def _add_markup(document, paragraph, markup: str, images: dict[str, bytes]) -> None:
    """The text of sanitised HTML, and its pictures after it (Word has no HTML)."""
    paragraph.add_run(_plain(markup))
    for name in image_names(markup):
        if name in images:
            _add_picture(document.add_paragraph().add_run(), name, images[name], Cm(10))


def to_docx(records: list[QuestionRecord], images: dict[str, bytes] | None = None, *, keys: bool = True,
            title: str = "") -> bytes:
    images = images or {}
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    document.add_heading(without_controls(title or _("Question bank")), level=0)
    document.add_paragraph(_("With keys: the key is in bold and in the answer table at the end.") if keys else
                           _("Without keys."))
    ordered = sorted((r for r in records if r.type != "fill"),
                     key=lambda r: (r.section, r.topic, r.difficulty, tuple(r.positions)))
    table_rows, number = [], 0
    for heading, group in groupby(ordered, key=_heading):
        document.add_heading(without_controls(heading), level=1)
        for record in group:
            number += 1
            stem = document.add_paragraph()
            stem.add_run(f"Câu {number}. ").bold = True
            _add_markup(document, stem, record.stem, images)
            for i, option in enumerate(record.options):
                line = document.add_paragraph(style=None)
                line.paragraph_format.left_indent = Cm(0.75)
                line.add_run(f"{LETTERS[i]}. ")
                run = line.add_run(_plain(option))
                run.bold = keys and i in record.answer
                for name in image_names(option):
                    if name in images:
                        _add_picture(line.add_run(), name, images[name], Cm(4))
            table_rows.append((number, LETTERS[record.answer[0]] if record.answer else ""))
    if keys and table_rows:
        document.add_heading("Đáp án", level=1)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Câu", "Đáp án"
        for n, letter in table_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(n), letter
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
