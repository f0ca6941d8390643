"""Two stateless desk-central nodes on one PostgreSQL with a real ``nats-server -js``: a desk
subscribed to node B sees a fix ingested at node A, once; with NATS down ingest still commits."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desk.central.pg.testing import PostgresServer
from desk.central.testing import CentralProcess


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Nats:
    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.tmp = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = shutil.which("nats-server")
        assert exe is not None
        self.proc = subprocess.Popen(
            [exe, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.tmp / "js")],
            stdout=subprocess.DEVNULL, stderr=(self.tmp / "nats.log").open("ab"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[Nats]:
    if shutil.which("nats-server") is None:
        pytest.skip("nats-server not installed (apt-get install nats-server)")
    n = Nats(tmp_path)
    n.start()
    yield n
    n.stop()


class StreamReader(threading.Thread):
    """A desk's live stream from one node: collects the fixes of every ``batch`` event."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url, self.token = url, token
        self.fixes: list[list[object]] = []
        self.connected = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.stream("GET", self.url + "/stream", headers=headers, timeout=30.0) as res:
            for line in res.iter_lines():
                if line.startswith(": connected"):
                    self.connected.set()
                if line.startswith("data: "):
                    self.fixes += json.loads(line[6:]).get("fixes", [])
                if self.stop.is_set():
                    return


def _wait(check: object, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return True
        time.sleep(0.05)
    return False


def test_fix_at_node_a_reaches_a_desk_on_node_b(
    pg_server: PostgresServer, nats_server: Nats, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = pg_server.create_database()
    monkeypatch.setenv("DESK_CENTRAL_NATS_URL", nats_server.url)
    a = CentralProcess(url, heartbeat=0.3, log_path=tmp_path / "a.log")
    b = CentralProcess(url, heartbeat=0.3, log_path=tmp_path / "b.log")
    tracker = a.add_user("网关", "device", unit_id="*")
    desk = a.add_user("调度员", "dispatcher", workstation="ws-b")
    headers = {"Authorization": f"Bearer {desk}"}
    with a, b:
        stamp = f"{int(time.time() * 1000):013d}.0000000000.ws1"
        ops = [{"op_id": uuid.uuid4().hex, "entity": "units", "entity_id": f"U{i}", "op": "insert",
                "patch": {"call_sign": f"巡{i}", "status": "idle"}, "base_rev": 0, "hlc": stamp}
               for i in (1, 2)]
        # The unit is created through node B and reported through node A: both see one database.
        assert httpx.post(b.url + "/ops", json={"ns": "live", "origin": "ws-b", "ops": ops},
                          headers=headers, timeout=15).status_code == 200
        for node in (a, b):
            assert _wait(lambda n=node: httpx.get(n.url + "/cluster", headers=headers,
                                                   timeout=5).json().get("connected") is True)
        on_b = StreamReader(b.url, desk)
        on_b.start()
        assert on_b.connected.wait(10)
        now = time.time()
        res = httpx.post(a.url + "/telemetry", headers={"Authorization": f"Bearer {tracker}"},
                         json={"fixes": [{"unit_id": "U1", "lat": 30.59, "lon": 114.30, "at": now}]},
                         timeout=15)
        assert res.status_code == 200 and res.json()["stored_fixes"] == 1, res.text
        assert _wait(lambda: len(on_b.fixes) >= 1)
        assert on_b.fixes[0][:3] == ["U1", 30.59, 114.30]
        # A fix ingested at B reaches B's desk once (its own copy from NATS is not delivered again).
        httpx.post(b.url + "/telemetry", headers={"Authorization": f"Bearer {tracker}"},
                   json={"fixes": [{"unit_id": "U2", "lat": 30.6, "lon": 114.3, "at": now}]},
                   timeout=15).raise_for_status()
        assert _wait(lambda: len(on_b.fixes) >= 2)
        time.sleep(0.5)
        assert [f[0] for f in on_b.fixes] == ["U1", "U2"]
        # NATS goes down: ingest at A still commits and is served from history at B.
        nats_server.stop()
        res = httpx.post(a.url + "/telemetry", headers={"Authorization": f"Bearer {tracker}"},
                         json={"fixes": [{"unit_id": "U1", "lat": 30.7, "lon": 114.4,
                                          "at": now + 1}]}, timeout=15)
        assert res.status_code == 200 and res.json()["stored_fixes"] == 1
        last = httpx.get(b.url + "/history/last", headers=headers, timeout=15).json()["fixes"]
        assert [(f["unit_id"], f["lat"]) for f in last] == [("U1", 30.7), ("U2", 30.6)]
        # NATS back: the fan-out resumes by itself.
        nats_server.start()
        assert _wait(lambda: httpx.get(a.url + "/cluster", headers=headers,
                                       timeout=5).json().get("connected") is True, 30)
        assert _wait(lambda: httpx.get(b.url + "/cluster", headers=headers,
                                       timeout=5).json().get("connected") is True, 30)
        httpx.post(a.url + "/telemetry", headers={"Authorization": f"Bearer {tracker}"},
                   json={"fixes": [{"unit_id": "U2", "lat": 30.8, "lon": 114.5, "at": now + 2}]},
                   timeout=15).raise_for_status()
        assert _wait(lambda: any(f[0] == "U2" and f[1] == 30.8 for f in on_b.fixes))
        on_b.stop.set()
