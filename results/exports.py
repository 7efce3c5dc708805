"""The published list as CSV (exactly formats.md), XLSX (a sheet per position) and PDF (a table per
position, page numbers, the version and its digest on every page, the chair's signature block)."""
from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from recruitment import pdf
from recruitment.i18n import candidate_number, format_number
from recruitment.labels import label
from recruitment.tabular import csv_bytes, xlsx_bytes

from .service import CSV_COLUMNS


def to_csv(rows: list[dict]) -> bytes:
    return csv_bytes(CSV_COLUMNS, [[r[k] for k in CSV_COLUMNS] for r in rows])


LABELLED = {"round1": "round1_result", "status": "result_status"}
SCORE_COLUMNS = ("round2_written", "round2_interview", "round2_score", "priority_points", "total")


def _xlsx_value(column: str, value: str):
    """Typed cells: the rank is a whole number and the scores are numbers with 2 decimals."""
    if value in ("", None):
        return None
    if column == "rank":
        return int(value)
    if column in SCORE_COLUMNS:
        return Decimal(value)
    if column == "candidate_number":
        return number_label(value)
    if column in LABELLED:
        return label(value, LABELLED[column])
    return value


def _headers() -> list[str]:
    return [_("Position"), _("Rank"), _("No."), _("National ID"), _("Full name"), _("Round 1"), _("Written"),
            _("Interview"), _("Round 2"), _("Priority"), _("Total"), _("Status"), _("Reason")]


def to_xlsx(rows: list[dict]) -> bytes:
    """For people (the CSV is the machine format): headers in words, codes as labels, typed cells."""
    sheets = []
    for code, group in groupby(rows, key=lambda r: r["position_code"]):
        sheets.append((code, _headers(), [[_xlsx_value(k, r[k]) for k in CSV_COLUMNS] for r in group]))
    return xlsx_bytes(sheets or [("results", _headers(), [])])


number_label = candidate_number  # 4 digits (0083), as the tickets print them


def _num(value: str) -> str:
    return format_number(float(value)) if value else ""


def to_pdf(rows: list[dict], *, title: str, version: int, digest: str, positions: dict[str, str],
           chair: str = "") -> bytes:
    """positions: code -> name. Numbers take the decimal comma in Vietnamese."""
    st = pdf.styles()
    headers = [_("Rank"), _("No."), _("Full name"), _("Round 1"), _("Written"), _("Interview"), _("Round 2"),
               _("Priority"), _("Total"), _("Status"), _("Reason")]
    widths = [12 * mm, 14 * mm, 42 * mm, 20 * mm, 16 * mm, 16 * mm, 16 * mm, 14 * mm, 16 * mm, 24 * mm, 77 * mm]
    story = [pdf.para(title, st["title"])]
    first = True
    for code, group in groupby(rows, key=lambda r: r["position_code"]):
        if not first:
            story.append(PageBreak())
        first = False
        story.append(pdf.para(f"{code} — {positions.get(code, '')}", st["h2"]))
        table = [headers] + [[r["rank"], number_label(r["candidate_number"]), pdf.para(r["full_name"], st["cell"]), label(r["round1"], "round1_result"),
                              _num(r["round2_written"]), _num(r["round2_interview"]), _num(r["round2_score"]),
                              _num(r["priority_points"]), _num(r["total"]), pdf.para(label(r["status"], "result_status"), st["cell"]),
                              pdf.para(r["reason"], st["cell"])] for r in group]
        story.append(pdf.table(table, widths))
    story += [Spacer(1, 12 * mm), pdf.para(_("CHAIR OF THE RECRUITMENT COUNCIL"), st["h2"]),
              Spacer(1, 18 * mm), pdf.para(chair or _("(signature, full name and seal)"), st["body"])]
    footer = _("Version %(v)d · SHA-256 %(d)s", v=version, d=digest)
    return pdf.build(story, title=title, footer=footer, landscape_pages=True, page_label=_("Page %(page)d"))
