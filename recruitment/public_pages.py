"""Whole public pages, rendered once per process for what they show.

Results day's pages (the published lists, the look-up's form) are the same for every anonymous
visitor but for one thing: the CSRF token of the visitor's own session, in the page's forms. So such
a page is rendered once per (path, language, what it shows), with a stand-in where the token
goes, and each visitor's own token is put into the kept text; so is the one part of a page that is
the visitor's own (a look-up's result), rendered alone. Rendering was most of what these pages cost
(a visitor of results day opens two or three of them).

A page is kept only for a visitor it would look the same to: not logged in (no name, no menu), no
message waiting to be shown, no query string (the language form sends the page's address back), and
only under its own address (one page, one entry)."""
from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import current_app, g, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

# What a token looks like to a template while a kept page is rendered: URL-safe, so escaping leaves
# it as it is, and drawn per process, so no text a user typed can be taken for it.
STAND_IN = f"csrf{secrets.token_hex(16)}"
PART = f"part{secrets.token_hex(16)}"  # where a kept page takes the part that is the visitor's own
# Characters kept per worker, the least recently shown page going first: a position's list of 250
# people is about 100,000; results day's round in two languages is 40 pages.
LONGEST = 16_000_000

_pages: OrderedDict[tuple, str] = OrderedDict()
_kept = 0  # characters in _pages
_lock = Lock()


def page(shows: Hashable, render: Callable[[], str], part: str = "") -> str:
    """The page render() makes, kept under what it shows (every value on it, so that a change of
    any renders anew) for the visitors it is the same for. A page with a part of the visitor's own
    (a look-up's result) is rendered with PART where `part` goes."""
    if current_user.is_authenticated or session.get("_flashes") or request.query_string \
            or url_for(request.endpoint, **request.view_args) != request.script_root + request.path:
        return render().replace(PART, part)  # not kept either under another spelling of its address (/01/)
    key = (request.script_root, request.path, str(get_locale()), shows)
    with _lock:
        kept = _pages.get(key)
        if kept is not None:
            _pages.move_to_end(key)
    if kept is None:
        kept = _rendered_with_stand_in(render)
        _keep(key, kept)
    # The token first: the part holds what users typed, which then cannot be taken for a stand-in.
    return kept.replace(STAND_IN, escape(generate_csrf())).replace(PART, part)


def forget() -> None:
    """Drops every kept page (the tests' fresh start)."""
    global _kept
    with _lock:
        _pages.clear()
        _kept = 0


def _keep(key: tuple, text: str) -> None:
    global _kept
    with _lock:
        if key not in _pages:
            _pages[key] = text
            _kept += len(text)
        while _kept > LONGEST and len(_pages) > 1:
            _kept -= len(_pages.popitem(last=False)[1])


def _rendered_with_stand_in(render: Callable[[], str]) -> str:
    # Flask-WTF keeps the request's token in g under the field's name, and every form and
    # csrf_token() of the request reads it from there.
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    held = g.pop(field, None)
    setattr(g, field, STAND_IN)
    try:
        return render()
    finally:
        g.pop(field)
        if held is not None:
            setattr(g, field, held)
