"""App servers under gunicorn (deploy/gunicorn.conf.py), behind nginx (deploy/recruitment.nginx.conf)
when there are several, for the benches. Everything on loopback, on free ports, in a temp directory;
nginx runs as a child process (daemon off) with a configuration rendered there.

    cluster = Cluster(tmp, "wsgi:app", servers=2, workers=3, env={...})
    base = cluster.start()      # http://127.0.0.1:PORT (nginx, or the one app server)
    cluster.screens_base        # where the hall screens' results boards go (the screens' socket,
                                # or nginx, which routes them there)
    cluster.kill_one()          # SIGKILL to one app server's master and workers
    cluster.stop()"""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
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


def wait_for_answer(port: int, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    """Until the server answers a request: its socket listens while the master still prepares the app
    (deploy/gunicorn.conf.py when_ready), and a bench timed from then would time the start-up."""
    wait_for_port(port, process, log, seconds)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    finally:
        connection.close()


def render_site(listen: str, upstreams: list[str], screens: list[str]) -> str:
    def lines(addresses: list[str]) -> str:
        return "\n".join(f"    server {a} max_fails=1 fail_timeout=10s;" for a in addresses)

    return ((DEPLOY / "recruitment.nginx.conf").read_text().replace("{{listen}}", listen)
            .replace("{{upstream_servers}}", lines(upstreams)).replace("{{screens_servers}}", lines(screens))
            .replace("{{static_root}}", str(ROOT / "static")))


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


@dataclass
class AppServer:
    process: subprocess.Popen
    port: int  # BIND
    screens_port: int  # SCREENS_BIND: the hall screens' results boards


class Cluster:
    def __init__(self, tmp: str | Path, target: str, servers: int, workers: int, env: dict, name: str = "app",
                 proxy: bool = False, client_addresses: bool = False):
        """proxy: nginx in front of one app server too. client_addresses: nginx takes each client's
        address from the X-Forwarded-For it sends (realip): a bench's simulated people all connect
        from 127.0.0.1, and play the many addresses of the internet this way."""
        self.dir = Path(tmp) / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.target, self.servers, self.workers, self.env = target, servers, workers, env
        self.proxy, self.client_addresses = proxy or servers > 1, client_addresses
        self.apps: list[AppServer] = []
        self.nginx: subprocess.Popen | None = None
        self.base = self.screens_base = ""
        self.log = self.dir / "servers.log"

    def _serve(self, port: int, screens_port: int) -> AppServer:
        env = {**os.environ, **self.env, "BIND": f"127.0.0.1:{port}", "SCREENS_BIND": f"127.0.0.1:{screens_port}",
               "WORKERS": str(self.workers)}
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), self.target],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
                                   start_new_session=True)  # its own process group: kill_one reaches the workers
        wait_for_answer(port, process, self.log)
        wait_for_port(screens_port, process, self.log)
        return AppServer(process, port, screens_port)

    def start(self) -> str:
        for _ in range(self.servers):
            self.apps.append(self._serve(free_port(), free_port()))
        if not self.proxy:
            # No nginx: the hall screens are pointed at the screens' socket, as nginx routes them.
            self.base = f"http://127.0.0.1:{self.apps[0].port}"
            self.screens_base = f"http://127.0.0.1:{self.apps[0].screens_port}"
            return self.base
        port = free_port()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / kind).mkdir(exist_ok=True)
        site = self.dir / "recruitment.conf"
        text = render_site(f"127.0.0.1:{port}", [f"127.0.0.1:{a.port}" for a in self.apps],
                           [f"127.0.0.1:{a.screens_port}" for a in self.apps])
        if self.client_addresses:
            text = text.replace("    server_name _;\n", "    server_name _;\n    set_real_ip_from 127.0.0.1;\n"
                                                         "    real_ip_header X-Forwarded-For;\n", 1)
        site.write_text(text)
        main = self.dir / "nginx.conf"
        main.write_text(render_main(self.dir, site))
        log = self.dir / "error.log"
        self.nginx = subprocess.Popen([nginx_binary(), "-p", str(self.dir), "-e", str(log), "-c", str(main)],
                                      stdout=subprocess.DEVNULL, stderr=log.open("ab"), start_new_session=True)
        wait_for_port(port, self.nginx, log)
        self.base = self.screens_base = f"http://127.0.0.1:{port}"
        return self.base

    def kill_one(self) -> int:
        """SIGKILL to the first live app server, master and workers at once (a crashed machine)."""
        for app in self.apps:
            if app.process.poll() is None:
                os.killpg(app.process.pid, signal.SIGKILL)
                app.process.wait()
                return app.port
        raise RuntimeError("no app server left to kill")

    def stop(self) -> None:
        for process in [a.process for a in self.apps] + ([self.nginx] if self.nginx else []):
            if process.poll() is None:
                process.terminate()
        for process in [a.process for a in self.apps] + ([self.nginx] if self.nginx else []):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log_tail(self, lines: int = 15) -> str:
        logs = [self.log, self.dir / "error.log"]
        return "\n".join(line for path in logs if path.exists()
                         for line in path.read_text(errors="replace").splitlines()[-lines:])
