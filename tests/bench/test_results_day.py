"""Results day's bench, small: people look their results up through nginx (as deployed, which takes
each simulated person's address from the header they send) from a gunicorn master that rendered the
published pages before it forked. Every right look-up finds its result and none is refused. No timing
is asserted: the figures are bench.lookup's."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_results_day_through_nginx():
    run = subprocess.run([sys.executable, "-m", "bench.lookup", "--lookups", "300", "--seconds", "5", "--candidates", "200",
                          "--addresses", "20", "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["nginx"] and (result["errors"], result["wrongly_blocked"]) == (0, 0), run.stdout[-3000:]
    assert result["lookups_per_s"] > 0
