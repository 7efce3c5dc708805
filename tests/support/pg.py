"""A throw-away PostgreSQL server for the test run: Debian's binaries, a temporary data
directory, loopback only, stopped at the end."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        subprocess.run(["bash", str(ROOT / "scripts/system-deps.sh")], check=True)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """durable=False (the test suite): fsync off, nothing survives a crash, fast. durable=True (the
    benches): PostgreSQL's defaults, every commit flushed to disk as in production."""

    def __init__(self, durable: bool = False):
        self.durable = durable
        self.bin = _bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="recruit-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root: run it as the 'postgres' system user then.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, **kw):
        return subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True, **kw)

    def start(self) -> str:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} "
                "-c max_connections=200")
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"),
                  "-w", "start")
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            time.sleep(0.1)
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        as_admin("127.0.0.1", self.port, "postgres", f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def as_admin(host: str, port: int, user: str, *statements: str) -> None:
    """Statements run on the server's maintenance database, each on its own (CREATE and DROP DATABASE
    run outside a transaction)."""
    import psycopg

    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as c:
        for statement in statements:
            c.execute(statement)


def using_postgres() -> bool:
    """The run is on PostgreSQL (TEST_DATABASE=postgresql), not SQLite."""
    return os.environ.get("TEST_DATABASE") == "postgresql"


def reset_postgres(uri: str) -> None:
    """Empties every table but the roles, as a fresh schema has them (the audit chain's head at 0)."""
    from sqlalchemy import create_engine, text

    from recruitment.extensions import db

    engine = create_engine(uri)
    tables = [t.name for t in db.metadata.sorted_tables if t.name != "roles"]
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
    engine.dispose()
