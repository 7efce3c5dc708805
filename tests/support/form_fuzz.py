"""Hostile forms for every page (tests/test_form_fuzz.py): the forms each role is shown on the demo
are found by walking its pages, the fields each view reads by reading its source, and every field is
sent a bounded, fixed list of hostile values, one field at a time over the form's own values. What
the app must never answer is a 500 (an exception); a refusal is a 4xx or a page that says why."""
from __future__ import annotations

import inspect
import io
import re
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import lxml.html
from sqlalchemy import BigInteger, Integer, Numeric, SmallInteger, event
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import RequestRedirect

from recruitment.extensions import db

ROOT = Path(__file__).resolve().parents[2]
# Each a str (sent UTF-8) or bytes (sent as they are, percent-encoded: not UTF-8 at all).
HOSTILE: list[str | bytes] = [
    "", "²", "١٢", "-1", "0", "1e308", "nan", "9" * 30, "x" * 5000, "<script>alert(1)</script>", "\x00",
    b"\xed\xa0\x80\xff", "2147483648", "31/02/2026", "9999-99-99T99:99", "0001-01-01T00:00", "9999-12-31T23:59",
    "9999-12-31", "0001-01-01", "31/12/9999",
]
# A download (an export, a PDF) is built whole for each request: its fields get these, all at once.
QUICK: list[str | bytes] = ["²", "-1", "9" * 30, "x" * 5000, "\x00", b"\xff\xfe"]
# Path segments that are text (a script code, a board code, a position code, an image name).
PATH_TEXT = ["²", "١٢", "x" * 300, "..", "%", " "]
MISSING_IDS = ["0", str(10**20)]
READS = re.compile(r"request\.(form|args|values|files)\.(?:get|getlist)\(\s*f?[\"']([\w\-{}]+)[\"']"
                   r"|request\.(form|args|values|files)\[\s*f?[\"']([\w\-{}]+)[\"']\s*\]")


@dataclass
class FoundForm:
    url: str
    method: str
    fields: list[tuple[str, str]]  # the page's own values, in order (a name may repeat)
    files: list[str] = field(default_factory=list)


def endpoint_of(app, url: str, method: str = "GET") -> tuple[str, dict] | None:
    parts = urlsplit(url)
    try:
        return app.url_map.bind("localhost").match(parts.path, method=method)
    except (HTTPException, RequestRedirect):
        return None


