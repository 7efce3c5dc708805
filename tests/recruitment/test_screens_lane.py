"""The hall screens' lane (recruitment/screens_lane.py): on the socket its workers serve first only
the results boards are answered, so that no other page (a candidate's saves or hand-in pointed at
the port) jumps the queue of a sitting's last minute; on the main socket everything is as before."""
from __future__ import annotations

import pytest

from recruitment.screens_lane import port_of

SCREENS, MAIN = 8001, 8000


class Accepted:
    """What gunicorn puts in the environ as gunicorn.socket: the accepted connection."""

    def __init__(self, port: int):
        self.port = port

    def getsockname(self):
        return ("127.0.0.1", self.port)


def _get(client, path: str, port: int):
    return client.get(path, environ_base={"gunicorn.socket": Accepted(port)})


@pytest.fixture
def lane_app(app_factory):
    app = app_factory(SCREENS_PORT=SCREENS)
    with app.app_context():
        yield app


def test_only_the_boards_are_answered_on_the_screens_socket(lane_app):
    client = lane_app.test_client()
    assert _get(client, "/exam/board/", SCREENS).status_code == 200
    assert _get(client, "/static/exam/board.js", SCREENS).status_code == 200
    for path in ("/exam/candidate/login", "/login", "/public/results/", "/"):
        refused = _get(client, path, SCREENS)
        assert refused.status_code == 404, path
    for path in ("/exam/candidate/login", "/exam/board/"):
        assert _get(client, path, MAIN).status_code == 200, path
    posted = client.post("/exam/candidate/api/answer", json={"slot": 0}, environ_base={"gunicorn.socket": Accepted(SCREENS)})
    assert posted.status_code == 404  # refused before the CSRF check or anything else


def test_the_refusal_is_the_apps_own_page_in_the_readers_language(lane_app):
    page = _get(lane_app.test_client(), "/login", SCREENS).get_data(as_text=True)
    assert "<html" in page and "Not Found" not in page


def test_without_the_screens_socket_nothing_is_refused(app_factory):
    app = app_factory()
    with app.app_context():
        assert _get(app.test_client(), "/exam/candidate/login", SCREENS).status_code == 200


@pytest.mark.parametrize(("bind", "port"), [("127.0.0.1:8001", 8001), ("0.0.0.0:9001", 9001), ("[::1]:8001", 8001),
                                            ("unix:/run/screens.sock", None), ("", None), (None, None)])
def test_the_port_is_read_from_gunicorns_bind_address(bind, port):
    assert port_of(bind) == port
