"""Driving pages in a real browser: the served app's address, Debian's chromium, and the steps every
browser test takes (log in, post a form and wait for the page that answers)."""
from __future__ import annotations

import re

from tests.support.auth import PASSWORD

# The exam page's address; once the paper is shown (at once, when the page carries it) the page keeps
# the question in the fragment, "#q3": a pattern without it would miss the page it waits for.
EXAM_PAGE = re.compile(r"/exam/candidate/(#q\d+)?$")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


class LiveServer:
    def __init__(self, app, url: str):
        self.app, self.url = app, url

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def submit(page, selector: str) -> None:
    """Clicks a button that posts a form and waits for the page that answers: a bare click can
    return before that page has loaded, and what is read next would then be the old page."""
    with page.expect_navigation():
        page.click(selector)


def browser_login(page, server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(server("/login"))
    page.fill("#username", username)
    page.fill("#password", password)
    submit(page, "#login-submit")
    page.wait_for_url(lambda url: "/login" not in url)
