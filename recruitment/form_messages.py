"""WTForms' own messages ("This field is required.") in the reader's language. WTForms ships no
Vietnamese, so its messages are listed here for this package's catalogue, and every request hands
Flask-WTF (WTF_I18N_ENABLED, its default) the app's merged catalogues instead of WTForms' own."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_translations, ngettext
from flask_babel import lazy_gettext as _l

# The messages of wtforms/locale/wtforms.pot the app's forms can show.
MESSAGES = [
    _l("Field must be equal to %(other_name)s."), _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."), _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."), _l("This field is required."), _l("Invalid input."),
    _l("Invalid email address."), _l("Invalid URL."), _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."), _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."), _l("The CSRF token is invalid."), _l("Invalid CSRF Token."),
    _l("CSRF token missing."), _l("CSRF failed."), _l("CSRF token expired."), _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."), _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid datetime value."), _l("Not a valid date value."), _l("Not a valid time value."),
    _l("Not a valid integer value."), _l("Not a valid decimal value."), _l("Not a valid float value."),
]


def _plurals() -> None:  # never called: marks WTForms' plural messages for extraction
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)


class _AppCatalogue:
    """What Flask-WTF asks of a translations object; WTForms fills in the %(...)s itself."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


def init_app(app: Flask) -> None:
    @app.before_request
    def _wtforms_in_the_readers_language() -> None:
        request.wtforms_translations = _AppCatalogue()  # read by flask_wtf.i18n, once per request
