"""The bench of the costs that grew with a sitting, small: it runs, measures each, and the board it
times is whole. No timing is asserted: the figures are bench.grown_costs's."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_grown_costs_runs_small():
    run = subprocess.run([sys.executable, "-m", "bench.grown_costs", "--candidates", "60", "--new-per-poll", "5",
                          "--later-shifts", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["user_load_ms"] > 0 and result["board_version_ms"] > 0 and result["board_build_ms"] > 0
    assert result["board_bytes"] > 60 * len('{"number": "0001"}')  # every candidate's row is on the board
    assert result["collect_question_ms"] > 0 and result["later_attempts"] == 2 * 60  # both later shifts seated
