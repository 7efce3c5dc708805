"""E4 on the public side: every published position's list opens from the public index, whatever its
code (formats.md: a code is free text, unique within the round). The list's address took the code as
one path segment, so a code with a slash ("CV/TC-01", as agencies number their positions) linked to
a page that answered 404."""
from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import round1_result, round2_score
from results import service
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, application_row, write_xlsx

CODES = ("CV/TC-01", "KT 02")


def _published_with_codes(tmp_path):
    """A round of two written-test positions with these codes, a candidate in each, published."""
    round_ = make_round("R1")
    positions = [[code, f"Chuyên viên {i}", "Sở Tài chính", "chuyen_vien", 1, "written", "dai_hoc", ""]
                 for i, code in enumerate(CODES, 1)]
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, positions).read_bytes())
    rows = [application_row("031000000001", "Nguyễn Văn An", position=CODES[0]),
            application_row("031000000002", "Lê Thị Bình", position=CODES[1])]
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        assert a.status == "admitted", a.reject_reason
        r1 = round1_result(a.id)
        r1.correct, r1.total, r1.source = Decimal(40), 60, "import"
        round2_score(a.id).written = Decimal(70)
    db.session.commit()
    service.publish(round_, "chair", "v1")
    db.session.commit()
    return round_


def test_every_position_list_opens_from_the_public_index_whatever_its_code(app, client, tmp_path):
    round_ = _published_with_codes(tmp_path)
    index = client.get("/public/results/").get_data(as_text=True)
    links = [unescape(h) for h in re.findall(r'href="(/public/results/\d+/[^"]+)"', index)]
    assert len(links) == 2, index
    for link, name in zip(links, ("Nguyễn Văn An", "Lê Thị Bình"), strict=True):
        page = client.get(link)
        assert page.status_code == 200, (link, page.status_code)
        assert name in page.get_data(as_text=True)
    assert client.get(f"/public/results/{round_.id}/CV/TC-01").status_code == 200
    assert client.get(f"/public/results/{round_.id}/CV").status_code == 404  # no position of that code
    assert client.get("/public/results/lookup").status_code == 200  # the look-up keeps its own address
