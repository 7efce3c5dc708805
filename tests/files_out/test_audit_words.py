"""The audit log reads as words (G6): every action, object and field that the code records has its
label in the one catalogue (recruitment/labels.py), and the page shows no code of its own."""
from __future__ import annotations

import ast
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from recruitment import audit, labels
from recruitment.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("recruitment", "questionbank", "exam", "interviews", "marking", "verification", "results")
# The functions whose dict is an entry's before or after, where the call does not spell it out.
SNAPSHOTS = {"exam/day/sanctions.py": "_record", "exam/recorded.py": "snapshot", "questionbank/bank.py": "snapshot",
             "results/importing.py": "_state", "recruitment/accounts.py": "snapshot",
             "recruitment/applications.py": "snapshot", "recruitment/rounds.py": "_state",
             "recruitment/positions.py": "_state", "interviews/importing.py": "_snapshot"}
# Actions named by a template: proctoring.record's incidents and bank.transition's steps.
COMPOSED = ["incident_" + k for k in ("seat_moved", "time_credited", "sanction", "note", "voided", "grading_failed",
                                      "result_held", "relogin")] + \
           ["question_" + a for a in ("submit", "approve", "return", "retire", "restore")]
WRITERS = {"record", "Change", "log"}  # audit.record(...), audit_bulk.Change(...), scoring's log(...)


def _texts(node: ast.AST) -> list[str]:
    """The constant strings an argument can be: "a", or "a" if x else "b"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return []


def _recorded() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """Every action, object type and before/after key written in the code, each with where."""
    actions, objects, fields = {}, {}, {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            snapshot = SNAPSHOTS.get(str(path.relative_to(ROOT)))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name == snapshot:
                    for found in ast.walk(node):
                        if isinstance(found, ast.Dict):
                            for key in found.keys:
                                for text in _texts(key) if key is not None else []:
                                    fields.setdefault(text, set()).add(f"{path.relative_to(ROOT)}:{found.lineno}")
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name not in WRITERS or len(node.args) < 2 or not _texts(node.args[0]):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for action in _texts(node.args[0]):
                    actions.setdefault(action, set()).add(where)
                for object_type in _texts(node.args[1]):
                    objects.setdefault(object_type, set()).add(where)
                for keyword in node.keywords:
                    if keyword.arg in ("before", "after") and isinstance(keyword.value, ast.Dict):
                        for key in keyword.value.keys:
                            for text in _texts(key) if key is not None else []:
                                fields.setdefault(text, set()).add(where)
    for action in COMPOSED:
        actions.setdefault(action, set()).add("composed")
    return actions, objects, fields


def test_every_recorded_action_object_and_field_has_its_words():
    actions, objects, fields = _recorded()
    assert len(actions) > 60  # the walk finds the writers
    catalogue = labels.kinds()
    missing = {f"action {a} ({sorted(w)[0]})" for a, w in actions.items() if a not in catalogue["audit_action"]}
    missing |= {f"object {o} ({sorted(w)[0]})" for o, w in objects.items() if o not in catalogue["object_type"]}
    missing |= {f"field {f} ({sorted(w)[0]})" for f, w in fields.items() if f not in catalogue["audit_field"]}
    assert not missing, "\n".join(sorted(missing))


def test_the_log_page_names_an_action_and_its_fields_in_words(app, make_user, login):
    supervisor = make_user("supervisor", "supervisor", locale="en")
    audit.record("logged_out", "user", supervisor.id)
    audit.record("retake_drawn", "exam_attempt", 1, after={"voided_attempt": 3, "form_digest": "ab12"})
    db.session.commit()
    client = login(supervisor)
    text = re.sub(r"<[^>]*>", " ", client.get("/audit/").get_data(as_text=True))  # an option's value is not read
    assert "logged out everywhere" in text and "voided exam: 3" in text and "exam form digest: ab12" in text
    supervisor.locale = "vi"
    db.session.commit()
    text = re.sub(r"<[^>]*>", " ", client.get("/audit/").get_data(as_text=True))
    for code in ("logged_out", "voided_attempt", "form_digest"):
        assert code not in text


def test_the_log_page_shows_days_moments_and_decimals_as_readers_write_them(app, make_user, login):
    supervisor = make_user("supervisor", "supervisor", locale="vi")
    # A sitting's moments are stored in UTC (10:00 in Vietnam); an interviewer's absence as entered.
    audit.record("sitting_created", "exam_sitting", 1, after={"starts_at": datetime(2026, 12, 2, 3, 0)})
    audit.record("interviewer_unavailable", "round", 1, after={"from": datetime(2026, 12, 3, 13, 0)})
    audit.record("remark_requested", "application", 1,
                 after={"deadline": date(2026, 12, 17), "published": Decimal("72.50"), "p_value": 0.4138})
    db.session.commit()
    text = re.sub(r"<[^>]*>", " ", login(supervisor).get("/audit/").get_data(as_text=True))
    for shown in ("02/12/2026 10:00", "03/12/2026 13:00", "17/12/2026", "72,50", "0,4138"):
        assert shown in text
    for stored in ("2026-12", "T03:00", "72.50", "0.4138"):
        assert stored not in text
