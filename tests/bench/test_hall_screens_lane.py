"""The hall screens' lane (deploy/gunicorn.conf.py, deploy/recruitment.nginx.conf): the results
boards' requests come in on a listening socket of their own, which a worker serves before the main
one, so that a board's poll in the last minute of a sitting waits for the next free worker, not
behind every hand-in queued before it (issue 16: a hand-in on the board within 5 s). Real gunicorn
and nginx; no timing is asserted, only the order in which the queued requests are answered and the
socket each one came in on."""
from __future__ import annotations

import json
import selectors
import socket
import time
import urllib.request
from urllib.parse import urlsplit

from bench.cluster import Cluster

APP = "tests.support.lanes_app:app"


def _send(base: str, path: str) -> socket.socket:
    """The request is sent, and its connection is in the server's queue when this returns."""
    address = urlsplit(base)
    connection = socket.create_connection((address.hostname, address.port), timeout=30)
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: hall\r\nConnection: close\r\n\r\n".encode())
    return connection


def _answers_in_order(connections: dict[socket.socket, str]) -> list[tuple[str, dict]]:
    """(name, JSON body) of each request, in the order their answers were complete."""
    chosen, received, order = selectors.DefaultSelector(), {c: b"" for c in connections}, []
    for connection in connections:
        chosen.register(connection, selectors.EVENT_READ)
    while len(order) < len(connections):
        for key, _ in chosen.select(timeout=30):
            chunk = key.fileobj.recv(65536)
            received[key.fileobj] += chunk
            if not chunk:  # the server closed it: the answer is whole
                chosen.unregister(key.fileobj)
                key.fileobj.close()
                order.append((connections[key.fileobj], json.loads(received[key.fileobj].split(b"\r\n\r\n", 1)[1])))
    return order


def _wait_until_begun(started, path: str) -> None:
    for _ in range(300):
        if started.exists() and path in started.read_text().split():
            return
        time.sleep(0.1)
    raise AssertionError(f"no worker began {path}")


def test_a_board_poll_is_answered_before_the_requests_queued_ahead_of_it(tmp_path):
    started = tmp_path / "started"
    cluster = Cluster(tmp_path, APP, servers=1, workers=1, env={"LANES_STARTED": str(started), "THREADS": "1"})
    cluster.start()
    try:
        (server,) = cluster.apps
        # The first holds the one worker long enough for the others to be queued behind it.
        queued = {_send(cluster.base, "/slow/0?seconds=3"): "slow 0"}
        _wait_until_begun(started, "/slow/0")  # the one worker is busy: what comes now waits in the queues
        queued |= {_send(cluster.base, f"/slow/{i}?seconds=0.2"): f"slow {i}" for i in range(1, 4)}
        queued[_send(cluster.screens_base, "/exam/board/1/results.json")] = "board"
        order = _answers_in_order(queued)
    finally:
        cluster.stop()
    # Sent last, taken right after the request the worker was busy with.
    assert [name for name, _ in order] == ["slow 0", "board", "slow 1", "slow 2", "slow 3"]
    answers = dict(order)
    assert answers["board"]["port"] == server.screens_port
    assert {answers[f"slow {i}"]["port"] for i in range(4)} == {server.port}


def test_nginx_routes_the_boards_to_the_screens_sockets_and_the_rest_to_the_main_ones(tmp_path):
    cluster = Cluster(tmp_path, APP, servers=2, workers=1, env={"THREADS": "1"})
    cluster.start()
    try:
        assert cluster.screens_base == cluster.base  # behind nginx the screens use the one address
        seen: dict[str, set[int]] = {"board": set(), "other": set()}
        for i in range(8):
            for kind, path in (("board", f"/exam/board/{i}/results.json"), ("other", f"/exam/candidate/api/state?{i}")):
                with urllib.request.urlopen(cluster.base + path, timeout=30) as answer:
                    body = json.load(answer)
                assert body["path"] == path.split("?")[0]
                seen[kind].add(body["port"])
    finally:
        cluster.stop()
    assert seen["board"] == {server.screens_port for server in cluster.apps}  # both servers take the screens
    assert seen["other"] == {server.port for server in cluster.apps}
