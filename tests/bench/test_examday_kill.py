"""Scale-out: a small sitting (50 candidates) on two app servers behind nginx on PostgreSQL, one of
them killed (SIGKILL) halfway through. Nothing acknowledged is lost, every attempt is handed in or
collected, and the candidates carry on through the other server (the page's retries cover the
requests that failed). No timing is asserted: the figures are bench.examday's."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pg import using_postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not using_postgres(), reason="the scale-out runs on PostgreSQL (TEST_DATABASE=postgresql)")
def test_a_sitting_survives_one_app_server_killed(request):
    from tests.support.pg import PostgresServer

    admin_url = os.environ["TEST_PG_URL"]
    server = PostgresServer.__new__(PostgresServer)
    server.port = int(admin_url.rsplit(":", 1)[1].split("/")[0])
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    url = server.create_database(f"examday_{worker}")
    run = subprocess.run([sys.executable, "-m", "bench.examday", "--candidates", "50", "--servers", "2", "--kill-one",
                          "--workers", "2", "--answer-seconds", "16", "--interval", "3", "--saturation-seconds", "0",
                          "--database-url", url], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["killed_one"] and result["servers"] == 2
    assert (result["errors"], result["lost"], result["unfinished"]) == (0, 0, 0), run.stdout[-3000:]
    assert result["saves_after_kill"] > 0  # the candidates carried on through the other server
    assert "killed the app server" in run.stdout
