"""Exam-forms pages (blueprints, activation, the draw with its fairness report, grading, item
analysis and neutralisation) and their registration."""
from __future__ import annotations

import json

import numpy as np
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from questionbank import api as bank
from recruitment import labels, registry
from recruitment.access import roles
from recruitment.actions import ask_confirmation, committed, second_step
from recruitment.database import utcnow
from recruitment.errors import Refused
from recruitment.extensions import db
from recruitment.forms import ConfirmForm
from recruitment.models import Position, Round
from recruitment.url_ids import database_id

from . import blueprint_checks, blueprints, fairness, form_draws, item_stats, neutralising, scoring
from .day.models import Sitting
from .models import HANDED_IN, TEST_KINDS, Attempt, ExamTest

STATUS_LABELS, FLAG_LABELS = labels.ATTEMPT_STATUS, labels.ITEM_FLAG  # the one catalogue (recruitment/labels.py)
bp = Blueprint("exam", __name__, url_prefix="/exam")
BUILDERS = ("question_setter", "council_chair")
READERS = (*BUILDERS, "hr")
KIND_LABELS = labels.TEST_KIND


def init_app(app: Flask) -> None:
    from questionbank import api as bank

    from . import cli, demo

    app.register_blueprint(bp)
    app.cli.add_command(cli.exam_cli)
    registry.add_nav(app, "exam.tests", _l("Exam forms"), order=30)
    registry.add_demo_step(app, "exam forms", demo.load, order=30)
    bank.register_demand_provider(app, demand)


def demand(section: str, position_code: str | None) -> dict[tuple[str, int], int]:
    """What the blueprints draw from the bank, for its coverage matrix (G1)."""
    out: dict[tuple[str, int], int] = {}
    for test in db.session.scalars(select(ExamTest).filter_by(section=section)):
        if position_code and test.position and test.position.code != position_code:
            continue
        for cell in scoring.cells_of(test):
            out[(cell.topic, cell.difficulty)] = out.get((cell.topic, cell.difficulty), 0) + cell.count
    return out


@bp.app_context_processor
def exam_labels():
    # Difficulty levels in words ("easy"), as the bank shows them, not the file's code (1, 2, 3).
    return {"exam_kinds": KIND_LABELS, "attempt_statuses": STATUS_LABELS, "exam_difficulties": labels.DIFFICULTY}


def _option_index(value: str) -> int:
    """For request.form.getlist(type=...): a bank option's index (A to F); ValueError otherwise."""
    index = int(value)
    if not 0 <= index < bank.MAX_OPTIONS:
        raise ValueError(value)
    return index


def _test(test_id: int) -> ExamTest:
    return db.get_or_404(ExamTest, test_id)


@bp.route("/tests")
@roles(*READERS)
def tests():
    rounds = db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()
    items = db.session.scalars(select(ExamTest).order_by(ExamTest.round_id, ExamTest.id)).all()
    return render_template("exam/tests.html", rounds=rounds, tests=items, kinds=TEST_KINDS, confirm=ConfirmForm())


@bp.route("/tests/new", methods=["POST"])
@roles(*BUILDERS)
def create():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    round_ = db.get_or_404(Round, request.form.get("round_id", type=database_id) or 0)
    kind = request.form.get("kind")
    if kind not in TEST_KINDS:
        abort(400)
    position = db.session.get(Position, request.form.get("position_id", type=database_id) or 0)
    with committed() as outcome:
        test = blueprints.create(round_, kind, position)
    if not outcome.committed:
        return redirect(url_for("exam.tests"))
    return redirect(url_for("exam.test", test_id=test.id))


@bp.route("/tests/<int:test_id>")
@roles(*READERS)
def test(test_id: int):
    exam_test = _test(test_id)
    try:
        short = blueprints.check_blueprint(exam_test)
        problem = None
    except blueprints.BlueprintProblem as exc:
        short, problem = [], str(exc)
    counts = dict(db.session.execute(select(Attempt.status, db.func.count()).filter_by(test_id=test_id)
                                     .group_by(Attempt.status)).all())
    report = fairness.report(exam_test) if counts else None
    return render_template("exam/test.html", test=exam_test, cells=json.loads(exam_test.cells), short=short,
                           problem=problem, counts=counts, report=report, confirm=ConfirmForm(),
                           spread_explanation=fairness.spread_explanation(report) if report else "",
                           own_pass_mark=blueprints.has_own_pass_mark(exam_test))


