"""Vietnamese first, English second: locale choice and the formats users expect."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, to_user_timezone, to_utc
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .database import utcnow

_VIETNAMESE = Locale.parse("vi")


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI: its commands choose with force_locale (--lang)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def install_template_translations(app) -> None:
    """Templates translate a few dozen strings per page, and for each Flask-Babel looks the request's
    locale and catalogue up again (three lookups of its context and the locale formatted to text): at
    the start of a sitting, a tenth of the exam page's cost. Here the catalogue is looked up once per
    request. Call after babel.init_app, which installs its own."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    # `_` is the commonest call of a page (the exam page, the first answer of a sitting's log-in, has
    # some forty): Jinja's own resolves gettext and calls it through two more layers, each inspecting
    # the function it calls, and each call looked the request's catalogue up again. The same newstyle
    # gettext, called directly, with the catalogue looked up once per page (a context processor runs
    # once per render); the global one serves a macro imported without the page's context.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _newstyle(
        lambda string: _request_translations().ugettext(string))

    @app.context_processor
    def _page_gettext() -> dict:
        page_gettext = _newstyle(_request_translations().ugettext)
        return {"_": page_gettext, "gettext": page_gettext}


def _newstyle(translate):
    """Jinja's newstyle gettext (jinja2.ext): the translation is trusted markup in an autoescaped
    template, and always a format string, whose variables are escaped."""
    @pass_context
    def gettext(context, string: str, /, **variables) -> str:  # a variable may be named "context" or "string"
        translated = translate(string)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables
    return gettext


def _request_translations():
    # Kept beside the locale on Flask-Babel's own request state (g._flask_babel, Flask-Babel 4): when
    # flask_babel.refresh() drops the locale, or another is chosen, the catalogue is looked up again.
    state = g.get("_flask_babel") if g else None
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "request_catalogue", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state = g.get("_flask_babel") if g else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.request_catalogue = (state.babel_locale, translations)
    return translations


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy in both languages, as Vietnamese forms write it."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y %H:%M")


def local_time(stored_utc: datetime) -> datetime:
    """Moments are stored as naive UTC (database.utcnow); people read them in the configured time
    zone (BABEL_DEFAULT_TIMEZONE, Vietnam's by default), naive again for formatting."""
    return to_user_timezone(stored_utc).replace(tzinfo=None)


def local_today() -> date:
    """Today as people count days in the configured time zone (Vietnam's by default): a deadline's day
    is theirs, not the server's (on UTC it is still yesterday until 07:00 in Vietnam)."""
    return local_time(utcnow()).date()


def stored_utc(local: datetime) -> datetime:
    """A time a person entered in the configured time zone, as it is stored."""
    return to_utc(local)


FIRST_YEAR, LAST_YEAR = 1900, 9000  # beyond, a time-zone shift or a deadline after it leaves datetime's years


def typed_moment(text: str, pattern: str = "%Y-%m-%dT%H:%M") -> datetime:
    """A date and time typed in a form (a sitting's start, an interview's): ValueError for what is not
    one, and for one outside FIRST_YEAR..LAST_YEAR, which stored_utc and the deadlines computed from
    it would take out of datetime's years (0001-01-01T00:00 answered 500 with OverflowError)."""
    moment = datetime.strptime(text, pattern)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return moment


def format_utc_datetime(value: datetime | None) -> str:
    """A stored UTC moment (a sitting, an audit entry, a publication) in the reader's time."""
    return "" if value is None else format_datetime(local_time(value))


def candidate_number(value) -> str:
    """A candidate number as the tickets print it, 4 digits (0083), wherever it is shown."""
    if value in (None, ""):
        return ""
    try:
        return f"{int(value):04d}"
    except (TypeError, ValueError):
        return str(value)


def format_number(value: Decimal | float | int | None, decimals: int = 2) -> str:
    """Decimal comma in Vietnamese, point in English."""
    if value is None:
        return ""
    # Babel's format_decimal, without parsing the pattern and the locale again at every number (a
    # results table has a thousand): three quarters of its time.
    return _number_pattern(decimals).apply(value, get_locale() or _VIETNAMESE)


@cache
def _number_pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0." + "0" * decimals if decimals else "#,##0")


def request_language() -> str:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "vi"
