"""The hall screens' lane: each app server also listens on SCREENS_BIND (deploy/gunicorn.conf.py),
a socket its sync workers serve before the main one, and nginx sends the results boards there
(deploy/recruitment.nginx.conf). Only the boards (and the static files of their page) are answered
on it: any other page that came in that way, a candidate's saves or hand-in pointed at the port,
would jump the queue of a sitting's last minute ahead of everyone else's, so it is not found there."""
from __future__ import annotations

from flask import Flask, abort, request

SCREENS_PATHS = ("/exam/board/", "/static/")


def port_of(bind: str | None) -> int | None:
    """The port of a gunicorn bind address ("host:port", "[::1]:port"); None for none or a unix socket."""
    if not bind or bind.startswith(("unix:", "fd://")) or ":" not in bind:
        return None
    return int(bind.rsplit(":", 1)[1])


def init_app(app: Flask) -> None:
    port = app.config.get("SCREENS_PORT")
    if not port:
        return

    @app.before_request
    def _only_the_boards_on_the_screens_lane():
        if not request.path.startswith(SCREENS_PATHS) and came_by_screens(app, request.environ):
            abort(404)


def came_by_screens(app: Flask, environ: dict) -> bool:
    """The request came in on the screens' socket (always False when the app server has none)."""
    port = app.config.get("SCREENS_PORT")
    listener = environ.get("gunicorn.socket")  # the accepted connection: its port is the socket's
    return bool(port) and listener is not None and listener.getsockname()[1] == port
