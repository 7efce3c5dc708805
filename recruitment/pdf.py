"""PDF building blocks shared by every report: a Unicode font that renders Vietnamese, styles, and
a document with page numbers and a footer line (version, digest) on every page.

reportlab reads a Paragraph's text as its own markup (<b>, <img src=...>, <para>): text typed by
people (names, reasons, titles) goes through `escape` / `para` here, the one place that makes it
plain text, so that a name never embeds a server file nor breaks the document."""
from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=FONT_BOLD, fontSize=15, leading=19),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=FONT_BOLD, fontSize=12, leading=15),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=13),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontName=FONT, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontName=FONT, fontSize=8, leading=10),
    }


def escape(text: object) -> str:
    """Text as plain characters inside reportlab's paragraph markup."""
    return _xml_escape("" if text is None else str(text))


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of data: names, reasons and titles typed by people are escaped, never read as markup."""
    return Paragraph(escape(text), style)


def heads(texts: list[str], st: dict[str, ParagraphStyle]) -> list[Paragraph]:
    """Header cells in bold that wrap inside narrow columns instead of running into the next one."""
    bold = ParagraphStyle("cell_bold", parent=st["cell"], fontName=FONT_BOLD)
    return [para(t, bold) for t in texts]


def table(rows: list[list], col_widths: list[float] | None = None, header_rows: int = 1) -> Table:
    """A grid table whose header repeats on every page. A row taller than what is left of a page (a
    long reason typed by a person) is split across pages, its paragraphs and lines continuing on the
    next: reportlab otherwise moves a row whole, and a row taller than a page stops the document
    (LayoutError) however it was typed."""
    register_fonts()
    t = Table(rows, colWidths=col_widths, repeatRows=header_rows, splitInRow=1)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 8),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8ecf0")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a949e")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t


def build(story: Iterable[Flowable], *, title: str, footer: str = "", landscape_pages: bool = False,
          page_label: str = "Page %(page)d") -> bytes:
    """Renders the story; every page carries the footer line and its page number."""
    register_fonts()
    out = io.BytesIO()
    size = landscape(A4) if landscape_pages else A4

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawString(15 * mm, 8 * mm, footer)
        canvas.drawRightString(size[0] - 15 * mm, 8 * mm, page_label % {"page": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=size, title=title, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm)
    doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()