@bp.route("/tests/<int:test_id>/blueprint", methods=["POST"])
@roles(*BUILDERS)
def save_blueprint(test_id: int):
    test = _test(test_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    say = lambda problem: _("Blueprint not saved: %(problem)s", problem=problem)  # noqa: E731
    with committed(say=say) as outcome:
        cells, minutes = blueprint_checks.parse_form(request.form, test.minutes)  # B1, C2: nothing impossible
        blueprints.edit(test, cells, minutes, request.form.get("tolerance", type=float),
                        blueprint_checks.parse_pass_percent(request.form))
    if outcome.committed:
        flash(_("Blueprint saved: %(n)d questions.", n=sum(c["count"] for c in cells)), "success")
    return redirect(url_for("exam.test", test_id=test_id))


@bp.route("/tests/<int:test_id>/activate", methods=["POST"])
@roles(*BUILDERS)
def activate(test_id: int):
    exam_test = _test(test_id)
    if ConfirmForm().validate_on_submit():
        with committed() as outcome:
            short = blueprints.activate(exam_test)  # nothing changes while a cell is short
        if outcome.committed and short:
            multiple = exam_test.round.rules.bank_multiple  # the rule set's, not a constant (G1)
            flash(_("Not activated: %(cells)s have fewer than %(n)d times their count of approved questions (G1).",
                    n=multiple, cells="; ".join(f"{c.topic} / {labels.label(c.difficulty, 'difficulty')}: {have}/{c.count * multiple}"
                                                for c, have in short)), "danger")
            if exam_test.scale_to_100:  # C2: only questions worth the cell's points count in it
                flash(_("On a test scored on points, a cell counts only the questions worth its points each (C2)."),
                      "danger")
        elif outcome.committed:
            flash(_("Blueprint activated."), "success")
    return redirect(url_for("exam.test", test_id=test_id))


@bp.route("/tests/<int:test_id>/draw", methods=["POST"])
@roles(*BUILDERS)
def draw(test_id: int):
    _test(test_id)
    if ConfirmForm().validate_on_submit():
        with committed() as outcome:
            report = form_draws.draw_test(test_id)
        if outcome.committed:
            flash(_("%(n)d new forms drawn.", n=report.new_forms), "success")
    return redirect(url_for("exam.test", test_id=test_id))


@bp.route("/tests/<int:test_id>/verify", methods=["POST"])
@roles(*BUILDERS)
def verify(test_id: int):
    _test(test_id)
    if ConfirmForm().validate_on_submit():
        result = form_draws.verify_forms(test_id)
        db.session.commit()
        if result.mismatched:
            flash(_("%(bad)d of %(n)d stored forms differ from their rebuild (applications %(ids)s).", bad=len(result.mismatched),
                    n=result.forms, ids=", ".join(map(str, result.mismatched[:20]))), "danger")
        else:
            flash(_("All %(n)d stored forms were rebuilt identically from their seeds.", n=result.forms), "success")
    return redirect(url_for("exam.test", test_id=test_id))


@bp.route("/tests/<int:test_id>/grade", methods=["POST"])
@roles(*BUILDERS)
def grade(test_id: int):
    _test(test_id)
    if ConfirmForm().validate_on_submit():
        ids = list(db.session.scalars(select(Attempt.id).where(Attempt.test_id == test_id,
                                                               Attempt.status.in_((*HANDED_IN, "voided")))))
        scoring.grade(ids)
        db.session.commit()
        flash(_("%(n)d attempts graded.", n=len(ids)), "success")
    return redirect(url_for("exam.test", test_id=test_id))


@bp.route("/tests/<int:test_id>/items")
@roles(*BUILDERS)
def items(test_id: int):
    exam_test = _test(test_id)
    rows, reliability = item_stats.item_analysis(test_id, record=False)
    rows.sort(key=lambda r: (r.flag is None, r.p_value))  # flagged questions first
    shown = _stems_shown(test_id)
    found = bank.contents([r.version_id for r in rows])
    stems = {v: c.stem_html if shown else _("question %(n)d", n=n) for n, (v, c) in enumerate(found.items(), 1)}
    shape = {v: (len(c.options_html), set(c.key) if shown else set()) for v, c in found.items()}
    bank.analysis_viewed(test_id, len(rows), shown)
    db.session.commit()
    neutral = json.loads(exam_test.neutralised or "{}")
    return render_template("exam/items.html", test=exam_test, rows=rows, reliability=reliability, stems=stems,
                           shape=shape, flags=FLAG_LABELS, neutral=neutral, chart=_scatter(rows), confirm=ConfirmForm(),
                           isnan=np.isnan)


@bp.route("/tests/<int:test_id>/items/record", methods=["POST"])
@roles(*BUILDERS)
def record_items(test_id: int):
    _test(test_id)
    if ConfirmForm().validate_on_submit():
        rows, _reliability = item_stats.item_analysis(test_id, record=True)
        db.session.commit()
        flash(_("Statistics of %(n)d questions recorded in the bank.", n=len(rows)), "success")
    return redirect(url_for("exam.items", test_id=test_id))


@bp.route("/tests/<int:test_id>/neutralise/<int:version_id>", methods=["POST"])
@roles("council_chair")
def neutralise(test_id: int, version_id: int):
    _test(test_id)
    reason = (request.form.get("reason") or "").strip()
    if not ConfirmForm().validate_on_submit() or not reason:
        flash(_("Neutralising a question needs its reason (B7)."), "danger")
    else:
        options = request.form.getlist("options", type=_option_index)  # what is not an option's is left out
        if not second_step():  # B7 re-grades every attempt that had the question, and is not undone
            try:  # what the confirmed post would refuse is refused now, not confirmed first
                named = neutralising.consequence(test_id, version_id, _stem(test_id, version_id), reason, options)
            except Refused as refused:
                flash(str(refused), "danger")
                return redirect(url_for("exam.items", test_id=test_id))
            return ask_confirmation(_("Neutralise a question (B7)"), named, _("Neutralise the question"),
                                    {"reason": reason, "options": [str(o) for o in options]},
                                    url_for("exam.items", test_id=test_id))
        with committed() as outcome:
            done = neutralising.neutralise(test_id, version_id, reason, options)
        if outcome.committed:
            flash(_("Question neutralised; %(n)d attempts re-graded with a changed result.", n=done.changed), "success")
            for reply in done.replies:
                flash(reply.message, "info" if reply.ok else "warning")
    return redirect(url_for("exam.items", test_id=test_id))


def _stems_shown(test_id: int) -> bool:
    """G2: the board reads stems and keys; the chair (who neutralises, B7) once no sitting of the test is
    still to come or under way: before that, questions on forms not sat yet are secret."""
    return current_user.has_role("question_setter") or not db.session.scalar(
        select(Sitting.id).where(Sitting.test_id == test_id, Sitting.ends_at > utcnow()).limit(1))


def _stem(test_id: int, version_id: int) -> str:
    """The question as a reader knows it: its stem's first words, without markup; only its number in the
    bank while it is still secret to the reader (G2, as on the item analysis)."""
    if not _stems_shown(test_id):
        return _("question version %(n)d", n=version_id)
    found = bank.contents([version_id]).get(version_id)
    text = Markup(found.stem_html).striptags() if found is not None else str(version_id)
    return text if len(text) <= 90 else text[:89] + "…"


def _scatter(rows) -> str:
    """p against discrimination, one dot per question: the 0.20-0.80 band shaded, r = 0.20 dashed,
    r = 0 solid; flagged questions in red (inline SVG, drawn here: no script, no CDN)."""
    w, h, left, pad = 560, 280, 40, 24

    def x(p: float) -> float:
        return left + p * (w - left - pad)

    def y(r: float) -> float:
        return h - pad - (r + 1) / 2 * (h - 2 * pad)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             f'aria-label="{escape(_("Difficulty (p) and discrimination (r) of each question"))}" font-size="11">',
             f'<rect x="{x(0.2):.1f}" y="{pad}" width="{x(0.8) - x(0.2):.1f}" height="{h - 2 * pad}" fill="#eef4ff"/>',
             f'<line x1="{left}" y1="{y(0.2):.1f}" x2="{w - pad}" y2="{y(0.2):.1f}" stroke="#9aa" stroke-dasharray="4 3"/>',
             f'<line x1="{left}" y1="{y(0):.1f}" x2="{w - pad}" y2="{y(0):.1f}" stroke="#bbb"/>',
             f'<line x1="{left}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#555"/>',
             f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{h - pad}" stroke="#555"/>']
    for tick in (0, 0.2, 0.5, 0.8, 1):
        parts.append(f'<text x="{x(tick):.1f}" y="{h - 8}" text-anchor="middle">{tick:g}</text>')
    for tick in (-1, 0, 0.2, 1):
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="{w - pad}" y="{h - pad - 4}" text-anchor="end">p</text>'
                 f'<text x="{left + 4}" y="{pad - 8}">r</text>')
    for r in rows:
        if np.isnan(r.discrimination):
            continue
        color = "#b42318" if r.flag else "#0b5cad"
        parts.append(f'<circle cx="{x(r.p_value):.1f}" cy="{y(r.discrimination):.1f}" r="3" fill="{color}" fill-opacity="0.8">'
                     f'<title>p {r.p_value:.2f} · r {r.discrimination:.2f}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
