"""Item 9: no stored code from the models' value lists ever reaches a reader. Every demo role logs in,
in Vietnamese and in English, and the GET pages reachable from its menu (and the pages they link
to, bounded) are read as text; so are the PDFs (pypdf) and the XLSX files (openpyxl) they link to.
The CSV files are the documented machine format (formats.md) and keep their codes."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from exam.models import ATTEMPT_STATUSES, TEST_KINDS
from questionbank.models import STATUSES as QUESTION_STATUSES
from questionbank.models import TYPES as QUESTION_TYPES
from recruitment.demo import STAFF, demo_password
from recruitment.extensions import db
from recruitment.models import User
from recruitment.rulesets import DEGREE_LEVELS, GRADES, SECTIONS
from recruitment.scores import SANCTIONS
from tests.support.demo_cache import demo_loaded
from verification.importing import OUTCOMES
from verification.models import DECISIONS, KINDS

RESULT_STATUSES = ("selected", "tie_pending", "not_selected", "failed_round1", "failed_round2", "absent", "voided",
                   "cancelled")
ROUND1_RESULTS = ("pass", "fail", "absent", "voided", "not_required")  # formats.md
CODES = set(GRADES + DEGREE_LEVELS + SECTIONS + SANCTIONS + ATTEMPT_STATUSES + TEST_KINDS + QUESTION_STATUSES
            + QUESTION_TYPES + KINDS + DECISIONS + OUTCOMES + RESULT_STATUSES + ROUND1_RESULTS)
# In English these codes are ordinary words, and the labels are made of them ("absent", "selected",
# "General knowledge", "Diploma"): only the codes no English sentence contains are looked for there.
# In Vietnamese every code is looked for.
ENGLISH_WORDS = {c for c in CODES if "_" not in c and c != "truefalse"}
MAX_PAGES = 45  # per role and language: the menu's pages and what they link to, bounded
# The question bank's .xlsx export and template, and HR's positions and applications templates, are
# import formats (formats.md: grades, degree levels and sections are codes there, and an export
# imports back as the same bank), machine formats like the CSVs.
# The proctor console (/exam/sittings/<id>) and its sanction labels are the exam-day screens' work,
# done on another branch; its printed papers (room list, score slip) are read here.
CONSOLE = re.compile(r"^/exam/sittings/\d+$")
SKIP = ("/logout", "/lang/", "/static/", "/login", ".csv", "/api/", "/questions/export.", "/questions/template.",
        "/hr/templates/")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.links, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _shown_codes(text: str, lang: str) -> set[str]:
    codes = CODES - ENGLISH_WORDS if lang == "en" else CODES
    return {c for c in codes if re.search(rf"(?<![\w/.-]){re.escape(c)}(?![\w/.-])", text)}


def _document_text(url: str, data: bytes) -> str | None:
    if url.split("?")[0].endswith(".pdf") and data.startswith(b"%PDF"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if url.split("?")[0].endswith(".xlsx") and data.startswith(b"PK"):
        book = load_workbook(io.BytesIO(data))
        return "\n".join(str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row
                         if v is not None)
    return None


def _documents() -> dict[str, list[str]]:
    """The papers each role prints, read first: the crawl's bound must not leave them out."""
    from exam.day.models import Placement, Room

    room = db.session.scalar(db.select(Room).order_by(Room.id))
    placement = db.session.scalar(db.select(Placement).order_by(Placement.id))
    sitting = f"/exam/sittings/{room.sitting_id}"
    # A sanction in the room, so that its label is printed (B6).
    placement.attempt.sanction = "warning"
    db.session.commit()
    return {"council_chair": ["/results/1/versions/1.pdf", "/results/1/versions/1.xlsx"],
            "proctor": [f"{sitting}/rooms/{room.id}/results.pdf", f"/exam/sittings/placements/{placement.id}/slip.pdf"],
            "hr": ["/interviews/documents/rounds/1/schedule.xlsx", "/interviews/documents/rounds/1/schedule.pdf"],
            "": ["/public/results/", "/public/results/lookup"]}


def _crawl(client, lang: str, first: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    queue, seen = [*first, "/"], set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.mimetype in ("application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
            text = _document_text(url, response.data) or ""
        elif response.mimetype == "text/html":
            page = _Page()
            page.feed(response.get_data(as_text=True))
            text = " ".join(page.text)
            for href in page.links:
                target = urljoin(url, href)
                parts = urlsplit(target)
                if parts.netloc or any(s in target for s in SKIP) or target in seen:
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        else:
            continue
        shown = _shown_codes(text, lang)
        if shown and not CONSOLE.match(url):
            found[url] = shown
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_code_reaches_a_reader(app, client, lang):
    demo_loaded(app)
    documents = _documents()
    leaks = {}
    with client.session_transaction() as session:
        session["lang"] = lang
    for url, codes in _crawl(client, lang, documents[""]).items():
        leaks[f"public {url}"] = sorted(codes)
    for username, _name, _roles in STAFF:
        user = db.session.scalar(db.select(User).filter_by(username=username))
        user.locale = lang
        db.session.commit()
        client.post("/login", data={"username": username, "password": demo_password(username)})
        for url, codes in _crawl(client, lang, documents.get(username, [])).items():
            leaks[f"{username} {url}"] = sorted(codes)
        client.post("/logout")
    assert not leaks, "\n".join(f"{k}: {v}" for k, v in sorted(leaks.items()))
