"""A desk on two desk-central nodes (one PostgreSQL) whose current node is SIGKILLed in the middle
of pushes: the real sync engine, through ``FailoverClient``, moves to the other node and the
central ends with every op exactly once; the live gap is filled from ``/history/last``."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import psycopg

from desk.central.pg.testing import PostgresServer
from desk.central.testing import CentralProcess
from desk.store import Workspace
from desk.sync.engine import SyncEngine
from desk.sync.failover import FailoverClient
from desk.sync.outbox import install_outbox, pending_count
from desk.sync.transport import TransportError

ROUNDS = 2
PER_ROUND = 240


def queue_cameras(ws: Workspace, n: int, prefix: str) -> None:
    with ws.write("录入员") as tx:
        tx.insert_many("cameras", [
            {"id": f"{prefix}{i:04d}", "name": f"卡口{i}", "road": "中州大道", "lat": 30.6,
             "lon": 114.3, "online": 1} for i in range(n)])
    with ws.write("录入员") as tx:
        for i in range(0, n, 3):
            tx.update("cameras", f"{prefix}{i:04d}", {"name": f"卡口{i}-改"})


def sync_until_done(engine: SyncEngine, deadline_s: float = 90.0) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            engine.sync_once()
        except TransportError:
            time.sleep(0.05)  # both nodes down for a moment: the worker's backoff, shortened
            continue
        if pending_count(engine.ws) == 0:
            return
    raise AssertionError("sync did not finish")


def test_sigkill_the_current_node_during_pushes(pg_server: PostgresServer, tmp_path: Path) -> None:
    url = pg_server.create_database()
    nodes = [CentralProcess(url, log_path=tmp_path / f"{n}.log") for n in ("a", "b")]
    token = nodes[0].add_user("调度员", "dispatcher", workstation="ws-1")
    device = nodes[0].add_user("网关", "device", unit_id="*")
    starting = [threading.Thread(target=n.start) for n in nodes]
    for t in starting:
        t.start()
    for t in starting:
        t.join()
    for n in nodes:
        n.faults(delay_s=0.03, paths=["/ops"])  # pushes take long enough to be cut
    switched: list[tuple[str, str]] = []
    client = FailoverClient([n.url for n in nodes], token,
                            on_switch=lambda old, new: switched.append((old, new)))
    ws = Workspace.open(tmp_path / "desk.sqlite")
    install_outbox(ws)
    engine = SyncEngine(ws, client, batch_size=20)
    rng = random.Random(15)
    cut_mid_push = 0
    try:
        engine.sync_once()
        for r in range(ROUNDS):
            queue_cameras(ws, PER_ROUND, f"R{r}")
            before = pending_count(ws)
            victim = next(n for n in nodes if n.url == client.current_url)
            seen: list[int] = []

            cut = rng.uniform(0.3, 0.9)

            def kill(v: CentralProcess = victim, s: list[int] = seen, total: int = before,
                     share: float = cut) -> None:
                # Kill once part of this round's queue is through: in the middle of the pushes.
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    with sqlite3.connect(tmp_path / "desk.sqlite") as peek:
                        left = int(peek.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])
                    if left < total * share:
                        s.append(left)
                        v.kill()
                        # Back at once (as systemd restarts it), while the desk works on the other.
                        v.start()
                        v.faults(delay_s=0.03, paths=["/ops"])
                        return
                    time.sleep(0.005)

            killer = threading.Thread(target=kill)
            killer.start()
            sync_until_done(engine)
            killer.join()
            if seen and 0 < seen[0] < before:
                cut_mid_push += 1
        assert len(switched) == ROUNDS
        assert cut_mid_push == ROUNDS, "every kill lands in the middle of a push"
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT entity_id, op FROM changes WHERE entity = 'cameras'").fetchall()
        inserts = [e for e, op in rows if op == "insert"]
        updates = [e for e, op in rows if op == "update"]
        assert len(inserts) == len(set(inserts)) == ROUNDS * PER_ROUND
        assert len(updates) == len(set(updates)) == ROUNDS * len(range(0, PER_ROUND, 3))
        counts = client.get_counts("live")["counts"]
        assert counts["cameras"] == ws.count("cameras") == ROUNDS * PER_ROUND
        # The live gap: a fix reported while the desk was on the other node is in last_fixes.
        with ws.write("调度员") as tx:
            tx.insert("units", {"id": "U1", "call_sign": "巡1", "status": "idle"})
        sync_until_done(engine)
        other = next(n for n in nodes if n.url != client.current_url)
        httpx.post(other.url + "/telemetry", headers={"Authorization": f"Bearer {device}"},
                   json={"fixes": [{"unit_id": "U1", "lat": 30.61, "lon": 114.31,
                                    "at": time.time()}]}, timeout=15).raise_for_status()
        assert [(f["unit_id"], f["lat"]) for f in client.last_fixes()] == [("U1", 30.61)]
    finally:
        client.close()
        ws.close()
        for n in nodes:
            n.stop()
