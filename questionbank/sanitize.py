"""Formatting allowed in stems and options: a small allow-list of HTML, cleaned with nh3
(a maintained binding to the Ammonia sanitiser); everything else is removed."""
from __future__ import annotations

import html
import re

import nh3

TAGS = {"b", "strong", "i", "em", "u", "sub", "sup", "br", "p", "ul", "ol", "li", "table", "thead", "tbody",
        "tr", "th", "td", "img", "span", "code", "pre"}
ATTRIBUTES = {"img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_TAG = re.compile(r"<[^>]+>")
_IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"', re.IGNORECASE)
_HTML_HINT = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z#0-9]+;")


def clean(markup: str) -> str:
    """Sanitised HTML; images may only point at bank images by file name (no http, no data:)."""
    return nh3.clean(markup, tags=TAGS, attributes=ATTRIBUTES, url_schemes=set(), link_rel=None).strip()


def from_plain(text: str) -> str:
    return html.escape(text, quote=False)


def to_text(markup: str) -> str:
    """Text for search, fingerprints and spreadsheets' previews."""
    return html.unescape(_TAG.sub(" ", markup)).strip()


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def image_names(markup: str) -> list[str]:
    return _IMG_SRC.findall(markup)
