"""Forms of the question bank."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from recruitment.rulesets import SECTIONS

SECTION_LABELS = {"general": _l("General knowledge"), "language": _l("Foreign language"),
                  "professional": _l("Professional")}
TYPE_LABELS = {"single": _l("Single choice"), "truefalse": _l("True / false"), "fill": _l("Fill in the blank")}
STATUS_LABELS = {"draft": _l("draft"), "in_review": _l("in review"), "approved": _l("approved"), "retired": _l("retired")}
DIFFICULTY_LABELS = {1: _l("easy"), 2: _l("medium"), 3: _l("hard")}
ACTION_LABELS = {"created": _l("created"), "edited": _l("edited"), "submit": _l("sent for review"),
                 "approve": _l("approved"), "return": _l("returned to the author"), "retire": _l("retired"),
                 "restore": _l("restored")}


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
    multiple = IntegerField(_l("Required multiple"), default=3, validators=[Optional(), NumberRange(min=1)])
