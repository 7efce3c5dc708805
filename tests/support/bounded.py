"""Runs a piece of the app in a child process whose memory is capped at 1 GB: what a hostile file
(a zip bomb, a sheet declaring a million rows) makes a reader take in shows as a MemoryError there,
not as a slow test run or a killed test process."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CAP = 1024 ** 3


def in_bounded_memory(instance: Path, body: str, timeout: int = 300) -> str:
    """Runs `body` (Python, with `app` made and its context entered) under the cap; returns what it
    printed. The child must end normally: a MemoryError (or any error) fails the test with its output."""
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))
        from recruitment import create_app
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}}, instance_path={str(instance)!r})
        with app.app_context():
    """) + textwrap.indent(textwrap.dedent(body), "    ")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
