"""The selection letter (F1): one page per selected candidate with the dossier code that opens their
dossier and the deadline to hand the documents in. The code exists only here (the database keeps a
hash), so the letters are made once, when the dossiers open or a new code is issued."""
from __future__ import annotations

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from recruitment import pdf

from .models import Dossier


def selection_letters(issued: list[tuple[Dossier, str]]) -> bytes:
    st = pdf.styles()
    story = []
    for index, (dossier, code) in enumerate(issued):
        a = dossier.application
        rows = [[_("Candidate number"), a.number_label], [_("Full name"), pdf.para(a.full_name, st["cell"])],
                [_("Date of birth"), a.date_of_birth.strftime("%d/%m/%Y")],
                [_("Position"), pdf.para(a.position.name, st["cell"])],
                [_("Dossier deadline"), dossier.deadline.strftime("%d/%m/%Y")], [_("Dossier code"), code]]
        story += [pdf.para(_("SELECTION LETTER"), st["h2"]), pdf.para(a.round.name, st["body"]), Spacer(1, 4 * mm),
                  pdf.table(rows, [45 * mm, 110 * mm], header_rows=0), Spacer(1, 4 * mm),
                  pdf.para(_("Open your dossier with your candidate number, date of birth and this code, and hand in "
                             "your documents by the deadline: an incomplete dossier at the deadline cancels the "
                             "selection (F1, F3). Keep the code secret."), st["small"])]
        if index < len(issued) - 1:
            story.append(PageBreak())
    return pdf.build(story, title=_("Selection letters"), page_label=_("Page %(page)d"))
