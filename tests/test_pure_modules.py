"""Issue 15, "pure modules really pure": the logic modules load without Flask (docs/architecture.md,
Conventions), so that the CLI, the benchmarks and their tests use them without an app."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ("exam.draw", "exam.grading", "exam.stats", "interviews.scheduling", "results.ranking",
        "verification.matching", "recruitment.eligibility", "recruitment.rulesets", "questionbank.records")


@pytest.mark.parametrize("module", PURE)
def test_a_logic_module_imports_no_flask(module):
    found = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(sorted(m for m in sys.modules "
                               "if m.split('.')[0] in ('flask', 'flask_babel', 'flask_sqlalchemy')))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert found == "[]", f"{module} pulls in {found}"
