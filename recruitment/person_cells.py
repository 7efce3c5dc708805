"""The cells of a person in HR's files (applications import): each parser checks a cell as the
application form checks its field, or refuses it with a CellError naming what is wrong."""
from __future__ import annotations

from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from . import national_ids
from . import tabular as t
from .tabular import CellError
from .vietnamese import has_letter


def national_id(value) -> str:
    raw = t.text(value)
    if isinstance(value, float) and value.is_integer():
        raw = str(int(value))
    if raw.isascii() and raw.isdigit() and len(raw) == 11 and not raw.startswith("0"):
        # a number cell: Excel dropped the leading 0
        raise CellError(_("'%(value)s' is not a national ID (12 digits): the spreadsheet dropped its leading 0; "
                          "format the column as Text and type the IDs again", value=raw))
    try:
        return national_ids.normalise(raw)
    except national_ids.NotANationalId:
        raise CellError(_("'%(value)s' is not a national ID (12 digits 0-9)", value=raw)) from None


def date_of_birth(value):
    day = t.parse_date(value)
    if day is None:
        raise CellError(_("is empty"))
    return day


def full_name(value) -> str:
    # A number, a yes/no or a date under ho_ten is a column shifted, not a person's name.
    if isinstance(value, (int, float, date)):  # bool is an int; datetime a date
        raise CellError(_("'%(value)s' is not a name: is a column shifted?", value=t.text(value)))
    name = t.required_text(value)
    if not has_letter(name):
        raise CellError(_("'%(value)s' is not a name: it has no letter", value=name))
    return name


def email(value) -> str:
    """The address as the application form takes it (the same check, email-validator's), so that an
    imported application can be saved again from its form."""
    address = t.text(value)
    if address:
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            raise CellError(_("'%(value)s' is not an e-mail address", value=address)) from None
    return address
