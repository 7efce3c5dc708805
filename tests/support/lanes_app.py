"""A WSGI app for the tests of the app servers' listening sockets (deploy/gunicorn.conf.py): each
answer names the port its request came in on; /slow/ answers after `?seconds=` (default half a
second), as a request waiting for SQLite's writer in the last minute of a sitting. With LANES_STARTED set, each /slow/
request appends its path to that file when a worker begins it."""
from __future__ import annotations

import json
import os
import time
from urllib.parse import parse_qs


def app(environ, start_response):
    if environ["PATH_INFO"].startswith("/slow/"):
        if os.environ.get("LANES_STARTED"):
            with open(os.environ["LANES_STARTED"], "a") as started:
                started.write(environ["PATH_INFO"] + "\n")
        time.sleep(float(parse_qs(environ.get("QUERY_STRING", "")).get("seconds", ["0.5"])[0]))
    port = environ["gunicorn.socket"].getsockname()[1]  # the listening socket's port: the accepted one shares it
    body = json.dumps({"port": port, "path": environ["PATH_INFO"]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