def forms_of(html: str, page_url: str) -> list[FoundForm]:
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for form in doc.forms:
        action = form.get("action") or page_url
        if not action.startswith("/"):
            continue
        fields, files = [], []
        for el in form.inputs:
            name = el.get("name")
            if not name or name == "csrf_token":
                continue
            tag, kind = el.tag, (el.get("type") or "text").lower()
            if kind == "file":
                files.append(name)
            elif tag == "select":
                options = [o.get("value", o.text or "") for o in el.iter("option")]
                chosen = [o.get("value", o.text or "") for o in el.iter("option") if o.get("selected") is not None]
                fields.append((name, (chosen or options or [""])[0]))
            elif kind in ("checkbox", "radio"):
                if el.get("checked") is not None or not any(n == name for n, _ in fields):
                    fields.append((name, el.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset"):
                if el.get("value") is not None:
                    fields.append((name, el.get("value")))
            elif tag == "textarea":
                fields.append((name, el.text or ""))
            else:
                fields.append((name, el.get("value", "")))
        found.append(FoundForm(action, (form.get("method") or "GET").upper(), fields, files))
    return found


def links_of(html: str) -> list[str]:
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    return [href for href in doc.xpath("//a/@href") if href.startswith("/") and not href.startswith("/static")]


def names_read_by(view) -> dict[str, set[str]]:
    """The form, query and file names a view's own source reads (request.form.get("x") and the like)."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return {}
    names: dict[str, set[str]] = {}
    for match in READS.finditer(source):
        where, name = match.group(1) or match.group(3), match.group(2) or match.group(4)
        names.setdefault(where, set()).add(re.sub(r"\{\w*\}", "0", name))  # f"c{i}": c0
    return names


def encoded(fields: list[tuple[str, str | bytes]], token: str | None) -> str:
    pairs = list(fields) + ([("csrf_token", token)] if token else [])
    return urlencode([(n, v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")) for n, v in pairs])


class NotStorable(Exception):
    """What SQLite stores and PostgreSQL refuses (StringDataRightTruncation, a NUL, integer out of range)."""


def _refused_by_postgresql(session, _context, _instances):
    for obj in list(session.new) + list(session.dirty):
        for attr in orm_inspect(obj).mapper.column_attrs:
            value, column = getattr(obj, attr.key, None), attr.columns[0]
            if isinstance(value, str):
                length = getattr(column.type, "length", None)
                if "\x00" in value or (length and len(value) > length):
                    raise NotStorable(f"{type(obj).__name__}.{attr.key}: {len(value)} characters "
                                      f"(at most {length}){', a NUL' if chr(0) in value else ''}")
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool) \
                    and isinstance(column.type, Numeric) and column.type.precision is not None:
                whole = column.type.precision - (column.type.scale or 0)
                if Decimal(value).is_finite() and not abs(Decimal(value)) < 10**whole:  # PostgreSQL keeps a NaN
                    raise NotStorable(f"{type(obj).__name__}.{attr.key}: {value} is beyond NUMERIC({column.type.precision}, "
                                      f"{column.type.scale})")
            elif isinstance(value, int) and not isinstance(value, bool) and isinstance(column.type, Integer) \
                    and not isinstance(column.type, BigInteger):
                limit = 2**15 - 1 if isinstance(column.type, SmallInteger) else 2**31 - 1
                if abs(value) > limit:
                    raise NotStorable(f"{type(obj).__name__}.{attr.key}: {value} is beyond a 32-bit integer")


def _nul_in_statement(_conn, _cursor, _statement, parameters, _context, _executemany):
    rows = parameters if isinstance(parameters, list) else [parameters]
    for row in rows:
        values = row.values() if isinstance(row, dict) else (row or ())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise NotStorable("a NUL in a statement's parameter (PostgreSQL refuses it)")


class strict_as_postgresql:
    """On SQLite, what PostgreSQL would refuse is an exception too, so that SQLite's run finds it."""

    def __init__(self, engine):
        self.engine = engine

    def __enter__(self):
        event.listen(Session, "before_flush", _refused_by_postgresql)
        event.listen(self.engine, "before_cursor_execute", _nul_in_statement)
        return self

    def __exit__(self, *exc):
        event.remove(Session, "before_flush", _refused_by_postgresql)
        event.remove(self.engine, "before_cursor_execute", _nul_in_statement)


@dataclass
class Crash:
    who: str
    method: str
    url: str
    fields: list
    error: str

    def __str__(self):
        shown = [(n, (v[:40] + "…") if isinstance(v, str) and len(v) > 40 else v) for n, v in self.fields]
        return f"{self.who} {self.method} {self.url} {shown}\n{self.error}"


@dataclass
class Sender:
    """Sends a request and records a 500 or an exception (TESTING propagates them) as a Crash."""
    client: object
    crashes: list = field(default_factory=list)
    sent: int = 0
    who: str = ""
    seen: set = field(default_factory=set)
    log: object = None
    page: str = ""  # the last answer's HTML, when it was a page

    def send(self, method: str, url: str, fields: list, token: str | None, files: list[str] = ()):
        self.sent += 1
        self.page = ""
        try:
            if method == "GET":
                query = encoded(fields, None)
                response = self.client.get(url.split("?")[0] + "?" + query if query else url)
            elif files:
                data = {}
                for n, v in fields:
                    data.setdefault(n, []).append(v.decode("latin-1") if isinstance(v, bytes) else v)
                for name in files:
                    data[name] = (io.BytesIO(b"PK\x03\x04 not a zip"), "x.xlsx")
                data["csrf_token"] = token
                response = self.client.post(url, data=data, content_type="multipart/form-data", csrf=False)
            else:
                response = self.client.post(url, data=encoded(fields, token), csrf=False,
                                            content_type="application/x-www-form-urlencoded")
            status = response.status_code
            if status == 200 and "html" in (response.content_type or ""):
                self.page = response.get_data(as_text=True)
            response.close()
            if status >= 500:
                self._crash(method, url, fields, f"status {status}")
            return status
        except NotFound:
            return 404
        except Exception as error:  # noqa: BLE001 (every exception is what the test looks for)
            frames = traceback.extract_tb(error.__traceback__)
            where = next((f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}" for f in reversed(frames)
                          if Path(f.filename).is_relative_to(ROOT) and not Path(f.filename).is_relative_to(ROOT / "tests")
                          and ".venv" not in f.filename), "?")
            self._crash(method, url, fields, f"{type(error).__name__}: {str(error)[:200]} at {where}")
            return 500
        finally:
            db.session.rollback()

    def _crash(self, method, url, fields, error):
        if self.log:
            print(f"CRASH {self.who} {method} {url} {[(n, v[:30] if isinstance(v, str) else v) for n, v in fields]}"
                  f"\n  {error}", file=self.log)
        key = (method, urlsplit(url).path, error.split(" at ")[-1] if " at " in error else error)
        if key not in self.seen:
            self.seen.add(key)
            self.crashes.append(Crash(self.who, method, url, list(fields), error))


def variants(fields: list[tuple[str, str]], id_values: dict[str, list[str]], quick: bool = False):
    """The form as it is, then each field (one of each numbered family) given each hostile value, then
    ids of other records for names that carry ids, then each name sent twice. Quick: every field given
    each of the QUICK values at once."""
    yield list(fields)
    if quick:
        for value in QUICK:
            yield [(n, value) for n, _ in fields]
        return
    # One of each numbered family (topic-0, topic-1, ...; c0, c1, ...): the others are read alike.
    names = list({re.sub(r"\d+", "#", n): n for n, _ in reversed(fields)}.values())[::-1]
    for name in names:
        values: list = list(HOSTILE) + [v for v in id_values.get(name, []) if v not in HOSTILE]
        for value in values:
            yield [(n, value if n == name else v) for n, v in fields if n != name or (n, v) == _first(fields, name)]
        yield list(fields) + [(name, "1"), (name, "x")]


def _first(fields, name):
    return next((n, v) for n, v in fields if n == name)
