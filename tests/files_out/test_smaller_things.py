"""Item 10: smaller things users hit: unpadded candidate numbers, an unsorted version diff, an audit
log without filters."""
from __future__ import annotations

import re

from recruitment import audit
from recruitment.extensions import db
from results import service


def _row(app_id: int, code: str, rank: str, number: str, status: str) -> dict:
    return {"application_id": app_id, "position_code": code, "rank": rank, "candidate_number": number,
            "national_id": "", "full_name": f"Người {number}", "round1": "pass", "round2_written": "",
            "round2_interview": "", "round2_score": "", "priority_points": "", "total": "", "status": status, "reason": ""}


def test_the_version_diff_reads_in_list_order():
    old = [_row(i, code, "", str(i), "absent") for i, code in [(90, "B"), (7, "A"), (300, "A"), (12, "A")]]
    new = [_row(90, "B", "1", "90", "selected"), _row(7, "A", "", "7", "failed_round1"),
           _row(300, "A", "1", "300", "selected"), _row(12, "A", "2", "12", "not_selected")]
    order = [(n["position_code"], n["candidate_number"]) for _o, n in service.diff(old, new)]
    assert order == [("A", "300"), ("A", "12"), ("A", "7"), ("B", "90")]


def test_candidate_numbers_are_padded_on_the_results_pages(demo_round, client, make_user, login):
    login(make_user("chair", "council_chair"))
    page = client.get(f"/results/{demo_round.id}/versions/1").get_data(as_text=True)
    numbers = re.findall(r'<td class="num">(\d+)</td><td>', page)
    assert numbers and all(len(n) == 4 for n in numbers), numbers[:5]


def test_the_audit_log_filters_by_action_object_person_and_day(client, make_user, login):
    admin = make_user("admin1", "admin")
    audit.record("round_created", "round", 1, after={"code": "HP"}, actor="hr")
    audit.record("user_saved", "user", 2, after={"roles": ["hr"]}, actor="admin1")
    db.session.commit()
    login(admin)
    page = client.get("/audit/?action=round_created").get_data(as_text=True)
    assert "tạo kỳ tuyển dụng" in page and "lưu tài khoản</td>" not in page
    assert "HP" in page and '{"code"' not in page  # fields as words, not raw JSON
    assert "lưu tài khoản</td>" in client.get("/audit/?actor=admin1").get_data(as_text=True)
    assert "tạo kỳ tuyển dụng</td>" not in client.get("/audit/?object_type=user").get_data(as_text=True)
    assert "tạo kỳ tuyển dụng</td>" not in client.get("/audit/?from=01/01/2099").get_data(as_text=True)
    assert "tạo kỳ tuyển dụng</td>" in client.get("/audit/?to=01/01/2099").get_data(as_text=True)


def test_the_supervisor_is_offered_no_button_that_fails_on_submit(app, client):
    """G6: the supervision board reads everything and changes nothing: no page offers it a form
    button whose post it may not make."""
    from urllib.parse import urljoin, urlsplit

    from recruitment.access import may_use
    from recruitment.demo import demo_password
    from tests.support.demo_cache import demo_loaded

    demo_loaded(app)
    client.post("/login", data={"username": "supervisor", "password": demo_password("supervisor")})
    adapter = app.url_map.bind("localhost")
    queue, seen, offered = ["/"], set(), []
    while queue and len(seen) < 70:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for form in re.findall(r"<form\b.*?</form>", page, re.S | re.I):
            if 'method="post"' not in form.lower() or "<button" not in form or 'type="submit"' not in form:
                continue
            action = re.search(r'action="([^"]*)"', form.split(">", 1)[0])
            target = urlsplit(urljoin(url, action.group(1) if action else url)).path
            if target.startswith(("/logout", "/lang/")):
                continue
            endpoint, _args = adapter.match(target, method="POST")
            if not may_use({"supervisor"}, app.view_functions[endpoint].access, "POST"):
                offered.append(f"{url} -> {target}")
        for href in re.findall(r'href="([^"#]+)"', page):
            parts = urlsplit(urljoin(url, href))
            if not parts.netloc and not any(s in parts.path for s in ("/logout", "/static/", ".pdf", ".xlsx", ".csv", "/api/")):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert not offered, offered
