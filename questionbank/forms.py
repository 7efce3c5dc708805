"""Forms of the question bank."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from recruitment import labels
from recruitment.rulesets import SECTIONS

# The labels live in the one catalogue (recruitment/labels.py); these names stay for forms and templates.
SECTION_LABELS, TYPE_LABELS, STATUS_LABELS = labels.SECTION, labels.QUESTION_TYPE, labels.QUESTION_STATUS
DIFFICULTY_LABELS = {int(k): v for k, v in labels.DIFFICULTY.items()}
ACTION_LABELS = labels.QUESTION_ACTION


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
    points = DecimalField(_l("Points"), default=1, places=2, validators=[NumberRange(min=0.01)])
    explanation = TextAreaField(_l("Explanation"), validators=[Optional()])
    keep_order = BooleanField(_l("Keep the options in this order (no shuffling)"))
    comment = StringField(_l("Note on this change"), validators=[Optional(), Length(max=500)])


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
