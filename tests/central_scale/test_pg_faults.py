"""A PostgreSQL that goes away under a running ``desk-central serve``: 503 with a retry hint, no
half-written batch, and the same batch applied once when the database is back."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import psycopg

from desk.central.pg.testing import PostgresServer
from desk.central.testing import CentralProcess


def _ops(n: int, prefix: str) -> list[dict[str, object]]:
    stamp = f"{int(time.time() * 1000):013d}.0000000000.ws1"
    return [{"op_id": uuid.uuid4().hex, "entity": "units", "entity_id": f"{prefix}{i}", "op": "insert",
             "patch": {"call_sign": f"故障{i}", "status": "idle"}, "base_rev": 0, "hlc": stamp}
            for i in range(n)]


def test_database_gone_mid_service(pg_server: PostgresServer, tmp_path: Path) -> None:
    url = pg_server.create_database()
    dbname = url.split("/")[3].split("?")[0]
    proc = CentralProcess(url, log_path=tmp_path / "central.log")
    token = proc.add_user("调度员", "dispatcher", workstation="ws1")
    admin = psycopg.connect(pg_server.url(), autocommit=True)
    with proc, httpx.Client(base_url=proc.url, timeout=30.0,
                            headers={"Authorization": f"Bearer {token}"}) as c:
        assert c.post("/ops", json={"ns": "live", "origin": "ws1", "ops": _ops(1, "A")}).status_code == 200
        # The database refuses new sessions and drops the node's open ones (as a failover does).
        admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS false")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                      [dbname])
        batch = _ops(50, "B")
        down = c.post("/ops", json={"ns": "live", "origin": "ws1", "ops": batch})
        assert down.status_code == 503, down.text
        assert down.headers["Retry-After"] and down.json()["error"] == "store_unavailable"
        admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS true")
        deadline = time.monotonic() + 30
        while True:
            again = c.post("/ops", json={"ns": "live", "origin": "ws1", "ops": batch})
            if again.status_code != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert again.status_code == 200, again.text
        results = again.json()["results"]
        # Nothing of the failed attempt was stored: every op is applied now, none replayed.
        assert [r["status"] for r in results] == ["applied"] * 50
        assert not any(r["replayed"] for r in results)
        feed = c.get("/changes", params={"since": 0, "limit": 1000}).json()
        assert len(feed["changes"]) == 51
        assert c.get("/counts").json()["counts"] == {"units": 51}
    admin.close()
