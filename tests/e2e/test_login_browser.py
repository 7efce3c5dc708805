"""A person logs in through the real page in Debian's chromium."""
from tests.support.browser import browser_login


def test_staff_member_logs_in_and_sees_home(live_server, page, make_user):
    with live_server.app.app_context():
        make_user("hr_e2e", "hr", full_name="Nguyễn Thị Lan")
    browser_login(page, live_server, "hr_e2e")
    assert "Nguyễn Thị Lan" in page.content()
