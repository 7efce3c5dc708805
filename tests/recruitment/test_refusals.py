"""Issue 15: every package's refusal derives from the one `recruitment.errors.Refused`, which the
working pages' action block catches; its message stays the translated sentence the user reads."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from recruitment import applications, errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("recruitment", "questionbank", "exam", "interviews", "marking", "verification", "results")
REFUSAL = re.compile(r"^class (\w*Refused|BlueprintProblem)\(", re.M)


def _refusal_classes() -> list[tuple[str, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if module != "recruitment.errors":  # the base itself
                found += [(module, name) for name in REFUSAL.findall(path.read_text(encoding="utf-8"))]
    return found


def test_the_refusals_are_found():
    assert len(_refusal_classes()) >= 12  # 11 *Refused classes and the exam's BlueprintProblem


@pytest.mark.parametrize(("module", "name"), _refusal_classes())
def test_every_refusal_derives_from_the_one_base(module, name):
    refusal = getattr(importlib.import_module(module), name)
    assert refusal is not errors.Refused and issubclass(refusal, errors.Refused)
    assert issubclass(refusal, ValueError)  # callers that caught ValueError still do


def test_a_refusal_keeps_its_translated_message(app):
    from datetime import date

    from recruitment.models import Round

    round_ = Round(code="X", name="X", rules_code="vn-2025", application_deadline=date(2000, 1, 1), draw_seed="0")
    with app.test_request_context(), force_locale("vi"):
        with pytest.raises(errors.Refused) as caught:
            applications.check_open(round_)
    assert isinstance(caught.value, applications.ApplicationRefused)
    assert str(caught.value) and str(caught.value).isascii() is False  # Vietnamese, with its diacritics
