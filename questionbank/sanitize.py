"""Formatting allowed in every HTML field of a question (stem, options, explanation): ONE small
allow-list of HTML, cleaned with nh3 (a maintained binding to the Ammonia sanitiser); everything
else is removed. It is applied when a field comes in (files, forms, API) and again when it goes out
(the bank's pages, the candidate's paper), so a value stored by any other road is cleaned too."""
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
# The only link an allowed tag carries is <img src>, and it names a bank image: a bare file name, so
# no scheme at all (javascript:, data:, http:) and no host (//evil) or path (../) gets through.
BANK_IMAGE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")


# A size or a span is a whole number within reason: width="100000" on a 40-pixel picture blew it up
# over the candidate's whole paper, and colspan="100000" made a table browsers struggle to lay out.
BOUNDS = {"width": 1200, "height": 1200, "colspan": 20, "rowspan": 100}


def _only_bank_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if BANK_IMAGE_NAME.fullmatch(value) else None
    if attribute in BOUNDS:
        value = value.strip()
        return value if value.isascii() and value.isdigit() and 0 < int(value) <= BOUNDS[attribute] else None
    return value


def clean(markup: str) -> str:
    """Sanitised HTML; images may only point at bank images by file name (no http, no data:)."""
    return nh3.clean(markup, tags=TAGS, attributes=ATTRIBUTES, url_schemes=set(), link_rel=None,
                     attribute_filter=_only_bank_images).strip()


def from_plain(text: str) -> str:
    return html.escape(text, quote=False)


def to_text(markup: str) -> str:
    """Text for search, fingerprints and spreadsheets' previews."""
    if "<" not in markup and "&" not in markup:  # nothing to strip or unescape (most cells of a big file)
        return markup.strip()
    return html.unescape(_TAG.sub(" ", markup)).strip()


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def image_names(markup: str) -> list[str]:
    return _IMG_SRC.findall(markup)
