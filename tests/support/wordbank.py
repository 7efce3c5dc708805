"""Word question banks for the importer's tests: the two sample files of tests/fixtures/ and small
.docx files written on the spot."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GENERAL = FIXTURES / "ngan-hang-kien-thuc-chung.docx"
PROFESSIONAL = FIXTURES / "ngan-hang-chuyen-nganh.docx"


def word_file(*paragraphs, table=None) -> bytes:
    """A small .docx: ("h2", text) for a heading, a plain string for a paragraph, and an optional
    table (a list of rows of strings) after them."""
    document = Document()
    for item in paragraphs:
        if isinstance(item, tuple) and item[0].startswith("h"):
            document.add_heading(item[1], level=int(item[0][1]))
        else:
            document.add_paragraph(item)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
