"""App servers under gunicorn (deploy/gunicorn.conf.py), behind nginx (deploy/recruitment.nginx.conf)
when there are several, for the benches. Everything on loopback, on free ports, in a temp directory;
nginx runs as a child process (daemon off) with a configuration rendered there.

    cluster = Cluster(tmp, "wsgi:app", servers=2, workers=3, env={...})
    base = cluster.start()      # http://127.0.0.1:PORT (nginx, or the one app server)
    cluster.kill_one()          # SIGKILL to one app server's master and workers
    cluster.stop()"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .autosave import free_port

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        subprocess.run(["bash", str(ROOT / "scripts/system-deps.sh")], check=True)
        found = "/usr/sbin/nginx"
    return found


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}); see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}; see {log}")


def render_site(listen: str, upstreams: list[str]) -> str:
    lines = "\n".join(f"    server {u} max_fails=1 fail_timeout=10s;" for u in upstreams)
    return ((DEPLOY / "recruitment.nginx.conf").read_text().replace("{{listen}}", listen)
            .replace("{{upstream_servers}}", lines).replace("{{static_root}}", str(ROOT / "static")))


def render_main(prefix: Path, site: Path) -> str:
    """The top-level nginx.conf for a child nginx: every path inside the temp directory."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 8192; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    include {site};
}}
"""


class Cluster:
    def __init__(self, tmp: str | Path, target: str, servers: int, workers: int, env: dict, name: str = "app"):
        self.dir = Path(tmp) / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.target, self.servers, self.workers, self.env = target, servers, workers, env
        self.apps: list[tuple[subprocess.Popen, int]] = []
        self.nginx: subprocess.Popen | None = None
        self.log = self.dir / "servers.log"

    def _serve(self, port: int) -> subprocess.Popen:
        env = {**os.environ, **self.env, "BIND": f"127.0.0.1:{port}", "WORKERS": str(self.workers)}
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), self.target],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
                                   start_new_session=True)  # its own process group: kill_one reaches the workers
        wait_for_port(port, process, self.log)
        return process

    def start(self) -> str:
        for _ in range(self.servers):
            port = free_port()
            self.apps.append((self._serve(port), port))
        if self.servers == 1:
            return f"http://127.0.0.1:{self.apps[0][1]}"
        port = free_port()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / kind).mkdir(exist_ok=True)
        site = self.dir / "recruitment.conf"
        site.write_text(render_site(f"127.0.0.1:{port}", [f"127.0.0.1:{p}" for _, p in self.apps]))
        main = self.dir / "nginx.conf"
        main.write_text(render_main(self.dir, site))
        log = self.dir / "error.log"
        self.nginx = subprocess.Popen([nginx_binary(), "-p", str(self.dir), "-e", str(log), "-c", str(main)],
                                      stdout=subprocess.DEVNULL, stderr=log.open("ab"), start_new_session=True)
        wait_for_port(port, self.nginx, log)
        return f"http://127.0.0.1:{port}"

    def kill_one(self) -> int:
        """SIGKILL to the first live app server, master and workers at once (a crashed machine)."""
        for process, port in self.apps:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return port
        raise RuntimeError("no app server left to kill")

    def stop(self) -> None:
        for process in [p for p, _ in self.apps] + ([self.nginx] if self.nginx else []):
            if process.poll() is None:
                process.terminate()
        for process in [p for p, _ in self.apps] + ([self.nginx] if self.nginx else []):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log_tail(self, lines: int = 15) -> str:
        logs = [self.log, self.dir / "error.log"]
        return "\n".join(line for path in logs if path.exists()
                         for line in path.read_text(errors="replace").splitlines()[-lines:])
