"""G2's reading log on the audit page (G6: in words): the filters of a bank list and the format of an
export were shown as their keys (q, author, type, format, keys), and the author filter's user id "1"
read as "dễ", the label of difficulty 1: a value was labelled with any catalogue that knew it."""
from __future__ import annotations

import re

from recruitment.extensions import db


def _changes(client) -> str:
    html = client.get("/audit/").get_data(as_text=True)
    cells = re.findall(r'<td class="changes">(.*?)</td>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", c) for c in cells)


def test_the_bank_reading_log_reads_in_words(app, make_user, login):
    setter = make_user("qs1", "question_setter", full_name="Người Ra Đề")
    chair = make_user("ct1", "council_chair", locale="vi")
    db.session.commit()
    assert setter.id == 1  # the id that read as difficulty 1's label
    client = login(setter)
    assert client.get(f"/questions/?q=hien+phap&author={setter.id}&type=single&difficulty=2").status_code == 200
    assert client.get("/questions/export.docx?keys=1").status_code == 200
    shown = _changes(login(chair))
    for key in ("q", "author", "type", "format", "keys", "difficulty"):
        assert not re.search(rf"(^|\s){key}:", shown), f"{key} shown as its key: {shown}"
    assert "Người Ra Đề" in shown or "qs1" in shown  # the author filter names the author
    assert "dễ" not in shown and "trung bình" in shown  # difficulty 2 is labelled, nothing else is
    assert "hien phap" in shown and "docx" in shown
