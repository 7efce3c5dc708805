"""Forms of the question bank."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

from recruitment import labels
from recruitment.rulesets import SECTIONS

from .records import MAX_POINTS

# The labels live in the one catalogue (recruitment/labels.py); these names stay for forms and templates.
SECTION_LABELS, TYPE_LABELS, STATUS_LABELS = labels.SECTION, labels.QUESTION_TYPE, labels.QUESTION_STATUS
DIFFICULTY_LABELS = {int(k): v for k, v in labels.DIFFICULTY.items()}
ACTION_LABELS = labels.QUESTION_ACTION


def _finite(_form, field) -> None:
    """Before NumberRange, which cannot compare "sNaN" typed as the points (the page answered 500)."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():  # the default (1) when none is sent
        raise StopValidation(_l("points must be more than 0 and at most %(max)s", max=MAX_POINTS))


class QuestionForm(FlaskForm):
    section = SelectField(_l("Section"), choices=[(s, SECTION_LABELS[s]) for s in SECTIONS])
    positions = StringField(_l("Positions (codes separated by ';', empty for every position)"), validators=[Optional()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    difficulty = SelectField(_l("Difficulty"), coerce=int, choices=[(k, v) for k, v in DIFFICULTY_LABELS.items()])
    type = SelectField(_l("Type"), choices=list(TYPE_LABELS.items()))
    stem = TextAreaField(_l("Question (bold, italic, lists, tables and images by file name are kept)"),
                         validators=[DataRequired()])
    a = StringField("A", validators=[Optional()])
    b = StringField("B", validators=[Optional()])
    c = StringField("C", validators=[Optional()])
    d = StringField("D", validators=[Optional()])
    e = StringField("E", validators=[Optional()])
    f = StringField("F", validators=[Optional()])
    answer = StringField(_l("Answer (the option's letter; for fill-in, accepted answers separated by ';')"),
                         validators=[DataRequired()])
    points = DecimalField(_l("Points"), default=1, places=2, validators=[_finite, NumberRange(min=0.01)])
    explanation = TextAreaField(_l("Explanation"), validators=[Optional()])
    keep_order = BooleanField(_l("Keep the options in this order (no shuffling)"))
    comment = StringField(_l("Note on this change"), validators=[Optional(), Length(max=500)])
    seen = HiddenField()  # bank.seen_token of the question as the page showed it


class ImportQuestionsForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(), FileAllowed(
        ["xlsx", "csv", "xml", "txt", "gift", "docx"],
        _l("Accepted: .xlsx, .csv, Moodle .xml, GIFT, Aiken .txt or Word .docx"))])
    section = SelectField(_l("Section (for files that do not say)"), choices=[(s, SECTION_LABELS[s]) for s in SECTIONS])
    topic = StringField(_l("Topic (for files without categories)"), validators=[Optional(), Length(max=200)])
    difficulty = SelectField(_l("Difficulty (for files that do not say)"), coerce=int,
                             choices=[(k, v) for k, v in DIFFICULTY_LABELS.items()], default=2)
    positions = StringField(_l("Positions (for files that do not say)"), validators=[Optional()])


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class CoverageForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter, changes nothing

    section = SelectField(_l("Section"), choices=[(s, SECTION_LABELS[s]) for s in SECTIONS])
    position = StringField(_l("Position code"), validators=[Optional()])
    multiple = IntegerField(_l("Required multiple"), default=3, validators=[Optional(), NumberRange(min=1, max=100)])

    def multiple_in_force(self) -> tuple[int, bool]:
        """The multiple asked for within the field's range, and whether a typed value was ignored: the form
        is read, not validated, and -3 typed into the address marked no cell short. G1's 3 stands in."""
        typed = bool(self.multiple.raw_data and self.multiple.raw_data[0].strip())
        ignored = typed and not self.multiple.validate(self)
        self.multiple.data = (None if ignored else self.multiple.data) or 3
        return self.multiple.data, ignored
