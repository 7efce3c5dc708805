"""WTForms of the hub (Flask-WTF adds CSRF to each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from . import labels, national_ids, reasons, rulesets, tabular
from .models import ROLES
from .vietnamese import has_letter

# The labels live in the one catalogue (labels.py); these names stay for the forms and templates.
ROLE_LABELS, GRADE_LABELS, ROUND2_FORM_LABELS = labels.ROLE, labels.GRADE, labels.ROUND2_FORM
DEGREE_LABELS, PRIORITY_LABELS = labels.DEGREE, labels.PRIORITY
LABELS = {"grade": GRADE_LABELS, "round2_form": ROUND2_FORM_LABELS, "degree": DEGREE_LABELS,
          "priority": PRIORITY_LABELS}


# A day as the page's date input holds it (HTML's own yyyy-mm-dd: the browser shows it in the reader's
# way), the format a form writes into the page; a day typed as dd/mm/yyyy (a test, a script) is read too.
DAY_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class RoundForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40),
                                               Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, '-', '_' and '.' only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    rules_code = SelectField(_l("Rule set"), choices=labels.choices("rule_set", rulesets.PRESETS))
    application_deadline = DateField(_l("Application deadline"), validators=[Optional()],
                                     format=DAY_FORMATS)
    several_positions = BooleanField(_l("A person may apply to several positions (A1)"))
    promote_after_cancellation = BooleanField(_l("Promote the next candidate after a cancellation (F4)"), default=True)
    language_test = BooleanField(_l("Optional foreign-language test (B8)"))


# A filter: text typed in a form is kept as a file's cell is: composed (NFC), one line, single spaces,
# no invisible characters. A name typed on one keyboard and imported from Excel is then one spelling,
# and a code typed with a space is the code the files name.
typed = tabular.text


def _a_name(_form, field) -> None:
    if field.data and not has_letter(field.data):
        raise ValidationError(_l("A name has letters."))


def _choices(values, labels=None):
    return [(v, (labels or {}).get(v, v)) for v in values]


class PositionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)], filters=[typed])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)], filters=[typed])
    agency = StringField(_l("Agency"), validators=[DataRequired(), Length(max=300)], filters=[typed])
    grade = SelectField(_l("Grade"), choices=_choices(rulesets.GRADES, GRADE_LABELS))
    quota = IntegerField(_l("Quota"), validators=[DataRequired(), NumberRange(min=1, max=9999)])
    round2_form = SelectField(_l("Round 2 form"), choices=_choices(rulesets.ROUND2_FORMS, ROUND2_FORM_LABELS))
    degree_level = SelectField(_l("Minimum degree"), choices=_choices(rulesets.DEGREE_LEVELS, DEGREE_LABELS))
    majors = StringField(_l("Accepted majors (separated by ';', empty for any)"), validators=[Optional()])


def _national_id(_form, field) -> None:
    """formats.md: 12 digits 0-9 once normalised (national_ids); other digit scripts are refused."""
    try:
        national_ids.normalise(field.data)
    except national_ids.NotANationalId:
        raise ValidationError(_l("12 digits 0-9.")) from None


class ApplicationForm(FlaskForm):
    national_id = StringField(_l("National ID"), validators=[DataRequired(), _national_id],
                              filters=[national_ids.canonical])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200), _a_name], filters=[typed])
    date_of_birth = DateField(_l("Date of birth"), format=DAY_FORMATS, validators=[DataRequired()])
    gender = SelectField(_l("Gender"), choices=[("nam", _l("Male")), ("nu", _l("Female"))])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=200), Email(check_deliverability=False)],
                        filters=[typed])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)], filters=[typed])
    position_id = SelectField(_l("Position"), coerce=int)
    degree_level = SelectField(_l("Degree"), choices=_choices(rulesets.DEGREE_LEVELS, DEGREE_LABELS))
    major = StringField(_l("Major"), validators=[Optional(), Length(max=200)], filters=[typed])
    priority_codes = SelectMultipleField(_l("Priority"), choices=_choices(rulesets.PRIORITY_CODES, PRIORITY_LABELS),
                                         validators=[Optional()])
    exempt_language = BooleanField(_l("Exempt from the language test (vn-2020)"))


class ExtensionForm(FlaskForm):
    """Applications taken after the deadline, until a day, for a reason (applications.extend)."""
    until = DateField(_l("Take applications until"), format=DAY_FORMATS, validators=[DataRequired()])
    reason = StringField(_l("Reason for the extension"), validators=[DataRequired(), Length(max=500)])


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=reasons.MAX_CHARS)])


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with its CSRF token."""


class ImportForm(FlaskForm):
    file = FileField(_l("File (.xlsx or .csv)"), validators=[FileRequired(), FileAllowed(["xlsx", "csv"], _l(".xlsx or .csv only."))])


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=200), Email(check_deliverability=False)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8)])
    roles = SelectMultipleField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES if r != "candidate"])
    active = BooleanField(_l("Active"), default=True)
