"""Vietnamese first, English second: locale choice and the formats users expect."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, to_user_timezone, to_utc
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI: its commands choose with force_locale (--lang)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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


def stored_utc(local: datetime) -> datetime:
    """A time a person entered in the configured time zone, as it is stored."""
    return to_utc(local)


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
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=str(get_locale() or "vi"))


def request_language() -> str:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "vi"
